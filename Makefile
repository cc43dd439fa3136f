# Carepath: `make demo` to look around, `make test` to check everything.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CAREPATH := $(VENV)/bin/carepath
# The demo has its own database, rebuilt on every run: nothing in it is real.
DEMO_DB := var/demo.sqlite3
DEMO_ENV := CAREPATH_DEMO=1 DATABASE_URL=sqlite:///$(CURDIR)/$(DEMO_DB)
TEST_ENV := CAREPATH_TESTING=1

.PHONY: install chromium translations messages demo lint test test-sqlite test-postgres bench clean

install: $(VENV)/.installed node_modules/.installed chromium translations

# The public pages' translations (carepath/*/locale/<language>/LC_MESSAGES/django.po) compiled
# to the .mo files Django reads, by Babel (no GNU gettext needed); .mo files are not committed.
translations: $(VENV)/.installed
	$(PY) -m carepath.translations

# After changing a public page's words: bring each catalogue up to date with the code (needs
# GNU gettext's xgettext, Debian's gettext package), then translate the new entries.
# `make messages LANGUAGE=pl` starts the catalogues of a new language. -P: the app's own
# modules (logging.py, selectors.py) must not hide the standard library's.
MESSAGE_APPS := referrals core directory
messages: $(VENV)/.installed
	for app in $(MESSAGE_APPS); do (cd carepath/$$app && PYTHONPATH=$(CURDIR) $(TEST_ENV) $(CURDIR)/$(PY) -P -m carepath makemessages $(if $(LANGUAGE),--locale $(LANGUAGE),--all) --no-location --no-obsolete --ignore 'templates/admin/*'); done

# Browser tests drive Debian's Chromium through Playwright (no browser download). The
# planner's PDF needs WeasyPrint's Pango libraries and fonts from Debian too.
WEASYPRINT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation
chromium:
	@missing=""; command -v chromium >/dev/null 2>&1 || missing="chromium"; \
	for package in $(WEASYPRINT_PACKAGES); do dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Install Debian's packages for the browser tests and the PDF: sudo apt-get install$$missing"; exit 1; fi; fi

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

demo: install
	mkdir -p var && rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(DEMO_ENV) $(CAREPATH) migrate --no-input
	$(DEMO_ENV) $(CAREPATH) synth --seed 1
	$(DEMO_ENV) $(CAREPATH) relink
	$(DEMO_ENV) $(CAREPATH) synth --seed 7 --scale 0.02 --start $$(date -d '-365 days' +%F) --police-extract var/demo-police-extract.csv
	$(DEMO_ENV) $(CAREPATH) import-police-extract var/demo-police-extract.csv --agency "Hertfordshire Constabulary"
	$(DEMO_ENV) $(CAREPATH) demo-accounts
	$(DEMO_ENV) $(CAREPATH) demo-child-outcomes
	$(DEMO_ENV) $(CAREPATH) demo-triage
	$(DEMO_ENV) $(CAREPATH) demo-marac
	$(DEMO_ENV) $(CAREPATH) demo-casework
	$(DEMO_ENV) $(CAREPATH) demo-accommodation
	$(DEMO_ENV) $(CAREPATH) demo-directory
	$(DEMO_ENV) $(CAREPATH) demo-training
	$(DEMO_ENV) $(CAREPATH) demo-perpetrators
	@echo "Carepath demo: http://127.0.0.1:8000/  (accounts in README.md)"
	$(DEMO_ENV) $(CAREPATH) runserver 127.0.0.1:8000

# Static checks of the code: bandit (security), configured in pyproject.toml.
lint: install
	$(VENV)/bin/ruff check carepath tests bench scripts
	$(VENV)/bin/ruff format --check carepath tests bench scripts
	$(VENV)/bin/bandit -c pyproject.toml -r carepath -q

test: install
	$(MAKE) lint
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

test-sqlite:
	$(TEST_ENV) $(PY) -m pytest -q -p no:cacheprovider

test-postgres:
	$(TEST_ENV) scripts/with-postgres $(PY) -m pytest -q -p no:cacheprovider -m "not no_database"

bench: install
	$(PY) -m pip install --quiet -e ".[test,bench]"
	$(TEST_ENV) $(PY) bench/bench_synth.py
	$(TEST_ENV) $(PY) bench/bench_police_import.py
	$(TEST_ENV) $(PY) bench/bench_linkage_public.py
	$(TEST_ENV) $(PY) bench/bench_linkage.py
	$(TEST_ENV) $(PY) bench/bench_identity.py
	$(TEST_ENV) $(PY) bench/bench_planner.py
	$(TEST_ENV) scripts/with-postgres $(PY) bench/bench_audit.py
	$(TEST_ENV) $(PY) bench/bench_triage_queue.py
	$(TEST_ENV) scripts/with-postgres $(PY) bench/bench_triage_queue.py
	$(TEST_ENV) scripts/with-postgres $(PY) bench/bench_marac_agenda.py
	$(TEST_ENV) $(PY) bench/bench_marac_return.py
	$(TEST_ENV) scripts/with-postgres $(PY) bench/bench_marac_return.py
	$(TEST_ENV) $(PY) bench/bench_casework_performance.py
	$(TEST_ENV) scripts/with-postgres $(PY) bench/bench_casework_performance.py
	$(TEST_ENV) $(PY) bench/bench_vacancy_board.py
	$(TEST_ENV) scripts/with-postgres $(PY) bench/bench_vacancy_board.py
	$(TEST_ENV) $(PY) bench/bench_safe_accommodation_return.py
	$(TEST_ENV) scripts/with-postgres $(PY) bench/bench_safe_accommodation_return.py
	$(TEST_ENV) $(PY) bench/bench_directory_search.py
	$(TEST_ENV) scripts/with-postgres $(PY) bench/bench_directory_search.py
	$(TEST_ENV) scripts/with-postgres $(PY) bench/bench_perpetrator_panel.py
	$(TEST_ENV) scripts/with-postgres $(PY) bench/bench_board.py

clean:
	rm -rf $(VENV) node_modules var
