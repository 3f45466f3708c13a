"""Static word pools of the demo world: countries, company words, titles, email domains and mess values.

Everything here is plain data or is read once from faker's locale providers; the generator draws
from these pools with its own seeded random number generator and never calls Faker per record.
"""

from __future__ import annotations

import importlib
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

import nicknames

T = TypeVar("T")


@dataclass(frozen=True)
class Country:
    """A country of the demo world and how its people, companies and data look."""

    code: str
    weight: int
    locales: tuple[str, ...]
    aliases: tuple[str, ...]  # written forms that are not the alpha-2 code
    suffixes: tuple[str, ...]  # canonical legal suffixes, most common first
    tlds: tuple[str, ...]
    cities: tuple[str, ...]
    free_mail: tuple[str, ...]
    utc_offsets: tuple[str, ...]
    company_words: tuple[str, ...] = ()


COUNTRIES: tuple[Country, ...] = (
    Country(
        "US",
        38,
        ("en_US",),
        ("USA", "U.S.", "United States", "United States of America", "America", "usa"),
        ("Inc.", "LLC", "Corp."),
        ("com", "com", "io", "co", "ai"),
        ("New York", "San Francisco", "Austin", "Chicago", "Boston", "Seattle", "Denver", "Atlanta", "Miami"),
        ("aol.com", "comcast.net", "yahoo.com"),
        ("-05:00", "-04:00", "-06:00", "-07:00", "-08:00"),
    ),
    Country(
        "GB",
        10,
        ("en_GB",),
        ("UK", "U.K.", "United Kingdom", "Great Britain", "England", "GBR"),
        ("Ltd", "PLC"),
        ("co.uk", "com", "io"),
        ("London", "Manchester", "Birmingham", "Leeds", "Edinburgh", "Bristol", "Glasgow"),
        ("yahoo.co.uk", "btinternet.com", "hotmail.co.uk", "live.co.uk"),
        ("+00:00", "+01:00", "Z"),
    ),
    Country(
        "DE",
        10,
        ("de_DE",),
        ("Germany", "Deutschland", "DEU", "deu", "germany", "Federal Republic of Germany"),
        ("GmbH", "AG", "GmbH & Co. KG"),
        ("de", "de", "com", "io"),
        ("Berlin", "München", "Hamburg", "Köln", "Frankfurt am Main", "Stuttgart", "Düsseldorf", "Leipzig"),
        ("gmx.de", "web.de", "t-online.de", "gmx.net"),
        ("+01:00", "+02:00"),
        ("Logistik", "Maschinenbau", "Beratung", "Technik", "Handel", "Elektronik", "Energie", "Bau"),
    ),
    Country(
        "FR",
        7,
        ("fr_FR",),
        ("France", "FRA", "france", "République française"),
        ("SAS", "S.A.", "SARL"),
        ("fr", "fr", "com", "io"),
        ("Paris", "Lyon", "Marseille", "Toulouse", "Nantes", "Bordeaux", "Lille"),
        ("orange.fr", "free.fr", "laposte.net", "wanadoo.fr", "yahoo.fr"),
        ("+01:00", "+02:00"),
        ("Conseil", "Logistique", "Industries", "Services", "Technologies", "Ingénierie"),
    ),
    Country(
        "ES",
        4,
        ("es_ES",),
        ("Spain", "España", "Espana", "ESP", "spain"),
        ("S.L.", "S.A."),
        ("es", "com"),
        ("Madrid", "Barcelona", "Valencia", "Sevilla", "Bilbao", "Málaga"),
        ("yahoo.es", "hotmail.es", "telefonica.net"),
        ("+01:00", "+02:00"),
        ("Consultores", "Logística", "Soluciones", "Tecnología", "Industrias"),
    ),
    Country(
        "NL",
        4,
        ("nl_NL",),
        ("Netherlands", "The Netherlands", "the netherlands", "Holland", "Nederland", "NLD"),
        ("B.V.", "N.V."),
        ("nl", "com", "io"),
        ("Amsterdam", "Rotterdam", "Utrecht", "Den Haag", "Eindhoven", "Groningen"),
        ("ziggo.nl", "kpnmail.nl", "hotmail.nl"),
        ("+01:00", "+02:00"),
        ("Logistiek", "Advies", "Techniek", "Groep"),
    ),
    Country(
        "SE",
        3,
        ("sv_SE",),
        ("Sweden", "Sverige", "SWE", "sweden"),
        ("AB",),
        ("se", "com"),
        ("Stockholm", "Göteborg", "Malmö", "Uppsala", "Linköping"),
        ("spray.se", "live.se"),
        ("+01:00", "+02:00"),
        ("Konsult", "Teknik", "Logistik", "Bygg"),
    ),
    Country(
        "CA",
        5,
        ("en_US", "en_US", "en_US", "fr_CA"),
        ("Canada", "CAN", "canada"),
        ("Inc.", "Ltd."),
        ("ca", "com"),
        ("Toronto", "Montréal", "Vancouver", "Calgary", "Ottawa", "Québec"),
        ("yahoo.ca", "shaw.ca", "rogers.com"),
        ("-05:00", "-04:00", "-08:00", "-07:00"),
    ),
    Country(
        "AU",
        4,
        ("en_GB",),
        ("Australia", "AUS", "australia", "Aus"),
        ("Pty Ltd",),
        ("com.au",),
        ("Sydney", "Melbourne", "Brisbane", "Perth", "Adelaide"),
        ("bigpond.com", "optusnet.com.au", "yahoo.com.au"),
        ("+10:00", "+11:00", "+08:00"),
    ),
    Country(
        "IN",
        5,
        ("en_IN",),
        ("India", "IND", "india", "Bharat"),
        ("Pvt Ltd", "Ltd"),
        ("in", "co.in", "com"),
        ("Bengaluru", "Mumbai", "New Delhi", "Hyderabad", "Pune", "Chennai"),
        ("rediffmail.com", "yahoo.co.in"),
        ("+05:30",),
        ("Infotech", "Exports", "Consultancy", "Technologies"),
    ),
    Country(
        "JP",
        3,
        ("ja_JP",),
        ("Japan", "JPN", "japan", "Nippon"),
        ("K.K.", "Co., Ltd."),
        ("co.jp", "jp"),
        ("Tokyo", "Osaka", "Yokohama", "Nagoya", "Fukuoka"),
        ("yahoo.co.jp",),
        ("+09:00",),
        ("Trading", "Electronics", "Industries"),
    ),
    Country(
        "BR",
        3,
        ("pt_BR",),
        ("Brazil", "Brasil", "BRA", "brasil"),
        ("Ltda.", "S.A."),
        ("com.br",),
        ("São Paulo", "Rio de Janeiro", "Belo Horizonte", "Curitiba", "Porto Alegre"),
        ("uol.com.br", "bol.com.br", "terra.com.br", "hotmail.com.br"),
        ("-03:00",),
        ("Consultoria", "Logística", "Tecnologia", "Soluções"),
    ),
    Country(
        "PL",
        2,
        ("pl_PL",),
        ("Poland", "Polska", "POL", "poland"),
        ("Sp. z o.o.", "S.A."),
        ("pl", "com"),
        ("Warszawa", "Kraków", "Wrocław", "Gdańsk", "Poznań", "Łódź"),
        ("wp.pl", "o2.pl", "onet.pl", "interia.pl"),
        ("+01:00", "+02:00"),
        ("Logistyka", "Technologie", "Doradztwo"),
    ),
    Country(
        "DK",
        2,
        ("da_DK",),
        ("Denmark", "Danmark", "DNK", "denmark"),
        ("A/S", "ApS"),
        ("dk", "com"),
        ("København", "Aarhus", "Odense", "Aalborg"),
        ("live.dk",),
        ("+01:00", "+02:00"),
        ("Rådgivning", "Teknik", "Logistik"),
    ),
)
COUNTRY_BY_CODE = {c.code: c for c in COUNTRIES}
UNKNOWN_COUNTRIES = ("Atlantis", "Earth", "Narnia", "Mars", "Middle Earth")
GLOBAL_FREE_MAIL = (
    "gmail.com",
    "gmail.com",
    "gmail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
    "icloud.com",
)
DISPOSABLE_DOMAINS = (
    "mailinator.com",
    "guerrillamail.com",
    "10minutemail.com",
    "yopmail.com",
    "sharklasers.com",
    "trashmail.com",
    "temp-mail.org",
    "getnada.com",
    "dispostable.com",
)
# Misspelled free-mail domains that are on neither the free-mail list nor the disposable blocklist
# (gmial.com and hotmial.com are on the blocklist, so they would read as disposable, not as typos).
FREE_MAIL_TYPOS = (
    "gmai.com",
    "gmal.com",
    "gnail.com",
    "gmaill.com",
    "gamil.com",
    "gmail.con",
    "hotmal.com",
    "hotnail.com",
    "hotmail.cmo",
    "yahooo.com",
    "outlok.com",
    "iclod.com",
)
ROLE_LOCAL_PARTS = ("info", "sales", "admin", "contact", "marketing", "hello", "office")
PLACEHOLDERS = ("N/A", "n/a", "-", "none", "null", "unknown", "None", "NULL", "[not provided]")
JUNK_NAMES = (
    ("test", "test"),
    ("asdf", "asdf"),
    ("xxx", "xxx"),
    ("Mickey", "Mouse"),
    ("aaa", "aaa"),
    ("Test", "User"),
    ("qwerty", "qwerty"),
    ("Donald", "Duck"),
)
INVALID_PHONES = ("12345", "000-000", "123", "0000000000", "+1 000 000 0000", "00000", "99999", "1234")
HOSTILE_SQL = ("Robert'); DROP TABLE leads;--", "x' OR '1'='1", "Acme'; DELETE FROM accounts; --")
HOSTILE_MARKUP = ("<script>alert(1)</script>", '=HYPERLINK("http://evil.example","click")')
EMOJI = ("🚀", "😀", "🔥", "✨", "🦄")

