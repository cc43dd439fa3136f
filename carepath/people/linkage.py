"""Identity resolution: which person records are the same real person (issue 4).

Seed 002 §3.2: the partnership cannot tell whether its 13,658 police incidents a year are
a few victims calling many times or many victims calling a few times, because each agency
keeps its own record of the same woman, spelt its own way. This module links those records
with a probabilistic (Fellegi-Sunter) model built with splink 5. Pure Python: no Django
imports; the Django services call it and store what it returns.

How a pair of records is scored
-------------------------------
Each *comparison* (first name, surname, date of birth, ...) puts a pair of records into
one *level* (exact match, known nickname, one typo apart, different, missing...). Each
level has two probabilities: ``m``, how often the level is seen when the two records are
the same person, and ``u``, how often when they are not. Their ratio is the level's
*Bayes factor*; its log2 is the *match weight*. The weights of all comparisons are added to
the prior (the weight of "two records picked at random are the same person") and turned
back into a probability. :func:`explain` returns exactly these numbers for one pair, so a
data-protection officer can see why two records were (or were not) linked.

Parameters are estimated without labels (issue 4: "EM, plus u by random sampling"):
``u`` from random pairs of records (almost all different people), ``m`` by expectation
maximisation on blocked pairs. Two levels are fixed by rule rather than estimated (see
:data:`FIXED_M`): different first names and clearly different dates of birth. Without them
the model counts a household's shared surname, address, postcode and phone as independent
evidence, and twins or a mother and her adult daughter of the same name at the same
address would be merged (the hard non-matches of issue 4). Pairs that share an NHS number
or police id teach the model how often one person's records really differ on those (a
source that garbles first names, issue 12) and how many true pairs the exact rule finds,
which sets the prior; the prior is held at a county-year's size for larger data
(:func:`reference_prior`). docs/linkage.md explains each choice and what it costs. The
trained model holds no personal data: only the comparison definitions and their m/u
probabilities.

Blocking (which pairs are scored at all) uses :data:`BLOCKING_KEYS`: pairs that share one
of those keys exactly. Each key is narrow (date of birth *and* surname, never date of
birth alone) so that the number of pairs grows about linearly with the population, as it
must at national scale. :func:`blocking_keys` computes the same keys for one record, so the
Django side can store them in an indexed table and fetch the candidates of a new record.

Backends: DuckDB embedded (the default) or Apache Spark (``backend="spark"``, local mode
unless a session is given) for data that outgrow one machine. The same saved model gives
the same clusters on both.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import tempfile
import threading
import unicodedata
import uuid
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

Backend = Literal["duckdb", "spark"]

#: Pairs at or above this match probability are the same person (clustered).
DEFAULT_MATCH_PROBABILITY = 0.99
#: Pairs at or above this (and below the match threshold) go to a human review queue.
DEFAULT_REVIEW_PROBABILITY = 0.5

#: Blocking keys: two records are compared only if they agree exactly on all the
#: (normalised) columns of at least one key. Each one catches a kind of noise the others
#: miss (issues 4 and 12, seed 002 §3.2):
#:   date of birth + surname    nicknames, typos in the first name, a move;
#:   date of birth + first name a married or maiden surname;
#:   date of birth + postcode   a new surname *and* a nickname, at the same address;
#:   date of birth + initials   typos in both names, or the names swapped;
#:   both names + year of birth day and month swapped, a day or two out (``names`` is
#:                              the two names in alphabetical order, so a record with
#:                              first name and surname swapped has the same);
#:   both names + postcode, surname + postcode, surname + address
#:                              no date of birth recorded;
#:   first name + address, first name + postcode
#:                              no date of birth and a changed or mistyped surname;
#:   phone + first name, phone + surname
#:                              a move and a changed surname, or a nickname;
#:   NHS number, PNC id         the identifiers, whatever else differs.
#: A phone number alone is no key: a household, a refuge's office or a switchboard shares
#: one across many people, and one such number would put every pair of them in a block.
BLOCKING_KEYS: tuple[tuple[str, ...], ...] = (
    ("date_of_birth", "last_name"),
    ("date_of_birth", "first_name"),
    ("date_of_birth", "postcode"),
    ("date_of_birth", "initials"),
    ("names", "birth_year"),
    ("names", "postcode"),
    ("last_name", "postcode"),
    ("last_name", "address"),
    ("first_name", "address"),
    ("first_name", "postcode"),
    ("phone", "first_name"),
    ("phone", "last_name"),
    ("national_id",),
    ("pnc_id",),
)

#: Levels whose m probability is fixed by rule, not by EM (level labels as in the model).
#: Members of one household share surname, address, postcode and often date of birth
#: (twins) or first name (a mother and her namesake daughter): evidence that would add up
#: to a certain match between two different people. What tells them apart is a first name
#: that is neither the same, a nickname of the other, one typo away, swapped with the
#: surname nor an initial, or a date of birth that is not the same, swapped, a few days,
#: one year, or one or two digits out. For the same person these are data errors that EM
#: sees too rarely to estimate, so the model takes them as near-proof of two people:
#: m = 1e-7 (weight about -23, more than surname, date of birth and address together) for
#: first names, 1e-6 (about -20) for dates of birth; unless the data's identifier pairs
#: show such errors are common (:func:`_data_parameters`), or the pair itself shares an
#: identifier (:data:`NOT_COUNTED`).
FIXED_M = {
    ("first_name", "Different first names"): 1e-7,
    ("date_of_birth", "Different dates of birth"): 1e-6,
}
#: Levels that count for nothing either way (m = u). A first name or date of birth that
#: differs while both records carry the same NHS number or police id is a data error on
#: one of them (twins never share an identifier): the identifier and the rest decide
#: (issue 12: public extracts replace whole first names and dates of birth).
_BY_IDENTIFIER = "same NHS number or police id"
NOT_COUNTED = (
    ("first_name", f"Different first names, {_BY_IDENTIFIER}"),
    ("date_of_birth", f"Different dates of birth, {_BY_IDENTIFIER}"),
    # Names written the other way round are one piece of evidence, counted on the first
    # name: counted twice, a swap would weigh more than both names agreeing in place.
    ("last_name", "Surname and first name swapped"),
)


class LinkageError(Exception):
    """A problem with the input or the model that the user can fix."""


@dataclass(frozen=True)
class PersonRecord:
    """One agency's record of one person, as written (normalisation happens here)."""

    record_id: str
    first_name: str = ""
    last_name: str = ""
    #: A date, or the text as the source wrote it when it is no real date ("1950-58-06",
    #: "31/02/1980"): still evidence, compared digit by digit (:func:`dob_text`).
    date_of_birth: date | str | None = None
    address: str = ""
    postcode: str = ""
    national_id: str = ""
    pnc_id: str = ""
    #: Accepted (the link-people contract has it) but not compared: agencies record
    #: "not known" or a gender for it too often for a disagreement to mean two people.
    sex: str = ""
    phone: str = ""
    #: Other names the agency recorded for the person: (first name, surname) pairs of
    #: aliases and previous (maiden, married) names.
    other_names: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ScoredPair:
    """Two records scored by the model; ``record_id_l`` < ``record_id_r``."""

    record_id_l: str
    record_id_r: str
    match_probability: float
    match_weight: float


