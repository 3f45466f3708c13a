"""How a person's true values get written into a landing record, with planted and recorded defects.

``Mess.write`` returns the written values of the logical fields (``None`` = left empty) and the list
of ``(field, defect)`` pairs it planted. Defect codes are those of ``truth/defects.csv``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from lead_factory.demo import pools
from lead_factory.demo.phones import render
from lead_factory.demo.pools import below, pick
from lead_factory.demo.world import Company, Person, World

Defects = list[tuple[str, str]]
Values = dict[str, str | None]
FREELANCE_COMPANIES = (None, None, "Self-employed", "Freelance", "Independent Consultant")
HOSTILE_KINDS = (
    "emoji_name",
    "sql_name",
    "long_title",
    "sql_company",
    "markup_company",
    "long_company",
    "newline_title",
)
_TYPO_FREE_MAIL = {
    "gmail.com": ("gmai.com", "gmal.com", "gnail.com", "gmaill.com", "gamil.com", "gmail.con"),
    "hotmail.com": ("hotmal.com", "hotnail.com", "hotmail.cmo"),
    "yahoo.com": ("yahooo.com",),
    "outlook.com": ("outlok.com",),
    "icloud.com": ("iclod.com",),
}


@dataclass(frozen=True)
class Rates:
    """Probabilities of each kind of mess in one record (repeat records use the ``repeat_`` ones)."""

    junk_name: float = 0.004
    missing_first: float = 0.005
    missing_last: float = 0.008
    placeholder_last: float = 0.004
    name_typo: float = 0.01
    repeat_name_typo: float = 0.12
    nickname: float = 0.01
    repeat_nickname: float = 0.08
    initial: float = 0.005
    repeat_initial: float = 0.05
    swapped_names: float = 0.003
    repeat_swapped_names: float = 0.02
    street_abbreviated: float = 0.2
    ascii_fold: float = 0.25
    name_case: float = 0.04
    name_space: float = 0.03
    email_missing: float = 0.01
    email_placeholder: float = 0.003
    disposable: float = 0.015
    role: float = 0.015
    invalid_email: float = 0.01
    email_typo: float = 0.015
    personal: float = 0.12
    repeat_personal: float = 0.35
    email_case: float = 0.04
    email_space: float = 0.03
    company_missing: float = 0.02
    company_placeholder: float = 0.01
    company_variant: float = 0.2
    repeat_company_variant: float = 0.4
    title_missing: float = 0.08
    title_placeholder: float = 0.01
    phone_missing: float = 0.15
    phone_placeholder: float = 0.01
    invalid_phone: float = 0.01
    country_missing: float = 0.03
    country_placeholder: float = 0.005
    unknown_country: float = 0.004


INBOUND = Rates()
# Records kept by sales reps: names and company are required fields, free text is less wild.
CRM = Rates(
    junk_name=0.001,
    missing_first=0.01,
    missing_last=0.0,
    placeholder_last=0.002,
    ascii_fold=0.1,
    disposable=0.002,
    role=0.005,
    invalid_email=0.003,
    email_typo=0.005,
    personal=0.05,
    email_missing=0.03,
    company_missing=0.0,
    company_placeholder=0.01,
    company_variant=0.25,
    title_missing=0.15,
    phone_missing=0.2,
    unknown_country=0.001,
)


@dataclass(frozen=True)
class Style:
    """How one source or file writes values: country as code or name, phone formats."""

    country_alias: float = 0.3
    phone_e164: float = 0.4
    phone_styles: tuple[str, ...] = ("international", "national", "dashed", "national_digits", "double_zero")
    phone_extension: float = 0.03


def _draw(r: float, options: tuple[tuple[str, float], ...]) -> str:
    """The first option whose cumulative probability exceeds ``r`` (a uniform draw), or ""."""
    for code, p in options:
        if r < p:
            return code
        r -= p
    return ""


def _typo(rng: random.Random, value: str) -> str:
    """One keyboard slip: two letters swapped, a letter dropped or a letter doubled."""
    if len(value) < 4:
        return value + value[-1]
    i = below(rng, 1, len(value) - 1)
    op = below(rng, 3)
    if op == 0 and value[i] != value[i + 1]:
        return value[:i] + value[i + 1] + value[i] + value[i + 2 :]
    if op == 1:
        return value[:i] + value[i + 1 :]
    return value[:i] + value[i] + value[i:]


def _case_noise(rng: random.Random, value: str) -> str:
    op = below(rng, 3)
    if op == 0:
        return value.upper()
    if op == 1:
        return value.lower()
    return value[:1].lower() + value[1:].upper()


def _space_noise(rng: random.Random, value: str) -> str:
    return pick(rng, (" {} ", " {}", "{} ", "{}  ", "\t{}", "\u00a0{}")).format(value)


class Mess:
    """Writes people's values into records, planting defects at the given rates and recording them."""

    def __init__(self, rng: random.Random, world: World) -> None:
        self.rng = rng
        self.world = world

    def write(
        self, person: Person, rates: Rates, style: Style, repeat: bool = False, hostile: str | None = None
    ) -> tuple[Values, Defects]:
        defects: Defects = []
        first, last = self._names(person, rates, repeat, defects)
        values: Values = {
            "first_name": first,
            "last_name": last,
            "email": self._email(person, rates, repeat, defects),
            "company": self._company(person.company, rates, repeat, defects),
            "job_title": self._simple(
                "job_title", person.title, rates.title_missing, rates.title_placeholder, defects
            ),
            "phone": self._phone(person, rates, style, defects),
            "country": self._country(person, rates, style, defects),
            "city": person.city if self.rng.random() > 0.05 else None,
            "website": self._website(person.company),
            **self._address(person, rates),
        }
        if hostile:
            self._hostile(hostile, person, values, defects)
        return values, defects

    # -- names -------------------------------------------------------------------------------------

    def _names(self, person: Person, rates: Rates, repeat: bool, defects: Defects) -> tuple[str | None, ...]:
        rng = self.rng
        if rng.random() < rates.junk_name:
            defects += [("first_name", "junk_name"), ("last_name", "junk_name")]
            return pick(rng, pools.JUNK_NAMES)
        typo = rates.repeat_name_typo if repeat else rates.name_typo
        first_defects: Defects = []
        last_defects: Defects = []
        written_first = self._first_name_form(person.first, rates, repeat, first_defects)
        first = self._name("first_name", written_first, rates.missing_first, 0.0, typo, rates, first_defects)
        last = self._name(
            "last_name", person.last, rates.missing_last, rates.placeholder_last, typo, rates, last_defects
        )
        if first and last and rng.random() < (rates.repeat_swapped_names if repeat else rates.swapped_names):
            # The names change places, and so do their defects: each field keeps what is written in it.
            defects += [("first_name", code) for _, code in last_defects]
            defects += [("last_name", code) for _, code in first_defects]
            defects += [("first_name", "swapped_names"), ("last_name", "swapped_names")]
            return last, first
        defects += first_defects + last_defects
        return first, last

    def _first_name_form(self, first: str, rates: Rates, repeat: bool, defects: Defects) -> str:
        """The first name as a person writes it: now and then a nickname ("Bill" for William, from
        the nicknames package) or an initial ("W.")."""
        rng = self.rng
        r = rng.random()
        nickname = rates.repeat_nickname if repeat else rates.nickname
        if r < nickname:
            known = pools.nicknames_of(first)
            if known:
                defects.append(("first_name", "nickname"))
                return pick(rng, known)
        elif r < nickname + (rates.repeat_initial if repeat else rates.initial):
            defects.append(("first_name", "initial"))
            return f"{first[0]}."
        return first

    def _address(self, person: Person, rates: Rates) -> dict[str, str | None]:
        """Street, postal code and state as written: a street type abbreviated now and then, a postal
        code without its space."""
        rng = self.rng
        street = person.street
        if street and rng.random() < rates.street_abbreviated:
            for long, short in pools.STREET_ABBREVIATIONS:
                if long in street:
                    street = street.replace(long, short)
                    break
        postal = person.postal_code
        if postal and " " in postal and rng.random() < 0.3:
            postal = postal.replace(" ", "")
        return {"street": street or None, "postal_code": postal or None, "state": person.state or None}

    def _name(
        self,
        field: str,
        value: str,
        missing: float,
        placeholder: float,
        typo: float,
        rates: Rates,
        defects: Defects,
    ) -> str | None:
        rng = self.rng
        r = rng.random()
        if r < missing:
            defects.append((field, "missing"))
            return None
        if r < missing + placeholder:
            defects.append((field, "placeholder"))
            return pick(rng, pools.PLACEHOLDERS)
        if not value.isascii() and rng.random() < rates.ascii_fold:
            value = pools.ascii_fold(value, german=rng.random() < 0.5)
            defects.append((field, "ascii_folded"))
        if rng.random() < typo:
            written = _typo(rng, value)
            if written != value:
                value = written
                defects.append((field, "name_typo"))
        if rng.random() < rates.name_case:
            written = _case_noise(rng, value)
            if written != value:
                value = written
                defects.append((field, "case_noise"))
        if not value.isascii():
            defects.append((field, "non_ascii_name"))
        if rng.random() < rates.name_space:
            value = _space_noise(rng, value)
            defects.append((field, "whitespace_noise"))
        return value

    # -- email -------------------------------------------------------------------------------------

    def _email(self, person: Person, rates: Rates, repeat: bool, defects: Defects) -> str | None:
        rng = self.rng
        company = person.company
        personal = rates.repeat_personal if repeat else rates.personal
        code = _draw(
            rng.random(),
            (
                ("missing", rates.email_missing),
                ("placeholder", rates.email_placeholder),
                ("disposable_email", rates.disposable),
                ("role_email", rates.role if company else 0.0),
                ("invalid_email", rates.invalid_email),
                ("email_typo", rates.email_typo),
                ("personal_email", personal if company else 1.0),
            ),
        )
        if code == "missing":
            defects.append(("email", code))
            return None
        if code == "placeholder":
            defects.append(("email", code))
            return pick(rng, pools.PLACEHOLDERS)
        local, _, domain = person.personal_email.partition("@")
        if code == "disposable_email":
            email = f"{local}@{pick(rng, pools.DISPOSABLE_DOMAINS)}"
        elif code == "role_email" and company:
            email = f"{pick(rng, pools.ROLE_LOCAL_PARTS)}@{company.domain}"
        elif code == "invalid_email":
            email = self._invalid_email(person.email)
        elif code == "email_typo":
            email = self._typo_email(person)
        elif code == "personal_email":
            email = person.personal_email
        else:
            email = person.email
        if code:
            defects.append(("email", code))
        if code == "invalid_email":
            return email
        if rng.random() < rates.email_case:
            local, _, domain = email.partition("@")
            email = f"{local.title()}@{domain.upper() if rng.random() < 0.5 else domain.capitalize()}"
            defects.append(("email", "case_noise"))
        if rng.random() < rates.email_space:
            email = _space_noise(rng, email)
            defects.append(("email", "whitespace_noise"))
        return email

    def _invalid_email(self, email: str) -> str:
        local, _, domain = email.partition("@")
        op = below(self.rng, 3)
        if op == 0:
            return local + domain
        if op == 1:
            return f"{local}@@{domain}"
        return f"{local[: len(local) // 2]} {local[len(local) // 2 :]}@{domain}"

    def _typo_email(self, person: Person) -> str:
        """A misspelled domain: of the person's free-mail provider, or of their company's domain."""
        rng = self.rng
        local, _, domain = person.personal_email.partition("@")
        company = person.company
        if company is None or rng.random() < 0.4:
            typos = _TYPO_FREE_MAIL.get(domain, pools.FREE_MAIL_TYPOS)
            return f"{local}@{pick(rng, typos)}"
        label, _, tld = company.domain.partition(".")
        for _ in range(10):
            i = below(rng, 1, len(label))
            typo = f"{label[:i]}{label[i + 1 :]}.{tld}"
            if len(label) > 3 and not self.world.domain_taken(typo):
                return person.email.replace(f"@{company.domain}", f"@{typo}")
        return f"{local}@{pick(rng, pools.FREE_MAIL_TYPOS)}"

    # -- company and simple fields -----------------------------------------------------------------

    def _company(self, company: Company | None, rates: Rates, repeat: bool, defects: Defects) -> str | None:
        rng = self.rng
        if company is None:
            return pick(rng, FREELANCE_COMPANIES)
        r = rng.random()
        if r < rates.company_missing:
            defects.append(("company", "missing"))
            return None
        if r < rates.company_missing + rates.company_placeholder:
            defects.append(("company", "placeholder"))
            return pick(rng, pools.PLACEHOLDERS)
        variant = rates.repeat_company_variant if repeat else rates.company_variant
        if rng.random() < variant:
            defects.append(("company", "company_variant"))
            return self.company_variant(company)
        return company.name

    def company_variant(self, company: Company) -> str:
        """The company name as people type it: no or another suffix, abbreviations, shouting."""
        rng = self.rng
        op = rng.random()
        if op < 0.40:
            return company.base
        if op < 0.65 and company.suffix in pools.SUFFIX_VARIANTS:
            suffix = pick(rng, pools.SUFFIX_VARIANTS[company.suffix])
            return f"{company.base}{suffix}" if suffix.startswith(",") else f"{company.base} {suffix}"
        if op < 0.80:
            words = company.base.split()
            for i, word in enumerate(words):
                if word in pools.COMPANY_ABBREVIATIONS:
                    words[i] = pools.COMPANY_ABBREVIATIONS[word]
                    return " ".join(words) + pick(rng, ("", f" {company.suffix}"))
            return company.base
        if op < 0.90:
            return company.name.upper()
        return company.base.lower()

    def _simple(
        self, field: str, value: str, missing: float, placeholder: float, defects: Defects
    ) -> str | None:
        r = self.rng.random()
        if r < missing:
            defects.append((field, "missing"))
            return None
        if r < missing + placeholder:
            defects.append((field, "placeholder"))
            return pick(self.rng, pools.PLACEHOLDERS)
        return value

    def _website(self, company: Company | None) -> str | None:
        if company is None or self.rng.random() < 0.1:
            return None
        return pick(self.rng, ("{}", "www.{}", "https://www.{}", "http://{}/", "https://{}")).format(
            company.domain
        )

    # -- phone and country -------------------------------------------------------------------------

    def _phone(self, person: Person, rates: Rates, style: Style, defects: Defects) -> str | None:
        rng = self.rng
        r = rng.random()
        if r < rates.phone_missing:
            defects.append(("phone", "missing"))
            return None
        r -= rates.phone_missing
        if r < rates.phone_placeholder:
            defects.append(("phone", "placeholder"))
            return pick(rng, pools.PLACEHOLDERS)
        r -= rates.phone_placeholder
        if r < rates.invalid_phone:
            defects.append(("phone", "invalid_phone"))
            return pick(rng, pools.INVALID_PHONES)
        if rng.random() < style.phone_e164:
            return person.e164
        template = person.phone
        written = pick(rng, style.phone_styles)
        if rng.random() < style.phone_extension:
            written = "extension"
        if written not in template.formats:
            written = "international"
        defects.append(("phone", "phone_format"))
        return render(template, person.phone_tail, written)

    def _country(self, person: Person, rates: Rates, style: Style, defects: Defects) -> str | None:
        rng = self.rng
        r = rng.random()
        if r < rates.country_missing:
            defects.append(("country", "missing"))
            return None
        r -= rates.country_missing
        if r < rates.country_placeholder:
            defects.append(("country", "placeholder"))
            return pick(rng, pools.PLACEHOLDERS)
        r -= rates.country_placeholder
        if r < rates.unknown_country:
            defects.append(("country", "unknown_country"))
            return pick(rng, pools.UNKNOWN_COUNTRIES)
        if rng.random() < style.country_alias:
            defects.append(("country", "country_alias"))
            return pick(rng, pools.COUNTRY_BY_CODE[person.country].aliases)
        return person.country

    # -- hostile values ----------------------------------------------------------------------------

    def _hostile(self, kind: str, person: Person, values: Values, defects: Defects) -> None:
        """Overwrite one field with a hostile-ish value and make it that field's only defect."""
        rng = self.rng
        field, value = {
            "emoji_name": ("first_name", f"{person.first} {pick(rng, pools.EMOJI)}"),
            "sql_name": ("last_name", pools.HOSTILE_SQL[0]),
            "long_title": ("job_title", pools.LONG_TEXT),
            "sql_company": ("company", pools.HOSTILE_SQL[2]),
            "markup_company": ("company", pools.HOSTILE_MARKUP[0]),
            "long_company": (
                "company",
                f"{person.company.name if person.company else 'Freelance'} - " + pools.LONG_TEXT,
            ),
            "newline_title": ("job_title", f"{person.title}\nEMEA & APAC"),
        }[kind]
        values[field] = value
        defects[:] = [d for d in defects if d[0] != field]
        defects.append((field, "hostile_value"))
