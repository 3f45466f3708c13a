"""The project's expectation-style generic tests (tests/generic, helpers in macros/expectations), each
proven with real dbt: cases that must pass and cases that must fail, with their failure counts.

One throwaway dbt project is built for the whole module in a temporary folder: copies of the generic
tests and helper macros, small fixture models, and one data test per case (named after the case).
``dbt build`` runs once; each case then reads its status from target/run_results.json.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("expectations")]

ROOT = Path(__file__).resolve().parents[1]
DBT = Path(sys.executable).parent / "dbt"
PROJECT = "expectations_e2e"

EXPECTATIONS = (
    "expect_column_values_to_not_be_null",
    "expect_column_values_to_be_null",
    "expect_column_values_to_be_unique",
    "expect_column_values_to_be_in_set",
    "expect_column_values_to_not_be_in_set",
    "expect_column_values_to_be_between",
    "expect_column_values_to_match_regex",
    "expect_column_values_to_not_match_regex",
    "expect_column_value_lengths_to_be_between",
    "expect_column_pair_values_to_be_equal",
    "expect_column_pair_values_A_to_be_greater_than_B",
    "expect_compound_columns_to_be_unique",
    "expect_table_row_count_to_be_between",
    "expect_table_row_count_to_equal_other_table",
    "expect_column_proportion_of_unique_values_to_be_between",
    "expect_column_to_exist",
    "expect_row_values_to_have_recent_data",
    "expect_column_values_to_be_of_type",
    "expect_column_values_to_equal_sum_of_columns",
)

# The main fixture: ten rows with nulls in most columns. values_twin is an identical copy (so that
# table comparisons do not depend on a model whose own tests fail); values_half has five rows.
VALUES_COLUMNS = "id, status, amount, price, code, nickname, first_name, a, b, grp, region"
VALUES_ROWS = """
    (1, 'open', 1, 1.50, 'AB-1', null, 'Ann', 2, 1, 'x', 'eu'),
    (2, 'open', 2, 2.50, 'AB-2', null, 'Bob', 2, 2, 'x', 'eu'),
    (3, 'closed', 3, 3.50, 'AB-3', null, 'Cy', 5, 4, 'x', null),
    (4, 'closed', 4, 4.50, 'AB-4', null, 'Dee', 5, 5, 'y', null),
    (5, 'lost', 5, 5.50, 'XY-5', 'five', 'Eve', 9, 1, 'y', 'us'),
    (6, 'open', 6, 6.50, 'XY-6', 'six', 'Fay', 3, 0, 'y', 'us'),
    (7, 'won', 7, 7.50, 'AB-7', null, 'Gus', null, 1, 'z', 'eu'),
    (8, 'won', 8, 8.50, 'AB-8', null, 'Hal', 4, null, 'z', 'ap'),
    (9, 'won', 9, 9.50, 'AB-9', null, 'Ike', 6, 2, 'z', 'sa'),
    (10, null, 10, 10.50, null, null, null, 7, 3, 'z', null)
"""
VALUES_SQL = f"""
select
    cast(id as integer) as id,
    status,
    cast(amount as integer) as amount,
    cast(price as decimal(10, 2)) as price,
    code,
    nickname,
    first_name,
    a,
    b,
    grp,
    grp as grp_copy,
    region
from (values {VALUES_ROWS}) as fixture ({VALUES_COLUMNS})
"""
HALF_SQL = """
select *
from (values (1, 'x'), (2, 'y'), (3, 'z'), (4, 'z'), (5, 'q')) as fixture (id, team)
"""
# One recent row, one ten days old and one in the future, with the same instants as a time-zone
# aware timestamp, a UTC timestamp without time zone and a date.
EVENTS_SQL = """
with offsets as (
    select
        id,
        kind,
        hours * interval 1 hour as age,
        cast(timezone('UTC', current_timestamp) as timestamp) as utc_now
    from (values (1, 'new', -2), (2, 'old', -240), (3, 'future', 720)) as fixture (id, kind, hours)
)