@dataclass(frozen=True)
class LinkageResult:
    """``clusters`` maps every input record_id to its person id (the smallest record_id of
    its cluster, so stable across backends); ``pairs`` are the scored pairs at or above the
    review threshold, best first; ``model`` is the model used (trained here if none was
    given: save it to link the same way again)."""

    clusters: dict[str, str]
    pairs: list[ScoredPair]
    match_probability: float
    review_probability: float
    model: LinkageModel

    def for_review(self) -> list[ScoredPair]:
        """Pairs a person should look at: above the review threshold, below the match one."""
        return [p for p in self.pairs if p.match_probability < self.match_probability]


@dataclass(frozen=True)
class ComparisonExplanation:
    """One comparison of an explained pair: the level reached and what it weighed."""

    comparison: str  # e.g. "date_of_birth"
    description: str  # e.g. "Date of birth (day/month swaps, typos)"
    level: str  # e.g. "Day and month swapped"
    bayes_factor: float  # m / u: how many times likelier this level is for the same person
    match_weight: float  # log2(bayes_factor); 0 when a value is missing
    m_probability: float | None
    u_probability: float | None


@dataclass(frozen=True)
class Explanation:
    """Why two records were (or were not) linked: the prior plus each comparison's weight
    give the final weight; probability = 2**w / (1 + 2**w)."""

    record_id_l: str
    record_id_r: str
    prior_match_weight: float
    prior_probability: float
    comparisons: list[ComparisonExplanation]
    match_weight: float
    match_probability: float


@dataclass
class LinkageModel:
    """A trained splink model: its settings dict with m/u probabilities. No personal data."""

    settings: dict[str, Any]
    training: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"splink_settings": self.settings, "training": self.training}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LinkageModel:
        try:
            settings = data["splink_settings"]
            levels = _level_keys(settings)
            settings["probability_two_random_records_match"]
        except (KeyError, TypeError, AttributeError) as exc:
            raise LinkageError(f"Not a Carepath linkage model ({exc.__class__.__name__}: {exc}).") from None
        if levels != _level_keys(_untrained_settings("duckdb")):
            raise LinkageError("The linkage model was made for other comparisons: train a new one.")
        return cls(settings=settings, training=data.get("training", {}))

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=1)

    @classmethod
    def from_json(cls, text: str) -> LinkageModel:
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise LinkageError(f"Not a Carepath linkage model ({exc.__class__.__name__}: {exc}).") from None
        return cls.from_dict(data)

    def save(self, path: str | os.PathLike) -> None:
        Path(path).write_text(self.to_json(), encoding="utf-8")

    @classmethod
    def load(cls, path: str | os.PathLike) -> LinkageModel:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise LinkageError(f"Cannot read the model {path}: {exc}") from None
        return cls.from_json(text)


# --------------------------------------------------------------------------------------
# Normalisation: what the comparisons see. Case, accents, punctuation and spacing carry
# no identity; postcodes and phone numbers are put in one canonical form.
# --------------------------------------------------------------------------------------

_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_NOT_LETTER = re.compile(r"[^a-z]+")
_SPACES = re.compile(r"\s+")
_NOT_DIGIT = re.compile(r"\D")


def _fold(text: str) -> str:
    """Lower case, accents removed (Zoë = Zoe)."""
    if text.isascii():  # most records: skip the Unicode decomposition
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def normalise_name(name: str) -> str:
    """Letters only, lower case: "O'Brien-Smith" -> "obriensmith"."""
    return _NOT_LETTER.sub("", _fold(name))


def normalise_address(address: str) -> str:
    """Lower case words and numbers separated by single spaces."""
    return _NOT_ALNUM.sub(" ", _fold(address)).strip()


def normalise_postcode(postcode: str) -> str:
    """UK postcode as "AL1 2AB"; something that is not a postcode is kept upper-cased
    without spaces (so it can still match itself)."""
    compact = _SPACES.sub("", (postcode or "").upper())
    m = _POSTCODE.match(compact)
    return f"{m.group(1)} {m.group(2)}" if m else compact


def normalise_phone(phone: str) -> str:
    """Digits of a UK number in national form (+44 7700 900123 -> 07700900123); fewer than
    ten digits is not a usable number and counts as missing."""
    digits = _NOT_DIGIT.sub("", phone or "")
    if digits.startswith("44") and len(digits) >= 12:
        digits = "0" + digits[2:]
    return digits if len(digits) >= 10 else ""


