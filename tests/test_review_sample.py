"""Labels without gold labels: the review sample on the demo warehouse, exported, filled in and
landed back as reviewer decisions, and the accuracy mart's figures against them.

Reads the session's demo warehouse (conftest.py); the landing-back test works on a copy of it.
The Wilson interval's hand-computed cases are dbt unit tests (rpt_matching_accuracy's, run by
test_end_to_end.py::test_the_dbt_unit_tests_pass); here the mart's bounds are checked against the
textbook formula on real counts.
"""

from __future__ import annotations

import csv
import hashlib
import math
import os
import shutil
import subprocess
from pathlib import Path
from statistics import NormalDist

import pytest
import yaml
from support import LEAD_FACTORY, DemoWarehouse, erased_people, query

from lead_factory.project import PROJECT_DIR
from lead_factory.review_sample import DECISION_COLUMNS

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("demo")]

VARS = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]
SIZE, SEED = VARS["review_sample_size"], VARS["review_sample_seed"]
NEAR_TARGET = round(SIZE * VARS["review_sample_near_share"])
SHEET = "reviews/review_sample.csv"
"""Where the filled-in sheet lands, relative to the landing folder."""
THRESHOLD_WEIGHT = math.log2(VARS["person_match_threshold"] / (1 - VARS["person_match_threshold"]))


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _decided_pairs(db: Path) -> set[tuple[str, str]]:
    rows = query(
        db,
        "select record_id, other_record_id from staging.stg_reviews__match_decisions "
        "where other_record_id is not null",
    )
    return {_pair(a, b) for a, b in rows}


def _expected_sample(db: Path) -> dict[tuple[str, str], str]:
    """The sample drawn in Python from the scored pairs: the first pairs near the threshold in the
    order of md5("<seed>|<left>|<right>"), then the first of all the others in the same order."""
    decided = _decided_pairs(db)
    erased = {r for (r,) in query(db, "select record_id from intermediate.int_records_erased")}
    scored = query(
        db, "select record_id_l, record_id_r, match_weight from intermediate.int_person_pairs_scored"
    )
    eligible = sorted(
        (
            (left, right, weight)
            for left, right, weight in scored
            if (left, right) not in decided and left not in erased and right not in erased
        ),
        key=lambda pair: hashlib.md5(f"{SEED}|{pair[0]}|{pair[1]}".encode()).hexdigest(),
    )
    band = VARS["review_sample_weight_band"]
    near = [p[:2] for p in eligible if abs(p[2] - THRESHOLD_WEIGHT) <= band][:NEAR_TARGET]
    chosen = set(near)
    rest = [p[:2] for p in eligible if p[:2] not in chosen][: SIZE - len(near)]
    return {**dict.fromkeys(near, "near_threshold"), **dict.fromkeys(rest, "random")}


def _sample(db: Path) -> dict[tuple[str, str], str]:
    rows = query(
        db, "select record_id, other_record_id, sample_stratum from marts.rpt_matching_review_sample"
    )
    return {(a, b): stratum for a, b, stratum in rows}


def test_the_sample_is_the_seeded_draw_of_its_size_and_strata(demo_warehouse: DemoWarehouse) -> None:
    sample = _sample(demo_warehouse.db)
    assert len(sample) == SIZE
    near = [pair for pair, stratum in sample.items() if stratum == "near_threshold"]
    assert 0 < len(near) <= NEAR_TARGET
    assert sample == _expected_sample(demo_warehouse.db)
    weights = dict(
        ((a, b), w)
        for a, b, w in demo_warehouse.query(
            "select record_id, other_record_id, match_weight from marts.rpt_matching_review_sample"
        )
    )
    assert all(abs(weights[pair] - THRESHOLD_WEIGHT) <= VARS["review_sample_weight_band"] for pair in near)


def test_decided_pairs_and_erased_people_are_left_out(demo_warehouse: DemoWarehouse) -> None:
    sample = _sample(demo_warehouse.db)
    decided = _decided_pairs(demo_warehouse.db)
    scored = {
        (a, b)
        for a, b in demo_warehouse.query(
            "select record_id_l, record_id_r from intermediate.int_person_pairs_scored"
        )
    }
    assert decided & scored  # the demo's reviewers decided pairs the sample could have drawn
    assert not decided & set(sample)
    erased = {record for person in erased_people(demo_warehouse) for record in person.record_ids}
    assert erased and not erased & {record for pair in sample for record in pair}


def _wilson(successes: int, trials: int) -> tuple[float, float]:
    """The textbook form of the 95% Wilson score interval."""
    z, p = NormalDist().inv_cdf(0.975), successes / trials
    centre = (p + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z / (1 + z * z / trials) * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials))
    return centre - half, centre + half


