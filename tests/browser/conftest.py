"""Real-browser tests: headless Debian Chromium driven by Playwright's sync API.

Never downloads a browser: it uses /usr/bin/chromium and skips, saying why, if that is missing.
Playwright's sync API runs its own event loop in this thread, which would make Django refuse
ORM calls from the test ("you cannot call this from an async context"); the tests and the
live server are plain synchronous code, so that guard is switched off here.
"""

import os
from pathlib import Path

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} is missing: install Debian's chromium package (make install does) to run browser tests"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


# Reports every Content-Security-Policy violation on every page the browser opens (the
# browser runs this script itself, so the policy does not block it).
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(`${location.pathname}: ${event.effectiveDirective} blocked ${event.blockedURI}`)
})
"""


@pytest.fixture
def page(chromium):
    """A page in a fresh browser context. The test fails if anything on any page it opens
    was refused by the Content-Security-Policy: an inline script without the nonce would
    leave "Exit this page", HTMX or the GOV.UK components silently dead."""
    context = chromium.new_context()
    violations: list[str] = []
    context.expose_function("reportCspViolation", lambda violation: violations.append(violation))
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        yield page
        assert violations == [], "Content-Security-Policy violations"
    finally:
        context.close()