@lru_cache(maxsize=1)
def _nicknamer():
    from nicknames import NickNamer

    return NickNamer()


@lru_cache(maxsize=100_000)
def name_variants(first_name: str) -> tuple[str, ...]:
    """The normalised first name with its known nicknames and the names it is a nickname
    of (the ``nicknames`` package): Liz, Beth and Elizabeth share a variant."""
    if not first_name:
        return ()
    namer = _nicknamer()
    related = namer.nicknames_of(first_name) | namer.canonicals_of(first_name)
    return tuple(sorted({first_name, *(normalise_name(n) for n in related)} - {""}))


_DMY = re.compile(r"^(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})$")
_YMD = re.compile(r"^(\d{4})[/.\- ]?(\d{1,2})[/.\- ]?(\d{1,2})$")


def dob_text(value: date | str | None) -> str | None:
    """A date of birth as ``YYYY-MM-DD`` text, whether or not it is a real date.

    Day-first (27/03/1988, the UK's way) and year-first (1988-03-27, 19880327) are read
    into that order; "1950-58-06" stays "1950-58-06", so that it still agrees digit by
    digit with "1950-05-06" or "1950-08-06". Other text with digits keeps its digits
    ("14/03/88" is "140388"), which can still match itself; text without any ("unknown",
    "n/k") is no date of birth at all, or every "unknown" would agree with every other."""
    if value is None or isinstance(value, date):
        return value.isoformat() if value else None
    text = value.strip()
    if m := _DMY.match(text):
        day, month, year = m.groups()
    elif m := _YMD.match(text):
        year, month, day = m.groups()
    else:
        return _NOT_DIGIT.sub("", text) or None
    return f"{year}-{int(month):02d}-{int(day):02d}"


def real_date(value: date | str | None) -> date | None:
    """The date of birth as a date, or None when it is missing or no real date."""
    if value is None or isinstance(value, date):
        return value
    text = dob_text(value)
    try:
        return date.fromisoformat(text) if text and len(text) == 10 else None
    except ValueError:
        return None


def _swapped(text: str | None) -> str | None:
    """``YYYY-MM-DD`` with day and month swapped, where that reads differently (a real
    date or not: 1950-58-06 against 1950-06-58 is the same slip)."""
    if not text or len(text) != 10 or text[4] != "-" or text[5:7] == text[8:]:
        return None
    return f"{text[:4]}-{text[8:]}-{text[5:7]}"


def normalise(record: PersonRecord) -> dict[str, Any]:
    """The row splink sees for one record (empty values become NULL)."""
    first = normalise_name(record.first_name)
    last = normalise_name(record.last_name)
    postcode = normalise_postcode(record.postcode)
    dob = dob_text(record.date_of_birth)
    real = real_date(record.date_of_birth)
    dated = dob is not None and len(dob) == 10 and dob[4] == "-"
    other_first = {normalise_name(given) for given, _ in record.other_names} - {""}
    other_last = {normalise_name(family) for _, family in record.other_names} - {""}
    row = {
        "unique_id": str(record.record_id),
        "first_name": first,
        "first_name_variants": sorted({v for name in {first, *other_first} for v in name_variants(name)}) or None,
        "last_name": last,
        # A surname with the record's previous names and aliases: a maiden name on one
        # record and the married name on another meet here.
        "last_name_variants": sorted({last, *other_last} - {""}) or None,
        # Blocking only: the names in alphabetical order and their initials, the same for
        # a record whose first name and surname were written the other way round.
        "names": "|".join(sorted((first, last))) if first and last else None,
        "initials": "".join(sorted((first[:1], last[:1]))) if first and last else None,
        "date_of_birth": dob,
        # Only a real date is compared as a date (within three days, a year out).
        "dob_real": real,
        "dob_swapped": _swapped(dob),
        "birth_year": dob[:4] if dated else None,
        "dob_month_day": dob[5:] if dated else None,
        "address": normalise_address(record.address),
        "postcode": postcode,
        # Worked out once per record, not by a regular expression on every pair compared.
        "postcode_sector": postcode[:-2] if " " in postcode else None,
        "postcode_district": postcode.split(" ")[0] if " " in postcode else None,
        "phone": normalise_phone(record.phone),
        "national_id": _SPACES.sub("", record.national_id or ""),
        "pnc_id": _SPACES.sub("", (record.pnc_id or "").upper()),
    }
    return {k: (v if v not in ("", []) else None) for k, v in row.items()}


def blocking_keys(record: PersonRecord) -> list[str]:
    """The blocking keys of one record, as strings like ``"date_of_birth+last_name=1984-01-13|moss"``.

    :func:`match_new` finds the same person only among candidates that share at least one
    of these keys with the new record (the same pairs :func:`link` would score). Store them
    in an indexed table and fetch the records that have any of the new record's keys."""
    row = normalise(record)
    keys = []
    for columns in BLOCKING_KEYS:
        values = [row[c] for c in columns]
        if all(values):
            keys.append(f"{'+'.join(columns)}={'|'.join(values)}")
    return keys


# --------------------------------------------------------------------------------------
# The model: comparisons (what is compared, at which levels) and training.
# --------------------------------------------------------------------------------------


#: Both records carry the same NHS number (or one a digit apart: an NHS number's check
#: digit makes two real ones differ in at least two digits, so one digit apart is a
#: mistyped copy) or the same police (PNC) id.
_SAME_IDENTIFIER = "(levenshtein(national_id_l, national_id_r) <= 1 OR pnc_id_l = pnc_id_r)"
#: First name and surname written the other way round (exact, or one typo apart).
_NAMES_SWAPPED = "(levenshtein(first_name_l, last_name_r) <= 1 AND levenshtein(last_name_l, first_name_r) <= 1)"


