"""The factory end to end on generated demo data, scored against the truth the generator planted.

The session's demo warehouse (conftest.py: `lead-factory demo` in a fresh folder) serves every
test here; each reads it, and one runs the main job on it a second time.
"""

from __future__ import annotations

import re
import subprocess
from collections import defaultdict

import pytest
from support import LEAD_FACTORY, DemoWarehouse, erased_people, tables_with_erased_data

from lead_factory.conventions import check_target
from lead_factory.landing.kinds import KINDS
from lead_factory.matching.evaluation import cluster_scores, pairwise_scores
from lead_factory.summary import summary_lines

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("demo")]

LEAD_SOURCES = {"form", "upload", "crm_lead"}


@pytest.fixture(scope="module")
def warehouse(demo_warehouse: DemoWarehouse) -> DemoWarehouse:
    return demo_warehouse


@pytest.fixture(scope="module")
def truth_records(warehouse: DemoWarehouse) -> dict[str, dict[str, str]]:
    return {row["record_id"]: row for row in warehouse.truth_rows("records.csv")}


@pytest.fixture(scope="module")
def planted(warehouse: DemoWarehouse) -> dict[str, dict[str, set[str]]]:
    """record_id → field → defects planted there."""
    defects: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in warehouse.truth_rows("defects.csv"):
        defects[row["record_id"]][row["field"]].add(row["defect"])
    return defects


def test_every_landed_row_is_accounted_for(warehouse: DemoWarehouse) -> None:
    files = warehouse.query("select file_path, rows_in, rows_loaded, rows_rejected from raw.landed_files")
    on_disk = {
        p.relative_to(warehouse.landing).as_posix() for p in warehouse.landing.rglob("*") if p.is_file()
    }
    assert {f[0] for f in files} == on_disk
    truth_rows: dict[str, int] = defaultdict(int)
    for row in warehouse.truth_rows("records.csv"):
        truth_rows[row["file_path"]] += 1
    for row in warehouse.truth_rows("rejects.csv"):
        truth_rows[row["file_path"]] += 1
    every_raw_row = " union all ".join(f"select _lf_file_path from raw.{kind.raw_table}" for kind in KINDS)
    raw_rows = dict(warehouse.query(f"select _lf_file_path, count(*) from ({every_raw_row}) group by all"))
    for path, rows_in, rows_loaded, rows_rejected in files:
        assert rows_in == rows_loaded + rows_rejected, path
        assert raw_rows.get(path, 0) == rows_loaded, path
        if truth_rows.get(path):  # files of record kinds (accounts and the directory are not records)
            assert rows_in == truth_rows[path], path


def test_rejects_are_exactly_the_planted_bad_rows(warehouse: DemoWarehouse) -> None:
    rejected = set(warehouse.query("select file_path, line_number from raw.landing_rejects"))
    planted = {(row["file_path"], int(row["line_number"])) for row in warehouse.truth_rows("rejects.csv")}
    assert planted, "the generator planted no bad rows"
    assert rejected == planted
    reasons = warehouse.query("select reason, raw_text, erased_at from raw.landing_rejects")
    assert all(reason and (raw_text or erased_at) for reason, raw_text, erased_at in reasons)


def test_every_lead_record_reaches_the_leads_mart_once(
    warehouse: DemoWarehouse, truth_records: dict[str, dict[str, str]]
) -> None:
    mart = warehouse.query("select record_id, source_system from marts.dim_leads")
    assert len(mart) == len({r for r, _ in mart})
    expected = {rid: row["source"] for rid, row in truth_records.items() if row["source"] in LEAD_SOURCES}
    assert dict(mart) == expected
    contacts = {r for (r,) in warehouse.query("select record_id from staging.stg_crm__contacts")}
    assert contacts == {rid for rid, row in truth_records.items() if row["source"] == "crm_contact"}


def _staged(warehouse: DemoWarehouse) -> dict[str, dict[str, object]]:
    columns = [
        "record_id", "first_name", "last_name", "email", "country_code", "phone_e164", "is_free_email",
        "is_disposable_email", "is_role_email", "is_email_syntax_valid",
    ]  # fmt: skip
    rows = warehouse.query(
        f"select {', '.join(columns)} from intermediate.int_leads_unioned where erased_at is null"
    )
    return {row[0]: dict(zip(columns, row, strict=True)) for row in rows}


