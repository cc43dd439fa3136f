"""A checked figure's key, in words. The keys ("needs.areas[East].idvas_high") are paths in
the plan's JSON, documented in docs/planner.md for those who script against it; a
commissioner reading the page, the PDF or the workbook reads "Needs, East: IDVAs, high"."""

import re

_SECTIONS = {
    "needs": "Needs",
    "capacity": "Capacity",
    "costs": "Costs",
    "funding": "Funding",
    "refuge": "Refuge",
    "scenarios": "Scenario",
}
#: Words a reader writes in capitals.
_CAPITALS = {"idva": "IDVA", "idvas": "IDVAs", "marac": "MARAC", "fte": "FTE", "nhs": "NHS", "ccg": "CCG"}
_TOKEN = re.compile(r"^([A-Za-z_]+)\[(.+)\]$")


def _words(name: str) -> str:
    return " ".join(_CAPITALS.get(word, word) for word in name.split("_"))


def _token_words(token: str) -> str:
    """A named item in its own name ("areas[East]" -> "East", "services[idva]" -> "IDVA");
    a plain part in words ("idvas_high" -> "IDVAs high")."""
    named = _TOKEN.match(token)
    if named:
        item = named.group(2)
        return _words(item) if re.fullmatch(r"[a-z_]+", item) else item
    return _words(token) if re.fullmatch(r"[a-z_]+", token) else token


def figure_words(key: str) -> str:
    """``needs.areas[East].idvas_high`` -> "Needs: East, IDVAs high"."""
    tokens = re.split(r"\.(?![^\[]*\])", key)
    first = _TOKEN.match(tokens[0])
    section = first.group(1) if first else tokens[0]
    rest = ([first.group(2)] if first else []) + [_token_words(t) for t in tokens[1:]]
    heading = _SECTIONS.get(section, _words(section).capitalize())
    return f"{heading}: {', '.join(rest)}" if rest else heading