def _shares_a_value(column: str):
    """A comparison level: the two records' lists share a value. DuckDB's ``&&`` costs
    half the ``list_intersect`` of splink's ArrayIntersectLevel; Spark's
    ``arrays_overlap`` is the same test."""
    from splink.internals.comparison_level_creator import ComparisonLevelCreator

    class SharesAValue(ComparisonLevelCreator):
        def create_sql(self, sql_dialect) -> str:
            if sql_dialect.sql_dialect_str == "spark":
                return f"arrays_overlap({column}_l, {column}_r)"
            return f"({column}_l && {column}_r)"

        def create_label_for_charts(self) -> str:
            return f"{column} share a value"

    return SharesAValue()


def _comparisons():
    """The comparisons of issues 4 and 12, from splink's comparison library, each level
    labelled in words a data-protection officer reads on the explanation page.

    - first name: same, a nickname or full name of the other (Liz/Elizabeth, the
      ``nicknames`` package, as agencies record them), one typo apart, first name and
      surname swapped, an initial of the other, different but the same identifier, or
      different;
    - surname: same, a previous name or alias recorded on either record, one typo,
      similar (Jaro-Winkler >= 0.8), swapped with the first name, or different: an
      unrecorded married or maiden surname is "different", which EM learns is common
      among true matches;
    - date of birth (compared as written, so a date that is no real date still counts):
      same, day and month swapped (03/04 for 04/03), same day and month with the year one
      out, within three days, one or two digits apart, different but the same
      identifier, or different;
    - address with postcode (one comparison, see below), phone, NHS number (same, one
      digit apart) and PNC id.
    No term-frequency adjustments (docs/linkage.md says why).
    """
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    def labelled(level, label):
        return level.configure(label_for_charts=label)

    def one_typo(column):
        """Damerau-Levenshtein <= 1 (a swap of neighbours is one typo), behind a cheap
        Levenshtein guard: DuckDB's Damerau-Levenshtein costs seven times as much, and
        nearly every pair it would see (training samples random pairs) fails the guard."""
        return cll.And(cll.LevenshteinLevel(column, 2), cll.DamerauLevenshteinLevel(column, 1))

    first_name = cl.CustomComparison(
        output_column_name="first_name",
        comparison_description="First name (nicknames from the nicknames package, typos, initials)",
        comparison_levels=[
            cll.NullLevel("first_name"),
            labelled(cll.ExactMatchLevel("first_name"), "Same first name"),
            labelled(
                _shares_a_value("first_name_variants"),
                "Nickname, full name or recorded alias of one another",
            ),
            labelled(one_typo("first_name"), "First names one typo apart"),
            labelled(cll.CustomLevel(_NAMES_SWAPPED), "First name and surname swapped"),
            labelled(
                cll.CustomLevel(
                    "(length(first_name_l) = 1 OR length(first_name_r) = 1) "
                    "AND substr(first_name_l, 1, 1) = substr(first_name_r, 1, 1)"
                ),
                "An initial of the other's first name",
            ),
            labelled(cll.CustomLevel(_SAME_IDENTIFIER), f"Different first names, {_BY_IDENTIFIER}"),
            labelled(cll.ElseLevel(), "Different first names"),
        ],
    )
    last_name = cl.CustomComparison(
        output_column_name="last_name",
        comparison_description="Surname (typos; a married or maiden name falls in 'different')",
        comparison_levels=[
            cll.NullLevel("last_name"),
            labelled(cll.ExactMatchLevel("last_name"), "Same surname"),
            labelled(_shares_a_value("last_name_variants"), "Surname matches a previous name or alias"),
            labelled(one_typo("last_name"), "Surnames one typo apart"),
            labelled(cll.JaroWinklerLevel("last_name", 0.8), "Similar surnames"),
            labelled(cll.CustomLevel(_NAMES_SWAPPED), "Surname and first name swapped"),
            labelled(cll.ElseLevel(), "Different surnames"),
        ],
    )
    date_of_birth = cl.CustomComparison(
        output_column_name="date_of_birth",
        comparison_description="Date of birth (day/month swaps, typos; compared as written)",
        comparison_levels=[
            cll.NullLevel("date_of_birth"),
            labelled(cll.ExactMatchLevel("date_of_birth"), "Same date of birth"),
            labelled(cll.CustomLevel("dob_swapped_l = date_of_birth_r"), "Day and month swapped"),
            labelled(
                cll.And(
                    cll.ExactMatchLevel("dob_month_day"),
                    cll.AbsoluteDateDifferenceLevel("dob_real", input_is_string=False, threshold=1, metric="year"),
                ),
                "Same day and month, year one out",
            ),
            labelled(
                cll.AbsoluteDateDifferenceLevel("dob_real", input_is_string=False, threshold=3, metric="day"),
                "Dates of birth within three days",
            ),
            labelled(cll.LevenshteinLevel("date_of_birth", 1), "Dates of birth one digit apart"),
            labelled(cll.LevenshteinLevel("date_of_birth", 2), "Dates of birth two digits apart"),
            labelled(cll.CustomLevel(_SAME_IDENTIFIER), f"Different dates of birth, {_BY_IDENTIFIER}"),
            labelled(cll.ElseLevel(), "Different dates of birth"),
        ],
    )
    # Address and postcode are one comparison: they say the same thing (where the person
    # lives), and counting them as independent evidence would let any two members of a
    # household of the same name outweigh a different date of birth.
    address = cl.CustomComparison(
        output_column_name="address",
        comparison_description="Address (first line and town) and postcode",
        comparison_levels=[
            cll.And(cll.NullLevel("address"), cll.NullLevel("postcode")),
            labelled(
                cll.And(cll.ExactMatchLevel("address"), cll.ExactMatchLevel("postcode")), "Same address and postcode"
            ),
            labelled(cll.ExactMatchLevel("address"), "Same address, postcode missing or mistyped"),
            labelled(
                cll.And(cll.ExactMatchLevel("postcode"), cll.JaroWinklerLevel("address", 0.9)),
                "Address one typo apart, same postcode",
            ),
            labelled(cll.ExactMatchLevel("postcode"), "Same postcode, another address"),
            labelled(cll.JaroWinklerLevel("address", 0.9), "Address one typo apart, postcode missing or different"),
            labelled(cll.JaroWinklerLevel("address", 0.8), "Similar addresses (a few typos, or the same street)"),
            labelled(cll.ExactMatchLevel("postcode_sector"), "Same postcode sector (a move nearby)"),
            labelled(cll.ExactMatchLevel("postcode_district"), "Same postcode district"),
            labelled(cll.ElseLevel(), "Different addresses"),
        ],
    )
    return [
        first_name,
        last_name,
        date_of_birth,
        address,
        cl.ExactMatch("phone"),
        cl.CustomComparison(
            output_column_name="national_id",
            comparison_description="NHS number",
            comparison_levels=[
                cll.NullLevel("national_id"),
                labelled(cll.ExactMatchLevel("national_id"), "Same NHS number"),
                labelled(one_typo("national_id"), "NHS numbers one digit apart"),
                labelled(cll.ElseLevel(), "Different NHS numbers"),
            ],
        ),
        cl.ExactMatch("pnc_id"),
    ]