BRAND_HEADS = (
    "Bright",
    "Blue",
    "Silver",
    "North",
    "Green",
    "Red",
    "Iron",
    "Clear",
    "Swift",
    "True",
    "Nova",
    "Peak",
    "Stone",
    "Cloud",
    "Sun",
    "Star",
    "Oak",
    "River",
    "Summit",
    "Harbor",
    "Pine",
    "Ever",
    "Open",
    "Prime",
    "Alpha",
    "Apex",
    "Vertex",
    "Quantum",
    "Crest",
    "Bridge",
    "Core",
    "Falcon",
    "Eagle",
    "Atlas",
    "Orbit",
    "Pixel",
    "Metro",
    "Urban",
    "Polar",
    "Coral",
    "Maple",
    "Cedar",
    "Granite",
    "Silk",
    "Lumen",
    "Vivid",
    "Terra",
    "Aero",
    "Acme",
    "Zen",
    "Hyper",
    "Blink",
    "Fox",
    "Wolf",
    "Bear",
    "Lake",
    "Frost",
    "Amber",
)
BRAND_TAILS = (
    "wave",
    "stone",
    "field",
    "point",
    "light",
    "works",
    "line",
    "path",
    "gate",
    "view",
    "wise",
    "spark",
    "forge",
    "bit",
    "link",
    "scale",
    "shift",
    "sphere",
    "flow",
    "mark",
    "ridge",
    "stream",
    "port",
    "base",
    "leaf",
    "tek",
    "ly",
    "hub",
    "nest",
    "loop",
    "grid",
    "wing",
    "",
)
COMPANY_WORDS = (
    "Analytics",
    "Logistics",
    "Software",
    "Systems",
    "Solutions",
    "Technologies",
    "Consulting",
    "Labs",
    "Partners",
    "Health",
    "Energy",
    "Manufacturing",
    "Capital",
    "Foods",
    "Media",
    "Robotics",
    "Networks",
    "Services",
    "International",
    "Group",
    "Holdings",
    "Retail",
    "Security",
    "Biotech",
    "Motors",
    "Design",
)
# Abbreviations people type for words of company names, both ways round.
COMPANY_ABBREVIATIONS = {
    "International": "Intl",
    "Technologies": "Tech",
    "Manufacturing": "Mfg",
    "Services": "Svcs",
    "Systems": "Sys",
    "Consulting": "Consultants",
    "Group": "Grp",
    "Holdings": "Hldgs",
    "&": "and",
    "Solutions": "Sol.",
    "Partners": "Ptnrs",
}
SUFFIX_VARIANTS = {
    "Inc.": ("Inc", ", Inc.", ", Inc", "Incorporated", "INC", "inc."),
    "LLC": ("L.L.C.", "llc", ", LLC"),
    "Corp.": ("Corporation", "Corp", "corp."),
    "Ltd": ("Limited", "Ltd.", "LTD", "ltd"),
    "Ltd.": ("Limited", "Ltd", "LTD"),
    "PLC": ("plc", "Public Limited Company"),
    "GmbH": ("gmbh", "GMBH", "G.m.b.H."),
    "GmbH & Co. KG": ("GmbH & Co KG", "GmbH&Co.KG", "gmbh & co. kg"),
    "AG": ("A.G.", "ag", "Aktiengesellschaft"),
    "SAS": ("S.A.S.", "sas"),
    "SARL": ("S.A.R.L.", "sarl"),
    "S.A.": ("SA", "S.A", "s.a."),
    "S.L.": ("SL", "S.L", "s.l."),
    "B.V.": ("BV", "bv", "B.V"),
    "N.V.": ("NV", "nv"),
    "AB": ("Aktiebolag", "ab"),
    "Pty Ltd": ("Pty. Ltd.", "PTY LTD", "Proprietary Limited"),
    "Pvt Ltd": ("Private Limited", "Pvt. Ltd.", "PVT LTD"),
    "K.K.": ("Kabushiki Kaisha", "KK"),
    "Co., Ltd.": ("Co. Ltd", "Company Limited"),
    "Ltda.": ("Ltda", "LTDA"),
    "Sp. z o.o.": ("sp. z o.o.", "Sp z oo"),
    "A/S": ("AS", "a/s"),
    "ApS": ("Aps", "APS"),
}
INDUSTRIES = (
    "Technology",
    "Manufacturing",
    "Finance",
    "Healthcare",
    "Retail",
    "Consulting",
    "Transportation",
    "Energy",
    "Education",
    "Media",
    "Telecommunications",
    "Insurance",
    "Construction",
    "Food & Beverage",
)
WORD_INDUSTRY = {
    "Analytics": "Technology",
    "Software": "Technology",
    "Systems": "Technology",
    "Labs": "Technology",
    "Technologies": "Technology",
    "Networks": "Telecommunications",
    "Security": "Technology",
    "Logistics": "Transportation",
    "Motors": "Transportation",
    "Consulting": "Consulting",
    "Partners": "Consulting",
    "Health": "Healthcare",
    "Biotech": "Healthcare",
    "Energy": "Energy",
    "Manufacturing": "Manufacturing",
    "Robotics": "Manufacturing",
    "Capital": "Finance",
    "Holdings": "Finance",
    "Foods": "Food & Beverage",
    "Media": "Media",
    "Retail": "Retail",
    "Design": "Media",
    "Logistik": "Transportation",
    "Logistique": "Transportation",
    "Logística": "Transportation",
    "Logistiek": "Transportation",
    "Logistyka": "Transportation",
    "Maschinenbau": "Manufacturing",
    "Industries": "Manufacturing",
    "Industrias": "Manufacturing",
    "Beratung": "Consulting",
    "Conseil": "Consulting",
    "Consultores": "Consulting",
    "Advies": "Consulting",
    "Konsult": "Consulting",
    "Consultoria": "Consulting",
    "Doradztwo": "Consulting",
    "Rådgivning": "Consulting",
    "Consultancy": "Consulting",
    "Elektronik": "Technology",
    "Electronics": "Technology",
    "Energie": "Energy",
    "Bau": "Construction",
    "Bygg": "Construction",
    "Handel": "Retail",
    "Trading": "Retail",
    "Exports": "Retail",
    "Infotech": "Technology",
    "Tecnología": "Technology",
    "Tecnologia": "Technology",
    "Technologie": "Technology",
    "Soluciones": "Technology",
    "Soluções": "Technology",
    "Teknik": "Technology",
    "Techniek": "Technology",
    "Technik": "Technology",
    "Ingénierie": "Manufacturing",
}
ACCOUNT_TYPES = (
    "Customer - Direct",
    "Customer - Direct",
    "Prospect",
    "Prospect",
    "Partner",
    "Customer - Channel",
)
LEAD_SOURCES = (
    "Web",
    "Phone Inquiry",
    "Partner Referral",
    "Purchased List",
    "Trade Show",
    "Word of mouth",
    "Other",
)
LEAD_STATUSES = ("Open - Not Contacted", "Working - Contacted", "Closed - Not Converted")
JOB_TITLES = (
    "CEO",
    "CTO",
    "CFO",
    "COO",
    "Founder",
    "Co-Founder",
    "Managing Director",
    "VP Sales",
    "VP Marketing",
    "VP Engineering",
    "Head of Sales",
    "Head of Marketing",
    "Head of Data",
    "Head of Operations",
    "Sales Director",
    "Marketing Director",
    "IT Director",
    "Director of Finance",
    "Marketing Manager",
    "Sales Manager",
    "Product Manager",
    "Project Manager",
    "Operations Manager",
    "Account Executive",
    "Account Manager",
    "Business Development Representative",
    "Sales Development Representative",
    "Marketing Operations Manager",
    "Revenue Operations Manager",
    "Data Engineer",
    "Data Analyst",
    "Analytics Engineer",
    "Software Engineer",
    "Senior Software Engineer",
    "Data Scientist",
    "Consultant",
    "Procurement Manager",
    "Office Manager",
    "HR Manager",
    "Customer Success Manager",
    "Controller",
    "Growth Marketing Lead",
    "Demand Generation Manager",
    "Solutions Architect",
    "Student",
    "Intern",
)
JOB_TITLES_LOCAL = {
    "DE": ("Geschäftsführer", "Vertriebsleiter", "Leiter Marketing", "Einkäufer", "Prokurist"),
    "FR": ("Directeur Commercial", "Responsable Marketing", "Chef de projet", "Directrice Générale"),
    "ES": ("Director Comercial", "Jefe de Ventas", "Responsable de Marketing"),
    "BR": ("Diretor Comercial", "Gerente de Marketing", "Analista de Dados"),
}
LONG_TEXT = (
    "Senior Vice President of Global Strategic Partnerships, Channel Alliances, Ecosystem Development "
    "and Business Transformation for Europe, the Middle East, Africa, Latin America and Asia Pacific "
    "regions (interim), reporting to the Chief Revenue Officer and the Board of Directors' Strategy "
    "Committee; also responsible for M&A integration, pricing governance and partner enablement programs"
)
assert len(LONG_TEXT) > 300