def _agreement(pairs: list[tuple[object, object]]) -> float:
    assert pairs, "no planted cases to check"
    return sum(a == b for a, b in pairs) / len(pairs)


def test_countries_are_normalised_to_iso_codes(warehouse, truth_records, planted) -> None:
    """Every country written as a code, name or alias becomes the planted country's code."""
    unreadable = {"missing", "placeholder", "unknown_country", "hostile_value"}
    pairs = [
        (row["country_code"], truth_records[rid]["country_code"])
        for rid, row in _staged(warehouse).items()
        if not planted[rid]["country"] & unreadable
    ]
    aliased = [rid for rid in planted if "country_alias" in planted[rid]["country"]]
    assert aliased
    assert _agreement(pairs) == 1.0


def test_phones_are_normalised_to_e164(warehouse, truth_records, planted) -> None:
    """A phone in any country's format becomes the planted E.164 number when its country is known."""
    staged = _staged(warehouse)
    readable = [
        rid
        for rid in staged
        if not planted[rid]["phone"] - {"phone_format"}
        and not planted[rid]["country"] & {"missing", "placeholder", "unknown_country", "hostile_value"}
        and truth_records[rid]["phone_e164"]
    ]
    assert (
        _agreement([(staged[rid]["phone_e164"], truth_records[rid]["phone_e164"]) for rid in readable]) == 1.0
    )
    invalid = [rid for rid in staged if "invalid_phone" in planted[rid]["phone"]]
    assert invalid
    assert all(staged[rid]["phone_e164"] is None for rid in invalid)


def test_emails_are_normalised_and_flagged(warehouse, truth_records, planted) -> None:
    staged = _staged(warehouse)
    noise_only = [rid for rid in staged if not planted[rid]["email"] - {"case_noise", "whitespace_noise"}]
    assert (
        _agreement([(staged[rid]["email"], truth_records[rid]["email"] or None) for rid in noise_only]) == 1.0
    )
    for defect, flag, expected in [
        ("personal_email", "is_free_email", True),
        ("disposable_email", "is_disposable_email", True),
        ("role_email", "is_role_email", True),
        ("invalid_email", "is_email_syntax_valid", False),
    ]:
        cases = [rid for rid in staged if defect in planted[rid]["email"]]
        assert cases, f"no {defect} planted"
        wrong = [staged[rid]["email"] for rid in cases if staged[rid][flag] is not expected]
        assert not wrong, f"{defect}: {flag} is not {expected} for {wrong[:5]}"


def test_names_are_trimmed_and_recased(warehouse, truth_records, planted) -> None:
    staged = _staged(warehouse)
    for field in ("first_name", "last_name"):
        noisy = [
            rid
            for rid in staged
            if planted[rid][field] & {"case_noise", "whitespace_noise"}
            and not planted[rid][field] - {"case_noise", "whitespace_noise", "non_ascii_name"}
        ]
        assert noisy
        pairs = [(str(staged[rid][field]).lower(), truth_records[rid][field].lower()) for rid in noisy]
        assert _agreement(pairs) == 1.0
        placeholders = [rid for rid in staged if planted[rid][field] & {"missing", "placeholder"}]
        assert all(staged[rid][field] is None for rid in placeholders)


def test_docs_cover_every_model_column_and_macro(warehouse: DemoWarehouse) -> None:
    report = check_target(warehouse.target)
    assert report.models >= 10
    assert report.problems == []


def test_the_source_summary_adds_up(warehouse: DemoWarehouse) -> None:
    rows = warehouse.query(
        "select source_system, record_count, usable_email_share from marts.rpt_lead_source_summary"
    )
    counts = dict(warehouse.query("select source_system, count(*) from marts.dim_leads group by all"))
    assert {r[0]: r[1] for r in rows} == counts
    assert all(0 <= r[2] <= 1 for r in rows)
    lines = summary_lines(warehouse.db)
    assert any("form_submissions" in line and "rejected" in line for line in lines)


