"""Citations in words a reader knows. Settings and planner figures cite where they come
from; the project's own documents have file names ("seed 002", "domain.md") and line
numbers of a text copy, which mean nothing to an administrator or a commissioner."""

import re

_CITED = [
    (re.compile(r"domain\.md '([^']+)'"), "Carepath's partnership rules, “\\1”"),
    (re.compile(r"\bdomain\.md\b"), "Carepath's partnership rules"),
    (re.compile(r"references\.md '([^']+)'"), "national practice, “\\1”"),
    (re.compile(r"\breferences\.md\b"), "national practice"),
    (re.compile(r"\bnot in seed 002\b"), "not in the review"),
    (re.compile(r"\bseed 002\b"), "Hertfordshire domestic abuse review (2014)"),
    (re.compile(r"\bseed 003\b"), "Herefordshire domestic abuse strategy 2021-2024"),
    (re.compile(r"\bseed 004\b"), "Three Rivers board report (2018)"),
    (re.compile(r"\b[Ii]ssue \d+ \(([^)]+)\)[.:]\s*"), "Identity resolution (\\1): "),
    # Line numbers of the project's text copy of a document: "L563", "L598-L600".
    (re.compile(r",?\s*\bL\d{2,5}(?:\s*[-–]\s*L?\d{2,5})?\b"), ""),
]


def citation_for_readers(source: str) -> str:
    for pattern, words in _CITED:
        source = pattern.sub(words, source)
    return source