def _settings_creator(blocking: Sequence[tuple[str, ...]] = BLOCKING_KEYS, *, keep_levels: bool = False):
    from splink import SettingsCreator, block_on

    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=_comparisons(),
        blocking_rules_to_generate_predictions=[block_on(*cols) for cols in blocking],
        retain_intermediate_calculation_columns=keep_levels,
        retain_matching_columns=keep_levels,
    )


#: The population the match probability refers to, whatever the size of the data (see
#: :func:`reference_prior`): a county-year, Hertfordshire's ~25,000 person records, the
#: size at which :data:`DEFAULT_MATCH_PROBABILITY` was chosen.
REFERENCE_RECORDS = 25_000
#: The deterministic rules used to estimate the prior (how often two random records are
#: the same person): each admits almost no false positive. They are assumed to find
#: ``_PRIOR_RECALL`` of the true matches.
_PRIOR_RULES = (
    ("first_name", "last_name", "date_of_birth", "postcode"),
    ("national_id", "date_of_birth"),
    ("pnc_id", "date_of_birth"),
)
_PRIOR_RECALL = 0.8
#: EM sessions: each blocks on some columns and estimates m for the others.
_EM_BLOCKS = (("first_name", "last_name"), ("date_of_birth",))
_EM_MAX_PAIRS = 5e6
_U_MAX_PAIRS = 4e5
_SEED = 4  # random sampling of u: the same records always give the same model


@lru_cache(maxsize=2)
def _settings_json(backend: Backend) -> str:
    """The comparisons and blocking in the backend's dialect (building them costs a tenth
    of a second, and a run needs them three times)."""
    return json.dumps(_settings_creator().get_settings(backend).as_dict())


def _untrained_settings(backend: Backend, fixed_m: dict[tuple[str, str], float] | None = None) -> dict[str, Any]:
    """The model's settings in the backend's SQL dialect, with :data:`FIXED_M` (or the
    given values for its levels) applied."""
    fixed_m = fixed_m or FIXED_M
    settings = json.loads(_settings_json(backend))
    for comparison in settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            key = (comparison["output_column_name"], level.get("label_for_charts"))
            if key in fixed_m:
                level["m_probability"] = fixed_m[key]
                level["fix_m_probability"] = True
            elif key in NOT_COUNTED:
                level.update(m_probability=0.01, u_probability=0.01, fix_m_probability=True, fix_u_probability=True)
    return settings


def _level_keys(settings: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (c["output_column_name"], level.get("label_for_charts", ""))
        for c in settings["comparisons"]
        for level in c["comparison_levels"]
    ]


def _settings_for(model: LinkageModel, backend: Backend) -> dict[str, Any]:
    """The trained parameters on the comparisons of this code, in the backend's dialect.

    A saved model's SQL is in the dialect it was trained on (DuckDB's ``list_intersect``
    is Spark's ``array_intersect``), so only its parameters are carried over: that is
    what makes a model trained on one backend give the same clusters on the other."""
    settings = _untrained_settings(backend)
    if _level_keys(settings) != _level_keys(model.settings):
        raise LinkageError("The linkage model was made for other comparisons: train a new one.")
    settings["probability_two_random_records_match"] = model.settings["probability_two_random_records_match"]
    for fresh, trained in zip(settings["comparisons"], model.settings["comparisons"], strict=True):
        for level, trained_level in zip(fresh["comparison_levels"], trained["comparison_levels"], strict=True):
            for key in ("m_probability", "u_probability"):
                if key in trained_level:
                    level[key] = trained_level[key]
    return settings


# --------------------------------------------------------------------------------------
# Backends
# --------------------------------------------------------------------------------------


def splink_logging(verbose: bool = False) -> None:
    """Splink logs every step at INFO (and warns about levels unseen in training): show
    that on stderr when ``verbose``, otherwise only errors. Its messages hold counts, timings
    and SQL, never a record's values."""
    splink_logger = logging.getLogger("splink")
    if verbose and not splink_logger.handlers:
        splink_logger.addHandler(logging.StreamHandler())
    splink_logger.setLevel(logging.INFO if verbose else logging.ERROR)


