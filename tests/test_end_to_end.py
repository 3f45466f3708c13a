"""The factory end to end on generated demo data, scored against the truth the generator planted.

One warehouse is built for the whole module (generate → land → dbt build → dbt docs generate) in a
temporary folder with dbt's `test` target; each test reads it.
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from lead_factory.conventions import check_target
from lead_factory.demo.generator import generate
from lead_factory.landing.kinds import KINDS
from lead_factory.landing.loader import land
from lead_factory.matching.evaluation import cluster_scores, pairwise_scores
from lead_factory.pipeline import run_dbt
from lead_factory.summary import summary_lines

pytestmark = pytest.mark.e2e

SIZE = 3000
SEED = 7
LEAD_SOURCES = {"form", "upload", "crm_lead"}


@dataclass(frozen=True)
class Warehouse:
    db: Path
    landing: Path
    truth: Path
    target: Path

    def query(self, sql: str) -> list[tuple]:
        con = duckdb.connect(str(self.db), read_only=True)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Warehouse]:
    root = tmp_path_factory.mktemp("e2e")
    generate(root / "demo", size=SIZE, seed=SEED)
    built = Warehouse(
        root / "warehouse.duckdb", root / "demo" / "landing", root / "demo" / "truth", root / "target"
    )
    land(built.landing, built.db)
    run_dbt(["build"], built.db, target="test", target_path=built.target)
    run_dbt(["docs", "generate"], built.db, target="test", target_path=built.target)
    yield built


def _truth(warehouse: Warehouse, name: str) -> list[dict[str, str]]:
    with (warehouse.truth / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def truth_records(warehouse: Warehouse) -> dict[str, dict[str, str]]:
    return {row["record_id"]: row for row in _truth(warehouse, "records.csv")}


@pytest.fixture(scope="module")
def planted(warehouse: Warehouse) -> dict[str, dict[str, set[str]]]:
    """record_id → field → defects planted there."""
    defects: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in _truth(warehouse, "defects.csv"):
        defects[row["record_id"]][row["field"]].add(row["defect"])
    return defects


def test_every_landed_row_is_accounted_for(warehouse: Warehouse) -> None:
    files = warehouse.query("select file_path, rows_in, rows_loaded, rows_rejected from raw.landed_files")
    on_disk = {
        p.relative_to(warehouse.landing).as_posix() for p in warehouse.landing.rglob("*") if p.is_file()
    }
    assert {f[0] for f in files} == on_disk
    truth_rows: dict[str, int] = defaultdict(int)
    for row in _truth(warehouse, "records.csv"):
        truth_rows[row["file_path"]] += 1
    for row in _truth(warehouse, "rejects.csv"):
        truth_rows[row["file_path"]] += 1
    every_raw_row = " union all ".join(f"select _lf_file_path from raw.{kind.raw_table}" for kind in KINDS)
    raw_rows = dict(warehouse.query(f"select _lf_file_path, count(*) from ({every_raw_row}) group by all"))
    for path, rows_in, rows_loaded, rows_rejected in files:
        assert rows_in == rows_loaded + rows_rejected, path
        assert raw_rows.get(path, 0) == rows_loaded, path
        if truth_rows.get(path):  # files of record kinds (accounts and the directory are not records)
            assert rows_in == truth_rows[path], path


def test_rejects_are_exactly_the_planted_bad_rows(warehouse: Warehouse) -> None:
    rejected = set(warehouse.query("select file_path, line_number from raw.landing_rejects"))
    planted = {(row["file_path"], int(row["line_number"])) for row in _truth(warehouse, "rejects.csv")}
    assert planted, "the generator planted no bad rows"
    assert rejected == planted
    reasons = warehouse.query("select reason, raw_text from raw.landing_rejects")
    assert all(reason and raw_text for reason, raw_text in reasons)


def test_every_lead_record_reaches_the_leads_mart_once(
    warehouse: Warehouse, truth_records: dict[str, dict[str, str]]
) -> None:
    mart = warehouse.query("select record_id, source_system from marts.dim_leads")
    assert len(mart) == len({r for r, _ in mart})
    expected = {rid: row["source"] for rid, row in truth_records.items() if row["source"] in LEAD_SOURCES}
    assert dict(mart) == expected
    contacts = {r for (r,) in warehouse.query("select record_id from staging.stg_crm__contacts")}
    assert contacts == {rid for rid, row in truth_records.items() if row["source"] == "crm_contact"}


def _staged(warehouse: Warehouse) -> dict[str, dict[str, object]]:
    columns = [
        "record_id", "first_name", "last_name", "email", "country_code", "phone_e164", "is_free_email",
        "is_disposable_email", "is_role_email", "is_email_syntax_valid",
    ]  # fmt: skip
    rows = warehouse.query(f"select {', '.join(columns)} from intermediate.int_leads_unioned")
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


def test_docs_cover_every_model_column_and_macro(warehouse: Warehouse) -> None:
    report = check_target(warehouse.target)
    assert report.models >= 10
    assert report.problems == []


def test_the_source_summary_adds_up(warehouse: Warehouse) -> None:
    rows = warehouse.query(
        "select source_system, record_count, usable_email_share from marts.rpt_lead_source_summary"
    )
    counts = dict(warehouse.query("select source_system, count(*) from marts.dim_leads group by all"))
    assert {r[0]: r[1] for r in rows} == counts
    assert all(0 <= r[2] <= 1 for r in rows)
    lines = summary_lines(warehouse.db)
    assert any("form_submissions" in line and "rejected" in line for line in lines)


def test_a_second_run_adds_nothing(warehouse: Warehouse) -> None:
    before = warehouse.query(
        "select count(*) from marts.dim_leads union all select count(*) from raw.uploads"
    )
    report = land(warehouse.landing, warehouse.db)
    assert report.files_loaded == 0 and report.rows_loaded == 0
    assert report.files_skipped == len([p for p in warehouse.landing.rglob("*") if p.is_file()])
    run_dbt(["build", "-s", "marts"], warehouse.db, target="test", target_path=warehouse.target)
    after = warehouse.query("select count(*) from marts.dim_leads union all select count(*) from raw.uploads")
    assert after == before


def _summary(output: str) -> str:
    """The summary block the main job prints (from 'Landed' up to the closing 'Done'), without the
    line of the latest enrichment run (a second run takes its answers from the cache)."""
    block = output[output.index("Landed (all batches)") : output.index("\nDone in")]
    return "\n".join(line for line in block.splitlines() if not line.startswith("  last run:"))


def test_the_main_job_runs_twice_with_the_same_result(tmp_path: Path) -> None:
    """`make demo`'s script, run twice from a fresh folder: the second run lands nothing new."""
    script = Path(__file__).resolve().parents[1] / "scripts" / "run_demo.py"
    env = {**os.environ, "LEAD_FACTORY_DB": str(tmp_path / "warehouse.duckdb")}
    runs = [
        subprocess.run(
            [sys.executable, str(script), "--size", "400", "--seed", "3"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        for _ in range(2)
    ]
    for run in runs:
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    first, second = (r.stdout for r in runs)
    assert "; 0 undocumented" in first
    assert re.search(r": [1-9]\d* files loaded, 0 skipped; ", first)
    assert re.search(r": 0 files loaded, [1-9]\d* skipped; 0 rows in / 0 loaded / 0 rejected", second)
    assert _summary(first) == _summary(second)
    # The second run asked the providers nothing: every answer was fresh in the cache.
    assert re.search(r"last run: \d+ requests; [1-9]\d* from cache, 0 calls", second)


def test_person_matching_meets_its_accuracy_targets(warehouse: Warehouse, truth_records) -> None:
    """Person clusters against the planted truth: F1 of at least 0.98 pairwise and per cluster."""
    predicted = dict(warehouse.query("select record_id, person_id from intermediate.int_persons_clustered"))
    truth = {rid: row["person_id"] for rid, row in truth_records.items()}
    assert set(predicted) == set(truth)
    assert pairwise_scores(predicted, truth).f1 >= 0.98
    assert cluster_scores(predicted, truth).f1 >= 0.98


def test_the_accuracy_mart_agrees_with_the_benchmark_scoring(warehouse: Warehouse, truth_records) -> None:
    """rpt_matching_accuracy (SQL, from the demo's gold labels) gives the Python evaluation's figures."""
    predicted = dict(warehouse.query("select record_id, person_id from intermediate.int_persons_clustered"))
    truth = {rid: row["person_id"] for rid, row in truth_records.items()}
    mart = {
        m: (p, r)
        for m, p, r in warehouse.query(
            "select measure, precision_score, recall_score from marts.rpt_matching_accuracy"
        )
    }
    for measure, scores in (
        ("pairs", pairwise_scores(predicted, truth)),
        ("person_clusters", cluster_scores(predicted, truth)),
    ):
        assert mart[measure] == pytest.approx((scores.precision, scores.recall))


def test_leads_are_matched_to_their_accounts(warehouse: Warehouse, truth_records) -> None:
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


def test_person_id_changes_are_kept_as_history(tmp_path: Path) -> None:
    """Reviewer decisions merge two people and split a third; the changes land in the history with
    the older id surviving the merge and the merged-away id kept as a tombstone."""
    generate(tmp_path / "demo", size=400, seed=11)
    landing, db, target = tmp_path / "demo" / "landing", tmp_path / "w.duckdb", tmp_path / "target"
    land(landing, db)
    run_dbt(["build"], db, target="test", target_path=target)
    con = duckdb.connect(str(db), read_only=True)
    people = con.execute(
        """
        select person_id, list(record_id order by record_id), count(*)
        from intermediate.int_persons_clustered group by person_id order by person_id
        """
    ).fetchall()
    con.close()
    singles = [p for p in people if p[2] == 1]
    older, newer = singles[0][0], singles[1][0]
    triple = next(p for p in people if p[2] >= 2)
    stays = triple[0].removeprefix("person:")
    leaves = next(r for r in triple[1] if r != stays)
    decisions = landing / "reviews" / "second_review.csv"
    decisions.write_text(
        "decision_id,decision,record_id,other_record_id,account_id,decided_by,decided_at,note\n"
        f"R1,same_person,{older.removeprefix('person:')},{newer.removeprefix('person:')},,t,2026-11-02T00:00:00Z,x\n"
        f"R2,different_person,{stays},{leaves},,t,2026-11-02T00:00:00Z,x\n",
        encoding="utf-8",
    )
    land(landing, db)
    run_dbt(["build"], db, target="test", target_path=target)
    changes = Warehouse(db, landing, tmp_path, target).query(
        "select old_person_id, new_person_id, change_type from marts.fct_person_id_changes"
    )
    merged = [c for c in changes if c[2] == "merged"]
    split = [c for c in changes if c[2] == "split"]
    assert len(merged) == 1 and split, changes
    (old_id, new_id, _), survivor = merged[0], None
    con = duckdb.connect(str(db), read_only=True)
    arrived = dict(
        con.execute("select record_id, arrived_at from intermediate.int_person_records_prepared").fetchall()
    )
    con.close()
    survivor = min((older, newer), key=lambda p: (arrived[p.removeprefix("person:")], p))
    assert new_id == survivor and old_id == ({older, newer} - {survivor}).pop()
    assert split[0][0] == triple[0]
    ids = {
        row[0]: row[1:]
        for row in Warehouse(db, landing, tmp_path, target).query(
            "select person_id, person_id_status, current_person_id, split_from_person_id "
            "from marts.dim_person_ids"
        )
    }
    assert ids[old_id] == ("merged", survivor, None)  # the tombstone resolves to the survivor
    assert ids[split[0][1]] == ("active", split[0][1], triple[0])
    assert ids[triple[0]][:2] == ("active", triple[0])


def test_an_incremental_batch_matches_like_a_full_rematch(tmp_path: Path) -> None:
    """A second batch is scored against the first (only pairs with a new record are compared), and
    a full re-match of the same records gives the same pairs and the same person ids."""
    generate(tmp_path / "demo", size=600, seed=5)
    landing, db, target = tmp_path / "demo" / "landing", tmp_path / "w.duckdb", tmp_path / "target"
    later = sorted((landing / "forms").glob("*.jsonl"))[-3:]
    held = tmp_path / "held"
    held.mkdir()
    for path in later:
        path.rename(held / path.name)
    land(landing, db)
    run_dbt(["build"], db, target="test", target_path=target)
    for path in later:
        (held / path.name).rename(landing / "forms" / path.name)
    land(landing, db)
    run_dbt(["build"], db, target="test", target_path=target)
    warehouse = Warehouse(db, landing, tmp_path, target)
    second_batch = {
        record_id
        for (record_id,) in warehouse.query(
            "select record_id from staging.stg_forms__submissions where source_file_path in "
            f"({', '.join(repr('forms/' + p.name) for p in later)})"
        )
    }
    assert second_batch
    pairs_sql = "select record_id_l, record_id_r from intermediate.int_person_pairs_scored"
    incremental_pairs = set(warehouse.query(pairs_sql))
    latest = warehouse.query(
        """
        select record_id_l, record_id_r from intermediate.int_person_pairs_scored
        where scored_through = (select max(scored_through) from intermediate.int_person_pairs_scored)
        """
    )
    assert latest and all(left in second_batch or right in second_batch for left, right in latest)
    persons_sql = "select record_id, person_id from intermediate.int_persons_clustered"
    incremental_persons = dict(warehouse.query(persons_sql))
    prior_sql = "select distinct prior_match_weight from intermediate.int_person_pairs_scored"
    incremental_prior = warehouse.query(prior_sql)
    run_dbt(["build", "--full-refresh"], db, target="test", target_path=target)
    assert set(warehouse.query(pairs_sql)) == incremental_pairs
    assert dict(warehouse.query(persons_sql)) == incremental_persons
    # The pairs of the first batch were moved onto the prior of all the records.
    assert incremental_prior == warehouse.query(prior_sql) and len(incremental_prior) == 1
