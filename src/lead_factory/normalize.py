"""Normalisation rules that need a library rather than SQL: phone numbers, name casing, company names.

Each function takes one raw value and returns the normalised value, or ``None`` when there is
nothing usable. The dbt-duckdb plugin (``lead_factory.dbt_plugin``) registers them as DuckDB
functions so that staging models call them from SQL; pytest tests them directly.
"""

from __future__ import annotations

import re
import unicodedata

import jellyfish
import phonenumbers
from cleanco import basename

# Abbreviations written both ways in company names; the long form is what matching compares.
COMPANY_ABBREVIATIONS: dict[str, str] = {
    "intl": "international",
    "int'l": "international",
    "mfg": "manufacturing",
    "svcs": "services",
    "svc": "services",
    "grp": "group",
    "hldgs": "holdings",
    "natl": "national",
    "assoc": "associates",
    "&": "and",
    "+": "and",
}

_LETTERS = re.compile(r"[^\W\d_]+")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def _fold_accents(text: str) -> str:
    """ASCII-fold a string: "Müller" -> "Muller" (characters with no ASCII form are dropped)."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def phone_to_e164(raw: str | None, country_code: str | None = None) -> str | None:
    """The phone number in E.164 form (``+4930123456``) when it is a valid number, else ``None``.

    ``country_code`` (ISO 3166 alpha-2) is the region used for numbers written without an
    international prefix; numbers with ``+`` or the region's international dialling prefix ignore
    it. Without a region, a leading ``00`` (the prefix most of the world dials) is read as ``+``.
    Extensions are dropped.
    """
    if raw is None:
        return None
    text = raw.strip()
    if not text or len(text) > 64:
        return None
    region = country_code.upper() if country_code and len(country_code) == 2 else None
    if region is None and text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def proper_case_name(raw: str | None) -> str | None:
    """A person's name with its casing repaired when it was typed all upper or all lower case.

    "JOHN" and "john" become "John", "o'brien" becomes "O'Brien", "jean-luc" becomes "Jean-Luc";
    a name with mixed case ("McDonald", "van der Berg") is kept as typed. Whitespace is trimmed
    and collapsed; an empty name is ``None``.
    """
    if raw is None:
        return None
    text = " ".join(raw.split())
    if not text:
        return None
    if text.upper() == text or text.lower() == text:
        return _LETTERS.sub(lambda m: m.group(0)[:1].upper() + m.group(0)[1:].lower(), text)
    return text


def company_match_name(raw: str | None) -> str | None:
    """The form of a company name used for matching: legal suffixes stripped, lower-case ASCII.

    "ACME, Inc." and "Acme Incorporated" both give "acme"; "Acme Intl Ltd" and "Acme International
    Limited" both give "acme international"; "Müller Logistik GmbH" gives "muller logistik".
    Legal suffixes come from the cleanco package's per-country term lists.
    """
    if raw is None:
        return None
    text = " ".join(raw.split())
    if not text:
        return None
    stripped = basename(text) or text
    words = []
    for token in stripped.lower().replace("&", " & ").replace("+", " + ").split():
        token = COMPANY_ABBREVIATIONS.get(token.rstrip("."), token)
        words.append(token)
    folded = _NON_ALNUM.sub(" ", _fold_accents(" ".join(words))).strip()
    return folded or None


def name_sound(raw: str | None) -> str | None:
    """How a name sounds (its Metaphone code, jellyfish's): "Smith" and "Smyth" both give "SM0".
    Blocking on it brings together names spelt differently; null for a name without letters."""
    if raw is None:
        return None
    letters = "".join(ch for ch in _fold_accents(raw).lower() if ch.isalpha())
    return jellyfish.metaphone(letters) or None if letters else None
