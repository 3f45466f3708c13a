"""The Python normalisation rules (phones, names, company names) and their DuckDB registration."""

from __future__ import annotations

import duckdb
import phonenumbers
import pytest

from lead_factory.dbt_plugin import register_functions
from lead_factory.normalize import company_match_name, phone_to_e164, proper_case_name


@pytest.mark.parametrize(
    ("raw", "country", "expected"),
    [
        ("+44 20 7946 0958", None, "+442079460958"),
        ("020 7946 0958", "GB", "+442079460958"),
        ("(415) 555-0134", "US", "+14155550134"),
        ("415.555.0134", "us", "+14155550134"),
        ("+1 415 555 0134 ext. 12", None, "+14155550134"),
        ("0049 30 1234567", None, "+49301234567"),
        ("0049 30 1234567", "DE", "+49301234567"),
        ("030 1234567", "DE", "+49301234567"),
        ("030 1234567", None, None),  # national number without a country: cannot be read
        ("12345", "US", None),
        ("000-000", "GB", None),
        ("", "US", None),
        ("   ", "US", None),
        (None, "US", None),
        ("call me maybe", "US", None),
        ("'; drop table leads;--", "US", None),
        ("😀", None, None),
        ("1" * 500, "US", None),
        ("+49 30 1234567", "ZZZ", "+49301234567"),
    ],
)
def test_phone_to_e164(raw: str | None, country: str | None, expected: str | None) -> None:
    assert phone_to_e164(raw, country) == expected


def test_phone_to_e164_results_are_valid_numbers() -> None:
    result = phone_to_e164("+33 1 42 68 53 00")
    assert result is not None
    assert phonenumbers.is_valid_number(phonenumbers.parse(result))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("JOHN", "John"),
        ("john", "John"),
        ("  mary   ann ", "Mary Ann"),
        ("o'brien", "O'Brien"),
        ("JEAN-LUC", "Jean-Luc"),
        ("McDonald", "McDonald"),
        ("van der Berg", "van der Berg"),
        ("josé", "José"),
        ("ŁUKASZ", "Łukasz"),
        ("😀", "😀"),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_proper_case_name(raw: str | None, expected: str | None) -> None:
    assert proper_case_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ACME, Inc.", "acme"),
        ("Acme Incorporated", "acme"),
        ("acme inc", "acme"),
        ("Acme Intl Ltd", "acme international"),
        ("Acme International Limited", "acme international"),
        ("Müller Logistik GmbH", "muller logistik"),
        ("Brightwave Analytics S.A.", "brightwave analytics"),
        ("Smith & Sons LLC", "smith and sons"),
        ("  ", None),
        (None, None),
        ("Robert'); DROP TABLE leads;--", "robert drop table leads"),
    ],
)
def test_company_match_name(raw: str | None, expected: str | None) -> None:
    assert company_match_name(raw) == expected


def test_functions_are_registered_in_duckdb() -> None:
    con = duckdb.connect()
    register_functions(con)
    rows = con.execute(
        """
        select lf_phone_e164(phone, country), lf_proper_case_name(name), lf_company_match_name(company)
        from (values ('030 1234567', 'DE', 'JANE', 'Acme GmbH'), (null, null, null, null))
            as t(phone, country, name, company)
        """
    ).fetchall()
    assert rows == [("+49301234567", "Jane", "acme"), (None, None, None)]