def pick(rng: random.Random, options: Sequence[T]) -> T:
    """A uniform choice from ``options``; several times faster than ``rng.choice``."""
    return options[int(rng.random() * len(options))]


def below(rng: random.Random, start: int, stop: int | None = None) -> int:
    """A random integer in ``range(start, stop)`` (or ``range(start)``), the fast way."""
    if stop is None:
        start, stop = 0, start
    return start + int(rng.random() * (stop - start))


_FOLD = str.maketrans(
    {
        "ß": "ss",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "œ": "oe",
        "Œ": "OE",
        "\u0131": "i",
    }
)
_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def ascii_fold(text: str, german: bool = False) -> str:
    """``text`` without diacritics ("José" → "Jose"); German umlauts as ae/oe/ue when ``german``."""
    if text.isascii():
        return text
    if german:
        text = text.translate(_GERMAN)
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@cache
def slug(text: str) -> str:
    """Lower-case ASCII letters and digits only, as used in email local parts and domains."""
    folded = ascii_fold(text, german=True).lower()
    return "".join(ch for ch in folded if ch.isascii() and ch.isalnum())


@cache
def person_names(locale: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """First and last names of a faker locale (romanised for Japanese), read once."""
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    if locale == "ja_JP":
        return tuple(provider.first_romanized_names), tuple(provider.last_romanized_names)
    first = tuple(dict.fromkeys([*provider.first_names_male, *provider.first_names_female]))
    if locale == "pl_PL":  # pl_PL keeps its surnames outside ``last_names``
        last = tuple(dict.fromkeys([*provider.male_last_names, *provider.unisex_last_names]))
    else:
        last = tuple(provider.last_names)
    return first, last


STREET_ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("Street", "St"),
    ("Road", "Rd"),
    ("Avenue", "Ave"),
    ("Lane", "Ln"),
    ("Drive", "Dr"),
    ("straße", "str."),
    ("Boulevard", "Bd"),
)
"""How people shorten street types, as lists and CRM records write them."""


@cache
def nicknames_of(first: str) -> tuple[str, ...]:
    """The nicknames the nicknames package knows for a first name ("William" → "Bill", "Will" ...),
    title-cased and sorted; empty for a name it does not know."""
    return tuple(sorted(n.title() for n in _NICKNAMER.nicknames_of(first.lower())))


_NICKNAMER = nicknames.NickNamer()
