"""The public pages (no login), in one list for every test that must visit each of them:
no cookie, no English left in Welsh, Exit this page, the axe-core check, no JavaScript.

Add a public page here by its English address; its Welsh address is /cy in front.
"""

from carepath.translations import catalogues, compiled

#: Every public page a visitor can open with a GET, by its English address.
PUBLIC_PAGES = [
    "/help/",
    "/help/self-referral/",
    "/help/worried-about-someone/",
    "/help/sent/",
    "/help/services/",
    "/help/services/?search=1",
]
#: The public forms (each also in PUBLIC_PAGES).
PUBLIC_FORMS = ["/help/self-referral/", "/help/worried-about-someone/"]
WELSH = "/cy"


def welsh(url: str) -> str:
    return WELSH + url


def in_both_languages(urls: list[str]) -> list[str]:
    return [address for url in urls for address in (url, welsh(url))]


def require_compiled_catalogues() -> None:
    """Fail, saying what to do, when a .po file has no .mo or an out-of-date one: Welsh pages
    would silently come out in English."""
    stale = [
        str(po)
        for po in catalogues()
        if not po.with_suffix(".mo").exists() or po.with_suffix(".mo").read_bytes() != compiled(po)
    ]
    assert not stale, (
        "Translation catalogues not compiled (or out of date): "
        + ", ".join(stale)
        + ". Run `make install`, or `.venv/bin/python -m carepath.translations`."
    )