def _summary(output: str) -> str:
    """The summary block the main job prints (from 'Landed' up to the closing 'Done'), without the
    line of the latest enrichment run (a second run takes its answers from the cache)."""
    block = output[output.index("Landed (all batches)") : output.index("\nDone in")]
    return "\n".join(line for line in block.splitlines() if not line.startswith("  last run:"))


def test_the_main_job_runs_twice_with_the_same_result(warehouse: DemoWarehouse) -> None:
    """`lead-factory demo` again on the same folder: the landing skips every file, the providers
    are asked nothing (every answer is fresh in the cache) and the summary is the same."""
    first = warehouse.first_output
    counts = "select count(*) from marts.dim_leads union all select count(*) from raw.uploads"
    before = warehouse.query(counts)
    again = warehouse.run_demo()
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    second = again.stdout
    files = len([p for p in warehouse.landing.rglob("*") if p.is_file()])
    assert "; 0 undocumented" in first
    assert re.search(rf": {files} files loaded, 0 skipped; ", first)
    assert re.search(rf": 0 files loaded, {files} skipped; 0 rows in / 0 loaded / 0 rejected", second)
    assert _summary(first) == _summary(second)
    assert re.search(r"last run: \d+ requests; [1-9]\d* from cache, 0 calls", second)
    assert warehouse.query(counts) == before
    assert tables_with_erased_data(warehouse.db, erased_people(warehouse)) == []  # erased for good


def test_person_matching_meets_its_accuracy_targets(warehouse: DemoWarehouse, truth_records) -> None:
    """Person clusters against the planted truth: F1 of at least 0.98 pairwise and per cluster. The
    records of people who were erased belong to no person any more."""
    predicted = dict(warehouse.query("select record_id, person_id from intermediate.int_persons_clustered"))
    erased = {r for p in erased_people(warehouse) for r in p.record_ids}
    truth = {rid: row["person_id"] for rid, row in truth_records.items() if rid not in erased}
    assert set(predicted) == set(truth)
    assert pairwise_scores(predicted, truth).f1 >= 0.98
    assert cluster_scores(predicted, truth).f1 >= 0.98


def test_the_accuracy_mart_agrees_with_the_benchmark_scoring(warehouse: DemoWarehouse, truth_records) -> None:
    """rpt_matching_accuracy (SQL, from the demo's gold labels) gives the Python evaluation's figures."""
    predicted = dict(warehouse.query("select record_id, person_id from intermediate.int_persons_clustered"))
    truth = {rid: row["person_id"] for rid, row in truth_records.items() if rid in predicted}
    mart = {
        m: (p, r)
        for m, p, r in warehouse.query(
            "select measure, precision_score, recall_score from marts.rpt_matching_accuracy "
            "where label_source = 'gold_labels'"
        )
    }
    for measure, scores in (
        ("pairs", pairwise_scores(predicted, truth)),
        ("person_clusters", cluster_scores(predicted, truth)),
    ):
        assert mart[measure] == pytest.approx((scores.precision, scores.recall))


def test_leads_are_matched_to_their_accounts(warehouse: DemoWarehouse, truth_records) -> None:
    """Lead-to-account accuracy of at least 0.98; a personal email domain never decides a match."""
    rows = warehouse.query(
        "select record_id, account_id, match_method from intermediate.int_leads_matched_to_accounts"
    )
    right = sum(account_id == (truth_records[rid]["account_id"] or None) for rid, account_id, _ in rows)
    assert right / len(rows) >= 0.98
    free_domain_matches = warehouse.query(
        """
        select count(*) from marts.dim_leads
        where account_match_method = 'exact_domain' and is_free_email and website_domain is null
        """
    )
    assert free_domain_matches == [(0,)]


def test_the_dbt_unit_tests_pass(warehouse: DemoWarehouse) -> None:
    """dbt's unit tests (every CASE, regex and window rule on fixed inputs) run here, in CI: the
    main job leaves them out, as dbt recommends for production runs."""
    result = subprocess.run(
        [LEAD_FACTORY, "dbt", "--db", str(warehouse.db), "test", "--select", "test_type:unit"],
        env=warehouse.env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    passed = re.search(r"PASS=(\d+) WARN=0 ERROR=0", result.stdout)
    assert passed and int(passed.group(1)) >= 40