def spark_session(*, driver_memory: str = "4g", cores: int = 2):
    """A Spark session with splink's similarity-function jar (which Spark ships to the
    executors), created once: local mode on ``cores`` cores, or the cluster named by the
    environment variable ``CAREPATH_SPARK_MASTER`` (``spark://host:7077``, ``yarn``, ...).

    Sets JAVA_HOME to an installed Java 17 when it is unset (pyspark 4 needs Java 17+)."""
    if not os.environ.get("JAVA_HOME"):
        for candidate in sorted(Path("/usr/lib/jvm").glob("*17*")):
            if (candidate / "bin" / "java").exists():
                os.environ["JAVA_HOME"] = str(candidate)
                break
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise LinkageError("The Spark backend needs pyspark: pip install 'carepath[spark]'.") from None
    from splink.backends.spark import similarity_jar_location

    logging.getLogger("py4j").setLevel(logging.WARNING)  # it logs every socket it opens and closes
    scratch = Path(tempfile.gettempdir()) / "carepath-spark"
    builder = (
        SparkSession.builder.master(os.environ.get("CAREPATH_SPARK_MASTER") or f"local[{cores}]")
        .appName("carepath-linkage")
        .config("spark.driver.memory", driver_memory)
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", str(max(4, cores * 4)))
        .config("spark.default.parallelism", str(max(4, cores * 4)))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.local.dir", str(scratch))
        .config("spark.sql.warehouse.dir", str(scratch / "warehouse"))
    )
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # pyspark raises its own errors when Java cannot start
        raise LinkageError(
            f"Cannot start Spark in local mode (it needs Java 17 or later; JAVA_HOME="
            f"{os.environ.get('JAVA_HOME', 'unset')}): {exc.__class__.__name__}: {exc}"
        ) from None
    session.sparkContext.setLogLevel("ERROR")
    return session


@lru_cache(maxsize=1)
def _schema():
    import pyarrow as pa

    return pa.schema(
        [
            (
                name,
                pa.list_(pa.string())
                if name.endswith("_variants")
                else pa.date32()
                if name == "dob_real"
                else pa.string(),
            )
            for name in normalise(PersonRecord(record_id="x"))
        ]
    )


def _table(records: Iterable[PersonRecord]):
    """The normalised records as an Arrow table, built column by column so that a million
    records never exist as a million Python dicts at once."""
    import pyarrow as pa

    schema = _schema()
    columns: dict[str, list] = {name: [] for name in schema.names}
    seen: set[str] = set()
    for record in records:
        row = normalise(record)
        if row["unique_id"] in seen:
            raise LinkageError(f"record_id {row['unique_id']} appears more than once.")
        seen.add(row["unique_id"])
        for name, value in row.items():
            columns[name].append(value)
    if not seen:
        raise LinkageError("No records to link.")
    return pa.Table.from_pydict(columns, schema=schema)


_INPUT_TABLE = "carepath_person_records_"


@contextmanager
def _db_api(backend: Backend, spark=None):
    """The splink database API of a backend; Spark's checkpoints (splink breaks long
    query lineages by writing them out) go to a directory removed afterwards."""
    if backend == "duckdb":
        from splink import DuckDBAPI

        yield DuckDBAPI()
    elif backend == "spark":
        from splink import SparkAPI

        session = spark or spark_session()
        with tempfile.TemporaryDirectory(prefix="carepath-spark-checkpoints-") as checkpoints:
            session.sparkContext.setCheckpointDir(checkpoints)
            try:
                yield SparkAPI(spark_session=session)
            finally:  # the session may live on (a caller's): leave none of our views in it
                for table in session.catalog.listTables():
                    if table.isTemporary and table.name.startswith(("__splink__", _INPUT_TABLE)):
                        session.catalog.dropTempView(table.name)
    else:
        raise LinkageError(f"Unknown backend {backend!r}: use 'duckdb' or 'spark'.")


def _linker(db_api, table, settings):
    """A splink linker over an Arrow table of normalised records."""
    from splink import Linker

    if db_api.sql_dialect.sql_dialect_str == "spark":
        table = db_api.spark.createDataFrame(table)
    df = db_api.register(table, dataset_display_name=f"{_INPUT_TABLE}{uuid.uuid4().hex[:12]}")
    return Linker(df, settings, log_level=None)


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------


def train(records: Iterable[PersonRecord], *, backend: Backend = "duckdb", spark=None) -> LinkageModel:
    """Estimate the model's parameters from unlabelled records (issue 4: no labels).

    u by random sampling of record pairs, m by EM on blocked pairs (:data:`_EM_BLOCKS`),
    the prior from :data:`_PRIOR_RULES`; the levels of :data:`FIXED_M` keep their m."""
    with _db_api(backend, spark) as db_api:
        model, _ = _trained_linker(db_api, _table(records))
    return model


#: Below this many pairs of records sharing an identifier, the data cannot say how often
#: one person's records disagree on first name or date of birth: :data:`FIXED_M` stands.
_IDENTIFIER_PAIRS_MIN = 200


def _wilson_lower(hits: int, n: int, z: float = 1.96) -> float:
    """The lower end of the 95% Wilson interval of a proportion: the least the data show."""
    p = hits / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max((centre - spread) / (1 + z * z / n), 0.0)