@pytest.fixture(scope="module")
def landed_back(demo_warehouse: DemoWarehouse, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A copy of the demo warehouse after its review sample was exported with the command, its first
    ten rows filled in from the planted truth (the rest left blank), landed and built."""
    folder = tmp_path_factory.mktemp("review_sample")
    db = folder / "warehouse" / "lead_factory.duckdb"
    db.parent.mkdir()
    shutil.copyfile(demo_warehouse.db, db)
    shutil.copyfile(demo_warehouse.db.with_name("serving.duckdb"), db.with_name("serving.duckdb"))
    env = {**os.environ, "DBT_TARGET_PATH": str(folder / "target")}
    env.pop("LEAD_FACTORY_SERVING_DB", None)
    sheet = folder / "landing" / SHEET
    sheet.parent.mkdir(parents=True)

    def run(*arguments: str) -> str:
        done = subprocess.run(
            [LEAD_FACTORY, *arguments], env=env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, (arguments, done.stdout[-3000:] + done.stderr[-3000:])
        return done.stdout + done.stderr

    exported = run("review-sample", "--db", str(db), "--out", str(sheet))
    with sheet.open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    assert tuple(header[: len(DECISION_COLUMNS)]) == DECISION_COLUMNS and len(rows) == SIZE
    truth = {row["record_id"]: row["person_id"] for row in demo_warehouse.truth_rows("records.csv")}
    column = {name: index for index, name in enumerate(header)}
    filled = {}
    for row in rows[:10]:
        same = truth[row[column["record_id"]]] == truth[row[column["other_record_id"]]]
        row[column["decision"]] = "same_person" if same else "different_person"
        row[column["decided_by"]] = "test.reviewer"
        row[column["decided_at"]] = "2026-12-09T10:00:00Z"
        filled[row[column["decision_id"]]] = (
            row[column["decision"]],
            _pair(row[column["record_id"]], row[column["other_record_id"]]),
        )
    with sheet.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    landed = run("land", "--landing-dir", str(sheet.parents[1]), "--db", str(db))
    models = (
        "base_reviews__match_decisions stg_reviews__match_decisions fct_rejected_match_decisions "
        "int_match_decisions_compared rpt_match_label_accuracy rpt_matching_accuracy "
        "int_person_pairs_sampled_for_review rpt_matching_review_sample"
    )
    run("build", "--db", str(db), "-s", *models.split(), "--exclude", "resource_type:unit_test")
    return {"db": db, "filled": filled, "exported": exported, "landed": landed, "truth": truth}


def test_the_exported_sheet_lands_back_as_decisions(landed_back: dict) -> None:
    db, filled = landed_back["db"], landed_back["filled"]
    assert f"{SIZE} pairs to review" in landed_back["exported"]
    decisions = {
        decision_id: (decision, _pair(a, b))
        for decision_id, decision, a, b in query(
            db,
            "select decision_id, decision, record_id, other_record_id "
            f"from staging.stg_reviews__match_decisions where source_file_path = '{SHEET}'",
        )
    }
    assert decisions == filled  # the ten filled rows; the blank ones are ignored ...
    rejected = query(
        db,
        f"select count(*) from marts.fct_rejected_match_decisions where source_file_path = '{SHEET}'",
    )
    assert rejected == [(0,)]  # ... and not rejected either
    assert not {pair for _, pair in filled.values()} & set(_sample(db))  # decided pairs leave the sample
    assert len(_sample(db)) == SIZE


def test_the_accuracy_mart_counts_the_landed_decisions(landed_back: dict) -> None:
    """Review-decision pairs: the model's own answer (its pair score at the threshold, before the
    decisions override it) against every pair decision, the demo's and the sheet's."""
    db = landed_back["db"]
    threshold = VARS["person_match_threshold"]
    scores = {
        (a, b): p
        for a, b, p in query(
            db, "select record_id_l, record_id_r, match_probability from intermediate.int_person_pairs_scored"
        )
    }
    labels = [
        (decision == "same_person", scores.get(_pair(a, b), 0.0) >= threshold)
        for decision, a, b in query(
            db,
            "select decision, record_id, other_record_id from staging.stg_reviews__match_decisions "
            "where other_record_id is not null",
        )
    ]
    right = sum(labelled and model for labelled, model in labels)
    joined, same = sum(model for _, model in labels), sum(labelled for labelled, _ in labels)
    ((count, precision, p_n, p_low, p_high, recall, r_n, r_low, r_high),) = query(
        db,
        """
        select labelled_count, precision_score, precision_denominator, precision_lower, precision_upper,
            recall_score, recall_denominator, recall_lower, recall_upper
        from marts.rpt_matching_accuracy where label_source = 'review_decisions' and measure = 'pairs'
        """,
    )
    assert count == len(labels) == 20 + 10  # the demo's twenty and the sheet's ten
    assert (p_n, r_n) == (joined, same)
    assert precision == pytest.approx(right / joined) and recall == pytest.approx(right / same)
    assert (p_low, p_high) == pytest.approx(_wilson(right, joined))
    assert (r_low, r_high) == pytest.approx(_wilson(right, same))
    gold = query(
        db,
        "select measure, precision_lower <= precision_score and precision_score <= precision_upper "
        "from marts.rpt_matching_accuracy where label_source = 'gold_labels' order by 1",
    )
    assert gold == [("lead_to_account", True), ("pairs", True), ("person_clusters", True)]
