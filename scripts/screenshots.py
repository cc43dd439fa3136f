"""Take the README's screenshots of a running demo (make demo) in headless Chromium.

Usage: .venv/bin/python scripts/screenshots.py [http://127.0.0.1:8000] [docs/screenshots]
Needs Debian's chromium (/usr/bin/chromium) and the playwright package; no browser download.
"""

import re
import sys
from datetime import date
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "demo-carepath-2026"


def main(base: str = "http://127.0.0.1:8000", out: str = "docs/screenshots") -> None:
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)

        def session(username: str):
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto(f"{base}/account/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit]")
            return page

        def shot(page, name: str, url: str) -> None:
            page.goto(url if url.startswith("http") else base + url)
            page.screenshot(path=out_dir / f"{name}.png", full_page=False)
            print(f"{name}: {page.url}")

        anonymous = browser.new_page(viewport={"width": 1200, "height": 900})
        shot(anonymous, "login", "/account/login/")

        triage = session("demo-police")
        shot(triage, "home", "/")
        event_href = triage.locator("a[href^='/events/']").first.get_attribute("href")
        shot(triage, "event", event_href)
        person_href = triage.locator("a[href^='/people/']").first.get_attribute("href")
        shot(triage, "person", person_href)
        person_id = re.search(r"/people/(\d+)/", person_href).group(1)
        shot(triage, "access-log", f"/records/person/{person_id}/access-log/")

        shot(session("demo-admin"), "configuration", "/settings/")

        front_door = session("demo-triage")
        shot(front_door, "triage-queue", "/referrals/triage/")
        referral_href = front_door.locator("table a[href^='/referrals/']").first.get_attribute("href")
        shot(front_door, "referral", referral_href)
        shot(front_door, "professional-referral", "/referrals/new/")

        reviewer = session("demo-dpo")
        shot(reviewer, "possible-matches", "/people/links/")
        link_href = reviewer.locator("table a[href^='/people/links/']").first.get_attribute("href")
        shot(reviewer, "possible-match", link_href)

        idva = session("demo-idva")
        shot(idva, "tasks", "/tasks/")
        idva_referral = idva.locator("table a[href^='/referrals/']").first.get_attribute("href")
        shot(idva, "referral-shared", idva_referral)
        idva_person = idva.locator("table a[href^='/people/']").first.get_attribute("href")

        auditor = session("demo-dpo")
        idva_person_id = re.search(r"/people/(\d+)/", idva_person).group(1)
        shot(auditor, "audit-person", f"/audit/people/{idva_person_id}/")

        shot(session("demo-safeguarding"), "children-queue", "/referrals/children/")
        shot(session("demo-police"), "police-extracts", "/referrals/police-extracts/")

        shot(session("demo-commissioner"), "planner", "/planning/#capacity")

        coordinator = session("demo-marac-coordinator")
        shot(coordinator, "marac-referrals", "/marac/referrals/")
        shot(coordinator, "marac-actions", "/marac/actions/")
        heard_case = coordinator.locator("table a[href^='/marac/cases/']").first.get_attribute("href")
        shot(coordinator, "marac-case", heard_case)
        meeting = coordinator.locator("a[href^='/marac/meetings/']").first.get_attribute("href")
        shot(coordinator, "marac-meeting", meeting)
        coordinator.goto(f"{base}/marac/returns/")
        coordinator.get_by_role("button", name="Show the figures").click()
        coordinator.screenshot(path=out_dir / "marac-return.png", full_page=False)
        print(f"marac-return: {coordinator.url}")

        manager = session("demo-idva-manager")
        shot(manager, "casework-allocate", "/casework/allocate/")
        worker = session("demo-idva")
        worker.goto(f"{base}/casework/cases/")
        case = worker.locator("table a[href^='/casework/cases/']").last.get_attribute("href")
        shot(worker, "casework-case", case)
        shot(session("demo-commissioner"), "casework-performance", "/casework/performance/")

        shot(worker, "vacancy-board", "/accommodation/vacancies/?adult=woman&adults=1&boys=14&girls=6#results")
        refuge = session("demo-refuge")
        shot(refuge, "accommodation-provider", "/accommodation/provider/")
        stay = refuge.locator("table a[href^='/accommodation/placements/']").first.get_attribute("href")
        shot(refuge, "accommodation-placement", stay)
        commissioner = session("demo-commissioner")
        shot(commissioner, "accommodation-reports", "/accommodation/reports/")
        shot(commissioner, "accommodation-return", f"/accommodation/returns/?year={date.today().year}")

        shot(anonymous, "public-start", "/help/")
        shot(anonymous, "public-self-referral", "/help/self-referral/")
        for name, prefix in (("public-services", ""), ("public-services-welsh", "/cy")):
            anonymous.goto(f"{base}{prefix}/help/services/")
            anonymous.select_option("select[name=district]", label="Dacorum")
            anonymous.locator("form button").click()
            anonymous.locator("#results").scroll_into_view_if_needed()
            anonymous.screenshot(path=out_dir / f"{name}.png", full_page=False)
            print(f"{name}: {anonymous.url}")

        signposter = session("demo-triage")
        shot(signposter, "directory", "/directory/")
        entry = signposter.locator("a[href^='/directory/'][href$='/']").filter(has_text="Refuge").first
        shot(signposter, "directory-entry", entry.get_attribute("href"))
        co_ordinator = session("demo-training")
        shot(co_ordinator, "champions", "/training/")
        co_ordinator.goto(f"{base}/training/report/")
        co_ordinator.locator("h2").first.scroll_into_view_if_needed()
        co_ordinator.evaluate("document.querySelector('main h2').scrollIntoView()")
        co_ordinator.screenshot(path=out_dir / "training-report.png", full_page=False)
        print(f"training-report: {co_ordinator.url}")
        co_ordinator.goto(f"{base}/training/sessions/")
        hrefs = co_ordinator.locator("main a[href^='/training/sessions/']").evaluate_all(
            "links => links.map(a => a.pathname)"
        )
        shot(co_ordinator, "training-register", next(h for h in hrefs if re.search(r"/sessions/\d+/$", h)))

        analyst = session("demo-police-analyst")
        shot(analyst, "perpetrator-panel", "/perpetrators/panel/")
        shot(analyst, "perpetrator-profile", analyst.locator("#panel-ranked tbody th a").first.get_attribute("href"))
        police = session("demo-police")
        shot(police, "clares-law", "/perpetrators/clares-law/")
        application = police.locator("main table a[href^='/perpetrators/clares-law/']").first.get_attribute("href")
        shot(police, "clares-law-application", application)
        shot(session("demo-commissioner"), "perpetrator-programmes", "/perpetrators/programmes/report/")
        board = session("demo-commissioner")
        shot(board, "board", "/board/?period=2014")
        shot(board, "board-measure", "/board/?period=2014#measure-3")
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
