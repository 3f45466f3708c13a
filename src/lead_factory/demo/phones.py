"""Valid phone numbers, generated fast from per-country templates that phonenumbers validated once.

A template is a national-number prefix whose every 4-digit tail was valid in a sample of random tails,
together with the number written in several common formats with the tail left as ``{}`` slots.
Drawing a number is then a random choice of template and tail; formatting is a ``str.format``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

TAIL = 4
_SAMPLE_TAILS = 16


@dataclass(frozen=True)
class PhoneTemplate:
    """A national-number prefix of one country and its formats with ``{}`` for the tail digits.

    ``formats`` holds the written forms besides E.164 that parse back to the same valid number when
    the country is known: international, national, national_digits, double_zero, dashed, extension.
    """

    country: str
    e164: str
    formats: dict[str, str]
    styles: tuple[str, ...]


def _slotted(formatted: str) -> str:
    """``formatted`` with its last TAIL digits replaced by ``{}`` format slots."""
    chars = list(formatted)
    left = TAIL
    for i in range(len(chars) - 1, -1, -1):
        if chars[i].isdigit():
            chars[i] = "{}"
            left -= 1
            if left == 0:
                break
    return "".join(chars)


def _template(country: str, sample: phonenumbers.PhoneNumber) -> PhoneTemplate:
    intl = phonenumbers.format_number(sample, PhoneNumberFormat.INTERNATIONAL)
    national = phonenumbers.format_number(sample, PhoneNumberFormat.NATIONAL)
    e164 = phonenumbers.format_number(sample, PhoneNumberFormat.E164)
    national_digits = "".join(ch for ch in national if ch.isdigit())
    formats = {
        "international": intl,
        "national": national,
        "national_digits": national_digits,
        "double_zero": "00" + intl[1:],
        "dashed": intl.replace(" ", "-"),
    }
    # Keep only the formats that parse back to the number in its own country ("00" is not everywhere
    # the international call prefix: the US dials 011, Japan 010, Australia 0011).
    slotted = {k: _slotted(v) for k, v in formats.items() if _parses_to(v, country, e164)}
    slotted["extension"] = slotted["international"] + " ext. 12"
    return PhoneTemplate(country, _slotted(e164), slotted, tuple(slotted))


def _parses_to(written: str, country: str, e164: str) -> bool:
    number = phonenumbers.parse(written, country)
    return phonenumbers.format_number(number, PhoneNumberFormat.E164) == e164


def _valid(country: str, national_number: str) -> phonenumbers.PhoneNumber | None:
    number = phonenumbers.parse(national_number, country) if national_number else None
    if number is None or not phonenumbers.is_valid_number_for_region(number, country):
        return None
    return number


@cache
def templates(country: str, wanted: int) -> tuple[PhoneTemplate, ...]:
    """Up to ``wanted`` validated prefixes for ``country`` (fixed seed: independent of the demo seed)."""
    rng = random.Random(f"phones-{country}")
    examples = [
        example
        for kind in (PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE)
        if (example := phonenumbers.example_number_for_type(country, kind)) is not None
    ]
    found: dict[str, PhoneTemplate] = {}
    for attempt in range(wanted * 60):
        example = examples[attempt % len(examples)]
        nsn = phonenumbers.national_significant_number(example)
        keep = 1 if len(nsn) > 7 else 2
        head = nsn[:keep] + "".join(rng.choice("0123456789") for _ in range(len(nsn) - keep - TAIL))
        if head in found:
            continue
        sample = None
        for _ in range(_SAMPLE_TAILS):
            sample = _valid(country, f"{head}{rng.randrange(10**TAIL):0{TAIL}d}")
            if sample is None:
                break
        if sample is None:
            continue
        found[head] = _template(country, sample)
        if len(found) >= wanted:
            break
    if not found:
        raise RuntimeError(f"no phone templates found for {country}")
    return tuple(found.values())


class PhoneBook:
    """Hands out unique valid numbers per country and writes them in the formats people use."""

    def __init__(self, rng: random.Random, prefixes: dict[str, int]) -> None:
        self._rng = rng
        self._templates = {code: templates(code, wanted) for code, wanted in prefixes.items()}
        self._used: set[str] = set()

    def new(self, country: str) -> tuple[PhoneTemplate, str]:
        """A fresh (template, tail) pair for ``country``; its E.164 form is unique in this book."""
        options = self._templates[country]
        rng = self._rng
        while True:
            template = options[int(rng.random() * len(options))]
            tail = f"{int(rng.random() * 10**TAIL):0{TAIL}d}"
            e164 = template.e164.format(*tail)
            if e164 not in self._used:
                self._used.add(e164)
                return template, tail


def render(template: PhoneTemplate, tail: str, style: str) -> str:
    """The number written in ``style`` ("e164" or one of FORMATS)."""
    if style == "e164":
        return template.e164.format(*tail)
    return template.formats[style].format(*tail)