def _data_parameters(db_api, table) -> tuple[float, dict[tuple[str, str], float], dict[str, Any]]:
    """What the data say before EM, learnt from the pairs of records that share an NHS
    number or police id: household members never do, so these pairs are one person's
    records and their disagreements are data errors, not twins (issue 12).

    - The m of each level of :data:`FIXED_M`: how often such pairs disagree on first name
      or date of birth. It takes the larger of its rule value and the lower end of the 95%
      interval of that rate, once there are :data:`_IDENTIFIER_PAIRS_MIN` such pairs.
      Where agencies rarely get these wrong (the county's data), the rule stands and twins
      stay apart; where a source garbles whole first names or dates (the public FEBRL
      sets replace them in one record of eight), the model expects it rather than
      splitting one person in two.
    - The prior (see :func:`reference_prior`): the pairs caught by the first of
      :data:`_PRIOR_RULES` (same names, date of birth and postcode), divided by the share
      of identifier pairs that rule catches, its recall in this data. With too few
      identifier pairs, all of :data:`_PRIOR_RULES` with an assumed ``_PRIOR_RECALL``."""
    from splink import block_on

    sql_dialect = db_api.sql_dialect.sql_dialect_str
    settings = _settings_creator((("national_id",), ("pnc_id",)), keep_levels=True).get_settings(sql_dialect)
    linker = _linker(db_api, table, settings.as_dict())
    predictions = linker.inference.predict(warning_mode="never")
    exact = _PRIOR_RULES[0]
    try:
        columns = [f"gamma_{comparison}" for comparison, _ in FIXED_M]
        columns += [f"{column}_{side}" for column in exact for side in "lr"]
        pairs = predictions.as_pyarrow_table().select(columns).to_pydict()
    finally:
        predictions.drop_table_from_database_and_remove_from_cache()
    records = table.num_rows
    # A level's comparison vector value: -1 missing; "different" is the level reached by
    # an identifier pair whose names or dates differ.
    different = {}
    for comparison, label in FIXED_M:
        levels = next(c for c in settings.comparisons if c.output_column_name == comparison).comparison_levels
        different[comparison] = next(
            lv.comparison_vector_value for lv in levels if lv.label_for_charts == f"{label}, {_BY_IDENTIFIER}"
        )
    gamma = {c: pairs[f"gamma_{c}"] for c in different}
    agrees = {c: [g not in (-1, different[c]) for g in gamma[c]] for c in different}
    # One person's records, as far as the identifier and one of first name or date of
    # birth say: an identifier mistyped onto another person's record (a mother's NHS
    # number on her child's) agrees on neither, and is left out.
    one_person = [f or d for f, d in zip(agrees["first_name"], agrees["date_of_birth"])]
    evidence: dict[str, Any] = {"records": records, "identifier_pairs": sum(one_person)}
    fixed = dict(FIXED_M)
    for (comparison, label), rule in FIXED_M.items():
        # How often the one field differs where the other agrees.
        other = agrees["date_of_birth" if comparison == "first_name" else "first_name"]
        seen = [g for g, o in zip(gamma[comparison], other) if o and g != -1]
        differ = sum(g == different[comparison] for g in seen)
        evidence[f"{comparison}_differs"] = {"pairs": len(seen), "different": differ}
        if len(seen) >= _IDENTIFIER_PAIRS_MIN:
            fixed[(comparison, label)] = max(rule, _wilson_lower(differ, len(seen)))
    if evidence["identifier_pairs"] >= _IDENTIFIER_PAIRS_MIN:
        caught = sum(
            all(pairs[f"{c}_l"][i] is not None and pairs[f"{c}_l"][i] == pairs[f"{c}_r"][i] for c in exact)
            for i, same in enumerate(one_person)
            if same
        )
        rules, recall = [exact], max(caught / evidence["identifier_pairs"], 0.05)
    else:
        rules, recall = list(_PRIOR_RULES), _PRIOR_RECALL
    linker.training.estimate_probability_two_random_records_match([block_on(*c) for c in rules], recall=recall)
    per_record = linker._settings_obj._probability_two_random_records_match * max(records - 1, 1)
    evidence.update(prior_rule_recall=recall, other_records_per_record=per_record)
    return reference_prior(per_record, records), fixed, evidence


def _trained_linker(db_api, table):
    """Train on the table (issue 4: no labels): the prior and the rule-fixed levels from
    :func:`_data_parameters`, u by random sampling, m by EM on :data:`_EM_BLOCKS`.
    Returns the model and a linker that predicts with it."""
    from splink import block_on

    backend = db_api.sql_dialect.sql_dialect_str
    prior, fixed_m, evidence = _data_parameters(db_api, table)
    settings = _untrained_settings(backend, fixed_m)
    settings["probability_two_random_records_match"] = prior
    linker = _linker(db_api, table, settings)
    training = linker.training
    records = table.num_rows
    # Forty random pairs a record, up to _U_MAX_PAIRS: a small file needs fewer to learn
    # how strangers compare, and scoring each pair costs as much as the rest of training.
    pairs = min(_U_MAX_PAIRS, 40 * records, records * (records - 1) / 8)
    training.estimate_u_using_random_sampling(max_pairs=pairs, seed=_SEED, num_chunks=1)
    for cols in _EM_BLOCKS:  # EM keeps the prior: each session works on its own copy
        training.estimate_parameters_using_expectation_maximisation(block_on(*cols), max_pairs=_EM_MAX_PAIRS)
    model = LinkageModel(settings=linker.misc.save_model_to_json(), training={"backend": backend, **evidence})
    return model, linker


def reference_prior(per_record: float, records: int) -> float:
    """The prior of ``records`` records, or of :data:`REFERENCE_RECORDS` if there are more,
    in which each record has ``per_record`` other records of the same person.

    The prior splink estimates is for two records drawn from *this* data set: with the
    same number of duplicates per person it falls as 1/n, so a pair whose evidence links
    it among a county's 25,000 records would fall below the same threshold among a
    million (issue 12: recall fell at scale). Held at a county-year's, the threshold
    means the same at every larger size: "this probability, had the pair come from a
    county-year". Smaller data sets keep their own."""
    return min(per_record / (min(records, REFERENCE_RECORDS) - 1 or 1), 0.5)