select
    id,
    kind,
    current_timestamp + age as event_at,
    utc_now + age as logged_at,
    cast(utc_now + age as date) as event_date
from offsets
"""


@dataclass(frozen=True)
class Case:
    name: str
    test: str
    model: str
    status: str  # pass, fail or error
    arguments: dict[str, Any] = field(default_factory=dict)
    column: str | None = None
    failures: int | None = None  # rows returned by a failing test, where meaningful


def _pass(
    name: str, test: str, model: str = "values_fixture", column: str | None = None, **arguments
) -> Case:
    return Case(name, test, model, "pass", arguments, column)


def _fail(
    name: str, test: str, failures: int, model: str = "values_fixture", column: str | None = None, **arguments
) -> Case:
    return Case(name, test, model, "fail", arguments, column, failures)


STATUSES = ["open", "closed", "lost", "won"]
CASES: list[Case] = [
    # not null: status has one null in ten rows
    _pass("not_null__passes", "expect_column_values_to_not_be_null", column="id"),
    _fail("not_null__fails_on_null", "expect_column_values_to_not_be_null", 1, column="status"),
    _pass(
        "not_null__row_condition_excludes_null",
        "expect_column_values_to_not_be_null",
        column="status",
        row_condition="id < 10",
    ),
    _pass(
        "not_null__mostly_at_boundary_passes",
        "expect_column_values_to_not_be_null",
        column="status",
        mostly=0.9,
    ),
    _fail(
        "not_null__mostly_above_fails", "expect_column_values_to_not_be_null", 1, column="status", mostly=0.95
    ),
    # be null: nickname is set in two rows
    _pass(
        "be_null__row_condition_passes",
        "expect_column_values_to_be_null",
        column="nickname",
        row_condition="id <= 4",
    ),
    _fail("be_null__fails", "expect_column_values_to_be_null", 2, column="nickname"),
    _pass(
        "be_null__mostly_at_boundary_passes", "expect_column_values_to_be_null", column="nickname", mostly=0.8
    ),
    _fail(
        "be_null__mostly_above_fails", "expect_column_values_to_be_null", 2, column="nickname", mostly=0.85
    ),
    # unique: one failure per duplicated value; nulls ignored
    _pass("unique__passes", "expect_column_values_to_be_unique", column="id"),
    _pass("unique__ignores_nulls", "expect_column_values_to_be_unique", column="nickname"),
    _fail("unique__fails_per_duplicated_value", "expect_column_values_to_be_unique", 2, column="region"),
    _pass(
        "unique__row_condition_passes",
        "expect_column_values_to_be_unique",
        column="region",
        row_condition="id >= 6",
    ),
    # in set: a null is not in the set
    _fail("in_set__null_fails", "expect_column_values_to_be_in_set", 1, column="status", value_set=STATUSES),
    _pass(
        "in_set__row_condition_passes",
        "expect_column_values_to_be_in_set",
        column="status",
        value_set=STATUSES,
        row_condition="id < 10",
    ),
    _fail(
        "in_set__value_outside_fails",
        "expect_column_values_to_be_in_set",
        4,
        column="status",
        value_set=["open", "closed"],
        row_condition="id < 10",
    ),
    _pass(
        "in_set__unquoted_numbers_pass",
        "expect_column_values_to_be_in_set",
        column="amount",
        value_set=[1, 2, 3, 4, 5],
        quote_values=False,
        row_condition="id <= 5",
    ),
    _pass(
        "in_set__mostly_at_boundary_passes",
        "expect_column_values_to_be_in_set",
        column="status",
        value_set=STATUSES,
        mostly=0.9,
    ),
    _fail(
        "in_set__mostly_above_fails",
        "expect_column_values_to_be_in_set",
        1,
        column="status",
        value_set=STATUSES,
        mostly=0.95,
    ),
    # not in set: nulls ignored, also by mostly (5 of 9 checked rows pass)
    _pass(
        "not_in_set__passes_with_null",
        "expect_column_values_to_not_be_in_set",
        column="status",
        value_set=["pending"],
    ),
    _fail(
        "not_in_set__fails",
        "expect_column_values_to_not_be_in_set",
        4,
        column="status",
        value_set=["won", "lost"],
    ),
    _pass(
        "not_in_set__row_condition_passes",
        "expect_column_values_to_not_be_in_set",
        column="status",
        value_set=["won", "lost"],
        row_condition="id <= 4",
    ),
    _pass(
        "not_in_set__mostly_passes",
        "expect_column_values_to_not_be_in_set",
        column="status",
        value_set=["won", "lost"],
        mostly=0.5,
    ),
    _fail(
        "not_in_set__mostly_ignores_nulls_and_fails",
        "expect_column_values_to_not_be_in_set",
        4,
        column="status",
        value_set=["won", "lost"],
        mostly=0.6,
    ),
    # between: a is 2, 2, 5, 5, 9, 3, null, 4, 6, 7
    _pass(
        "between__inclusive_bounds_pass",
        "expect_column_values_to_be_between",
        column="a",
        min_value=2,
        max_value=9,
    ),
    _fail(
        "between__strictly_fails_on_bounds",
        "expect_column_values_to_be_between",
        3,
        column="a",
        min_value=2,
        max_value=9,
        strictly=True,
    ),
    _fail("between__min_only_fails", "expect_column_values_to_be_between", 2, column="a", min_value=3),
    _pass("between__max_only_passes", "expect_column_values_to_be_between", column="a", max_value=9),
    _pass(
        "between__row_condition_passes",
        "expect_column_values_to_be_between",
        column="a",
        min_value=3,
        row_condition="id > 2",
    ),
    _pass(
        "between__mostly_passes", "expect_column_values_to_be_between", column="a", min_value=3, mostly=0.75
    ),
    _fail(
        "between__mostly_fails", "expect_column_values_to_be_between", 2, column="a", min_value=3, mostly=0.8
    ),
    Case(
        "between__without_bounds_is_an_error",
        "expect_column_values_to_be_between",
        "values_fixture",
        "error",
        {},
        "a",
    ),
    # value lengths: first names of 3 letters, one of 2 ("Cy"), one null
    _pass(
        "lengths__inclusive_bounds_pass",
        "expect_column_value_lengths_to_be_between",
        column="first_name",
        min_value=2,
        max_value=3,
    ),
    _fail(
        "lengths__strictly_fails_on_bound",
        "expect_column_value_lengths_to_be_between",
        1,
        column="first_name",
        min_value=2,
        max_value=4,
        strictly=True,
    ),
    _fail(
        "lengths__max_fails", "expect_column_value_lengths_to_be_between", 8, column="first_name", max_value=2
    ),
    _pass(
        "lengths__row_condition_passes",
        "expect_column_value_lengths_to_be_between",
        column="first_name",
        max_value=2,
        row_condition="id = 3",
    ),
    _pass(
        "lengths__mostly_passes",
        "expect_column_value_lengths_to_be_between",
        column="first_name",
        min_value=3,
        mostly=0.85,
    ),
    _fail(
        "lengths__mostly_fails",
        "expect_column_value_lengths_to_be_between",
        1,
        column="first_name",
        min_value=3,
        mostly=0.9,
    ),
    # regex: codes AB-n (seven), XY-n (two), one null
    _pass("regex__passes", "expect_column_values_to_match_regex", column="code", regex=r"^[A-Z]{2}-\d+$"),
    _fail("regex__fails", "expect_column_values_to_match_regex", 2, column="code", regex="^AB-"),
    _fail(
        "regex__case_sensitive_by_default",
        "expect_column_values_to_match_regex",
        4,
        column="code",
        regex="^ab-",
        row_condition="id <= 4",
    ),
    _pass(
        "regex__flag_i_passes",
        "expect_column_values_to_match_regex",
        column="code",
        regex="^ab-",
        flags="i",
        row_condition="id <= 4",
    ),
    _pass(
        "regex__mostly_passes",
        "expect_column_values_to_match_regex",
        column="code",
        regex="^AB-",
        mostly=0.75,
    ),
    _fail(
        "regex__mostly_fails",
        "expect_column_values_to_match_regex",
        2,
        column="code",
        regex="^AB-",
        mostly=0.8,
    ),
    _pass("not_regex__passes", "expect_column_values_to_not_match_regex", column="code", regex=r"\s"),
    _pass(
        "not_regex__quote_in_pattern_passes",
        "expect_column_values_to_not_match_regex",
        column="code",
        regex="'",
    ),
    _fail("not_regex__fails", "expect_column_values_to_not_match_regex", 2, column="code", regex="^XY"),
    _pass(
        "not_regex__row_condition_passes",
        "expect_column_values_to_not_match_regex",
        column="code",
        regex="^XY",
        row_condition="id <= 4",
    ),
    _pass(
        "not_regex__mostly_passes",
        "expect_column_values_to_not_match_regex",
        column="code",
        regex="^XY",
        mostly=0.75,
    ),
    # column pairs: a = b in rows 2 and 4; a > b in six rows; rows 7 and 8 have a null
    _pass(
        "pair_equal__row_condition_passes",
        "expect_column_pair_values_to_be_equal",
        column_A="a",
        column_B="b",
        row_condition="id in (2, 4)",
    ),
    _fail(
        "pair_equal__fails_ignoring_nulls",
        "expect_column_pair_values_to_be_equal",
        6,
        column_A="a",
        column_B="b",
    ),
    _pass(
        "pair_equal__mostly_at_boundary_passes",
        "expect_column_pair_values_to_be_equal",
        column_A="a",
        column_B="b",
        mostly=0.25,
    ),
    _fail(
        "pair_equal__mostly_above_fails",
        "expect_column_pair_values_to_be_equal",
        6,
        column_A="a",
        column_B="b",
        mostly=0.3,
    ),
    _fail(
        "a_greater_b__fails_on_equal",
        "expect_column_pair_values_A_to_be_greater_than_B",
        2,
        column_A="a",
        column_B="b",
    ),
    _pass(
        "a_greater_b__or_equal_passes",
        "expect_column_pair_values_A_to_be_greater_than_B",
        column_A="a",
        column_B="b",
        or_equal=True,
    ),
    _pass(
        "a_greater_b__row_condition_passes",
        "expect_column_pair_values_A_to_be_greater_than_B",
        column_A="a",
        column_B="b",
        row_condition="id > 4",
    ),
    _pass(
        "a_greater_b__mostly_passes",
        "expect_column_pair_values_A_to_be_greater_than_B",
        column_A="a",
        column_B="b",
        mostly=0.75,
    ),
    # compound keys: (grp, region) repeats (x, eu) and (y, us); (region, nickname) repeats (eu, null)
    _fail(
        "compound__fails_per_duplicate",
        "expect_compound_columns_to_be_unique",
        2,
        column_list=["grp", "region"],
    ),
    _pass(
        "compound__row_condition_passes",
        "expect_compound_columns_to_be_unique",
        column_list=["grp", "region"],
        row_condition="id not in (2, 6)",
    ),
    _fail(
        "compound__partly_missing_rows_count",
        "expect_compound_columns_to_be_unique",
        1,
        column_list=["region", "nickname"],
    ),
    _pass(
        "compound__any_value_is_missing_ignores",
        "expect_compound_columns_to_be_unique",
        column_list=["region", "nickname"],
        ignore_row_if="any_value_is_missing",
    ),
    _pass(
        "compound__quoted_columns_pass",
        "expect_compound_columns_to_be_unique",
        column_list=["grp", "id"],
        quote_columns=True,
    ),
    # row count: 10 rows; groups x 3, y 3, z 4
    _pass("row_count__inclusive_passes", "expect_table_row_count_to_be_between", min_value=10, max_value=10),
    _pass(
        "row_count__strictly_passes",
        "expect_table_row_count_to_be_between",
        min_value=9,
        max_value=11,
        strictly=True,
    ),
    _fail(
        "row_count__strictly_fails_on_bound",
        "expect_table_row_count_to_be_between",
        1,
        min_value=10,
        strictly=True,
    ),
    _fail("row_count__max_only_fails", "expect_table_row_count_to_be_between", 1, max_value=5),
    _pass(
        "row_count__group_by_passes",
        "expect_table_row_count_to_be_between",
        min_value=3,
        max_value=4,
        group_by=["grp"],
    ),
    _fail(
        "row_count__group_by_fails_per_group",
        "expect_table_row_count_to_be_between",
        2,
        min_value=4,
        group_by=["grp"],
    ),
    _fail(
        "row_count__no_rows_left_fails",
        "expect_table_row_count_to_be_between",
        1,
        min_value=1,
        row_condition="id > 100",
    ),
    # row count against another table
    _pass(
        "other_table__equal_passes",
        "expect_table_row_count_to_equal_other_table",
        compare_model="ref('values_twin')",
    ),
    _fail(
        "other_table__different_fails",
        "expect_table_row_count_to_equal_other_table",
        1,
        compare_model="ref('values_half')",
    ),
    _pass(
        "other_table__factor_passes",
        "expect_table_row_count_to_equal_other_table",
        compare_model="ref('values_half')",
        factor=2,
    ),
    _pass(
        "other_table__row_condition_applies_to_both",
        "expect_table_row_count_to_equal_other_table",
        compare_model="ref('values_twin')",
        row_condition="id <= 4",
    ),
    _fail(
        "other_table__compare_row_condition_fails",
        "expect_table_row_count_to_equal_other_table",
        1,
        compare_model="ref('values_twin')",
        row_condition="id <= 4",
        compare_row_condition="id <= 5",
    ),
    _pass(
        "other_table__group_by_with_null_group_passes",
        "expect_table_row_count_to_equal_other_table",
        compare_model="ref('values_twin')",
        group_by=["region"],
    ),
    _pass(
        "other_table__compare_group_by_passes",
        "expect_table_row_count_to_equal_other_table",
        compare_model="ref('values_twin')",
        group_by=["grp"],
        compare_group_by=["grp_copy"],
    ),
    _fail(
        "other_table__group_by_fails_per_group",
        "expect_table_row_count_to_equal_other_table",
        4,
        compare_model="ref('values_half')",
        group_by=["grp"],
        compare_group_by=["team"],
    ),
    # proportion of unique values: grp 3/10; status 4/9 (null not counted); per grp: 2/3, 1, 1/3
    _pass(
        "proportion__inclusive_min_passes",
        "expect_column_proportion_of_unique_values_to_be_between",
        column="grp",
        min_value=0.3,
    ),
    _fail(
        "proportion__strictly_fails_on_bound",
        "expect_column_proportion_of_unique_values_to_be_between",
        1,
        column="grp",
        min_value=0.3,
        strictly=True,
    ),
    _pass(
        "proportion__nulls_not_counted_passes",
        "expect_column_proportion_of_unique_values_to_be_between",
        column="status",
        min_value=0.44,
        max_value=0.45,
    ),
    _fail(
        "proportion__max_fails",
        "expect_column_proportion_of_unique_values_to_be_between",
        1,
        column="status",
        max_value=0.4,
    ),
    _fail(
        "proportion__group_by_fails_per_group",
        "expect_column_proportion_of_unique_values_to_be_between",
        1,
        column="status",
        min_value=0.5,
        group_by=["grp"],
    ),
    _pass(
        "proportion__row_condition_passes",
        "expect_column_proportion_of_unique_values_to_be_between",
        column="status",
        min_value=1,
        row_condition="grp = 'y'",
    ),
    _pass(
        "proportion__all_null_not_checked",
        "expect_column_proportion_of_unique_values_to_be_between",
        column="nickname",
        min_value=0.5,
        row_condition="id <= 4",
    ),
    # column exists
    _pass("column_exists__passes", "expect_column_to_exist", column="status"),
    _fail("column_exists__missing_fails", "expect_column_to_exist", 1, column="no_such_column"),
    _pass("column_exists__index_passes", "expect_column_to_exist", column="id", column_index=1),
    _fail("column_exists__wrong_index_fails", "expect_column_to_exist", 1, column="id", column_index=3),
    _pass(
        "column_exists__transform_lower_passes", "expect_column_to_exist", column="region", transform="lower"
    ),
    # column types (as DuckDB names them)
    _pass("type__integer_passes", "expect_column_values_to_be_of_type", column="id", column_type="integer"),
    _pass(
        "type__varchar_passes", "expect_column_values_to_be_of_type", column="status", column_type="VARCHAR"
    ),
    _pass(
        "type__decimal_passes",
        "expect_column_values_to_be_of_type",
        column="price",
        column_type="decimal(10, 2)",
    ),
    _fail(
        "type__wrong_type_fails",
        "expect_column_values_to_be_of_type",
        1,
        column="amount",
        column_type="varchar",
    ),
    _fail(
        "type__missing_column_fails",
        "expect_column_values_to_be_of_type",
        1,
        column="no_such_column",
        column_type="integer",
    ),
    _pass(
        "type__timestamptz_passes",
        "expect_column_values_to_be_of_type",
        model="events_fixture",
        column="event_at",
        column_type="timestamp with time zone",
    ),
    # recent data: the latest past row is 2 hours old; another is 10 days old; one is in the future
    _pass(
        "recent__timestamptz_passes",
        "expect_row_values_to_have_recent_data",
        model="events_fixture",
        column="event_at",
        datepart="day",
        interval=1,
    ),
    _pass(
        "recent__utc_timestamp_passes",
        "expect_row_values_to_have_recent_data",
        model="events_fixture",
        column="logged_at",
        datepart="hour",
        interval=3,
    ),
    _pass(
        "recent__date_passes",
        "expect_row_values_to_have_recent_data",
        model="events_fixture",
        column="event_date",
        datepart="day",
        interval=2,
    ),
    _fail(
        "recent__too_old_fails",
        "expect_row_values_to_have_recent_data",
        1,
        model="events_fixture",
        column="event_at",
        datepart="hour",
        interval=1,
    ),
    _fail(
        "recent__utc_timestamp_too_old_fails",
        "expect_row_values_to_have_recent_data",
        1,
        model="events_fixture",
        column="logged_at",
        datepart="hour",
        interval=1,
    ),
    _fail(
        "recent__future_rows_ignored",
        "expect_row_values_to_have_recent_data",
        1,
        model="events_fixture",
        column="event_at",
        datepart="day",
        interval=1,
        row_condition="kind in ('old', 'future')",
    ),
    _fail(
        "recent__no_rows_fails",
        "expect_row_values_to_have_recent_data",
        1,
        model="events_fixture",
        column="event_at",
        datepart="day",
        interval=1,
        row_condition="kind = 'none'",
    ),
    # the project's own expectation (null parts count as 0)
    _pass(
        "sum_of_columns__passes",
        "expect_column_values_to_equal_sum_of_columns",
        column="amount",
        sum_columns=["id"],
    ),
    _pass(
        "sum_of_columns__row_condition_passes",
        "expect_column_values_to_equal_sum_of_columns",
        column="amount",
        sum_columns=["a"],
        row_condition="id = 2",
    ),
    _fail(
        "sum_of_columns__fails",
        "expect_column_values_to_equal_sum_of_columns",
        9,
        column="amount",
        sum_columns=["a"],
    ),
]


def _test_entry(case: Case) -> dict[str, Any]:
    spec: dict[str, Any] = {"name": case.name}
    if case.arguments:
        spec["arguments"] = case.arguments
    return {case.test: spec}


def _schema() -> dict[str, Any]:
    models: dict[str, dict[str, Any]] = {
        name: {"name": name, "data_tests": [], "columns": {}}
        for name in ("values_fixture", "values_twin", "values_half", "events_fixture")
    }
    for case in CASES:
        model = models[case.model]
        if case.column is None:
            model["data_tests"].append(_test_entry(case))
        else:
            column = model["columns"].setdefault(case.column, {"name": case.column, "data_tests": []})
            column["data_tests"].append(_test_entry(case))
    return {
        "version": 2,
        "models": [{**model, "columns": list(model["columns"].values())} for model in models.values()],
    }


def _write_project(root: Path) -> None:
    (root / "models").mkdir()
    shutil.copytree(ROOT / "macros" / "expectations", root / "macros" / "expectations")
    (root / "tests" / "generic").mkdir(parents=True)
    for name in EXPECTATIONS:
        shutil.copy(ROOT / "tests" / "generic" / f"{name}.sql", root / "tests" / "generic")
    project = {
        "name": PROJECT,
        "version": "1.0.0",
        "config-version": 2,
        "profile": PROJECT,
        "model-paths": ["models"],
        "macro-paths": ["macros"],
        "test-paths": ["tests"],
        "models": {PROJECT: {"+materialized": "view"}},
        "flags": {"send_anonymous_usage_stats": False},
    }
    profile = {
        PROJECT: {
            "target": "test",
            "outputs": {"test": {"type": "duckdb", "path": str(root / "expectations.duckdb"), "threads": 4}},
        }
    }
    (root / "dbt_project.yml").write_text(yaml.safe_dump(project, sort_keys=False), encoding="utf-8")
    (root / "profiles.yml").write_text(yaml.safe_dump(profile, sort_keys=False), encoding="utf-8")
    (root / "models" / "values_fixture.sql").write_text(VALUES_SQL, encoding="utf-8")
    (root / "models" / "values_twin.sql").write_text(VALUES_SQL, encoding="utf-8")
    (root / "models" / "values_half.sql").write_text(HALF_SQL, encoding="utf-8")
    (root / "models" / "events_fixture.sql").write_text(EVENTS_SQL, encoding="utf-8")
    (root / "models" / "_fixtures.yml").write_text(
        yaml.safe_dump(_schema(), sort_keys=False), encoding="utf-8"
    )


@dataclass(frozen=True)
class Result:
    status: str
    failures: int | None
    message: str


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Result]:
    """Build the throwaway project once; the result of every data test, by test name."""
    root = tmp_path_factory.mktemp("expectations")
    _write_project(root)
    env = {key: value for key, value in os.environ.items() if not key.startswith("DBT_")}
    env.update(DBT_PROFILES_DIR=str(root), DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    completed = subprocess.run(
        [
            str(DBT),
            "build",
            "--project-dir",
            str(root),
            "--target-path",
            str(root / "target"),
            "--log-path",
            str(root / "logs"),
            "--no-use-colors",
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    run_results = root / "target" / "run_results.json"
    assert run_results.exists(), completed.stdout[-5000:] + completed.stderr[-3000:]
    manifest = json.loads((root / "target" / "manifest.json").read_text(encoding="utf-8"))
    found: dict[str, Result] = {}
    for result in json.loads(run_results.read_text(encoding="utf-8"))["results"]:
        node = manifest["nodes"][result["unique_id"]]
        if node["resource_type"] == "test":
            found[node["name"]] = Result(
                result["status"], result.get("failures"), result.get("message") or ""
            )
    return found


def test_every_expectation_has_a_passing_and_a_failing_case() -> None:
    for test in EXPECTATIONS:
        statuses = {case.status for case in CASES if case.test == test}
        assert {"pass", "fail"} <= statuses, test


def test_every_optional_behaviour_has_a_case() -> None:
    """row_condition, mostly and strictly are exercised wherever a test takes them."""
    for test in EXPECTATIONS:
        source = (ROOT / "tests" / "generic" / f"{test}.sql").read_text(encoding="utf-8")
        signature = re.search(r"\{%-?\s*test\s+\w+\((.*?)\)\s*-?%\}", source, re.S)
        assert signature, test
        arguments = {part.split("=")[0].strip() for part in signature.group(1).split(",")}
        for argument in arguments & {"row_condition", "mostly", "strictly"}:
            assert any(argument in case.arguments for case in CASES if case.test == test), (test, argument)


def test_every_case_ran(results: dict[str, Result]) -> None:
    assert sorted(results) == sorted(case.name for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_case(results: dict[str, Result], case: Case) -> None:
    result = results[case.name]
    assert result.status == case.status, result.message
    if case.failures is not None:
        assert result.failures == case.failures, result.message