def link(
    records: Iterable[PersonRecord],
    *,
    model: LinkageModel | None = None,
    backend: Backend = "duckdb",
    match_probability: float = DEFAULT_MATCH_PROBABILITY,
    review_probability: float = DEFAULT_REVIEW_PROBABILITY,
    spark=None,
) -> LinkageResult:
    """Link records into people: score blocked pairs, keep those at or above
    ``review_probability``, and cluster (connected components) those at or above
    ``match_probability``. Trains a model on the records first when none is given."""
    if not 0 < review_probability <= match_probability < 1:
        raise LinkageError("Thresholds must satisfy 0 < review_probability <= match_probability < 1.")
    table = _table(records)
    with _db_api(backend, spark) as db_api:
        if model is None:
            model, linker = _trained_linker(db_api, table)
        else:
            linker = _linker(db_api, table, _settings_for(model, backend))
        predictions = linker.inference.predict(threshold_match_probability=review_probability, warning_mode="never")
        clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=match_probability
        )
        ids = clustered.as_pyarrow_table().select(["unique_id", "cluster_id"]).to_pydict()
        scored = (
            predictions.as_pyarrow_table()
            .select(["unique_id_l", "unique_id_r", "match_probability", "match_weight"])
            .to_pydict()
        )
    clusters = dict(zip(ids["unique_id"], ids["cluster_id"], strict=True))
    pairs = [
        ScoredPair(*sorted((a, b)), p, w)
        for a, b, p, w in zip(
            scored["unique_id_l"],
            scored["unique_id_r"],
            scored["match_probability"],
            scored["match_weight"],
            strict=True,
        )
    ]
    pairs.sort(key=lambda p: (-p.match_probability, p.record_id_l, p.record_id_r))
    return LinkageResult(
        clusters=clusters,
        pairs=pairs,
        match_probability=match_probability,
        review_probability=review_probability,
        model=model,
    )


@lru_cache(maxsize=2)
def _scorer(model_json: str):
    """A DuckDB linker kept for one model, with a lock: building one costs more than
    scoring a new record against its candidates, which the front door does at every
    arrival (issue 4: "well under a second")."""
    import pyarrow as pa
    from splink import DuckDBAPI

    model = LinkageModel.from_json(model_json)
    db_api = DuckDBAPI()
    template = pa.Table.from_pylist([normalise(PersonRecord(record_id="template"))], schema=_schema())
    return db_api, _linker(db_api, template, _settings_for(model, "duckdb")), threading.Lock()


def _score(model: LinkageModel, left: list[dict[str, Any]], right: list[dict[str, Any]]):
    """Score every left record against every right one (DuckDB, in memory), keeping each
    comparison's level and match weight. Returns the linker (for its settings) and rows."""
    import pyarrow as pa

    db_api, linker, lock = _scorer(model.to_json())
    with lock:
        # Typed tables, not dicts: a column that is empty on every record (no real date of
        # birth) would otherwise have no type, and date arithmetic on it fails.
        inputs = [db_api.register(pa.Table.from_pylist(rows, schema=_schema())) for rows in (left, right)]
        scored = linker.inference.score_pairs(*inputs)
        try:
            rows = scored.as_record_list()
        finally:
            scored.drop_table_from_database_and_remove_from_cache()
            for table in inputs:  # ours, registered above
                table.drop_table_from_database_and_remove_from_cache(force_non_splink_table=True)
            # score_pairs registers its two inputs under fresh names each time.
            for name, kind in db_api._con.execute(
                "SELECT table_name, table_type FROM information_schema.tables "
                "WHERE table_name LIKE '__splink__compare_two_records_%'"
            ).fetchall():
                db_api._con.execute(f'DROP {"VIEW" if kind == "VIEW" else "TABLE"} IF EXISTS "{name}"')
    return linker, rows


def match_new(record: PersonRecord, candidates: Sequence[PersonRecord], model: LinkageModel) -> list[ScoredPair]:
    """Score one new record against candidate existing records, best first.

    Fetch the candidates as the records sharing at least one of :func:`blocking_keys`
    with the new one (that is what :func:`link` compares); a few hundred take well under a
    second. Apply the partnership's thresholds to ``match_probability``."""
    if not candidates:
        return []
    new = normalise(record)
    others = [normalise(c) for c in candidates if str(c.record_id) != new["unique_id"]]
    if not others:
        return []
    _, scored = _score(model, [new], others)
    pairs = [
        ScoredPair(*sorted((s["unique_id_l"], s["unique_id_r"])), s["match_probability"], s["match_weight"])
        for s in scored
    ]
    return sorted(pairs, key=lambda p: (-p.match_probability, p.record_id_l, p.record_id_r))


def explain(model: LinkageModel, record_a: PersonRecord, record_b: PersonRecord) -> Explanation:
    """Why two records were (or were not) linked: for each comparison the level the pair
    reached, its m and u, Bayes factor and match weight, plus the prior; the weights add
    up to the final match weight (data for the "why were these linked" page)."""
    linker, scored = _score(model, [normalise(record_a)], [normalise(record_b)])
    (row,) = scored
    settings = linker._settings_obj
    parts = []
    for comparison in settings.comparisons:
        name = comparison.output_column_name
        gamma = row[f"gamma_{name}"]
        level = next(lv for lv in comparison.comparison_levels if lv.comparison_vector_value == gamma)
        null = level.is_null_level
        parts.append(
            ComparisonExplanation(
                comparison=name,
                description=comparison.comparison_description,
                level="Missing on one or both records" if null else level.label_for_charts,
                bayes_factor=2.0 ** row[f"mw_{name}"],
                match_weight=row[f"mw_{name}"],
                m_probability=None if null else level.m_probability,
                u_probability=None if null else level.u_probability,
            )
        )
    prior = settings._probability_two_random_records_match
    prior_weight = math.log2(prior / (1 - prior))
    return Explanation(
        record_id_l=row["unique_id_l"],
        record_id_r=row["unique_id_r"],
        prior_match_weight=prior_weight,
        prior_probability=prior,
        comparisons=parts,
        match_weight=row["match_weight"],
        match_probability=row["match_probability"],
    )
