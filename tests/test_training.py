"""Training the person-matching model on the user's warehouse (`lead-factory train`), the build
loading what it wrote, and drift between the data matched and the data trained on."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest
from support import DemoWarehouse, query

from lead_factory.matching import drift, people

LEAD_FACTORY = str(Path(sys.executable).parent / "lead-factory")


def records(rows: list[dict[str, str | None]]) -> pa.Table:
    return pa.Table.from_pylist(
        [{field: row.get(field) for field in drift.PROFILED_FIELDS} for row in rows],
        schema=pa.schema([(field, pa.string()) for field in drift.PROFILED_FIELDS]),
    )


def lead_list(
    size: int, *, email: bool = True, countries: tuple[str, ...] = ("us", "gb", "de", "fr")
) -> pa.Table:
    """``size`` leads of one shape: names from 40 first and 40 last names, an email each (or none),
    a country from ``countries``."""
    rows = []
    for i in range(size):
        rows.append(
            {
                "first_name_key": f"first{i % 40}",
                "last_name_key": f"last{(i * 7) % 40}",
                "email_key": f"person{i}@example{i % 97}.com" if email else None,
                "country_key": countries[i % len(countries)],
                "city_key": f"city{i % 300}",
            }
        )
    return records(rows)


def drifted(trained: pa.Table, current: pa.Table) -> dict[str, str]:
    return {
        row.field: row.reason or ""
        for row in drift.compare(drift.profile(trained), drift.profile(current))
        if row.drifted
    }


def test_drift_stays_quiet_on_the_training_data_at_another_size() -> None:
    assert drifted(lead_list(2_000), lead_list(2_000)) == {}
    assert drifted(lead_list(2_000), lead_list(20_000)) == {}


def test_drift_fires_when_a_field_is_no_longer_filled() -> None:
    found = drifted(lead_list(2_000), lead_list(2_000, email=False))
    assert set(found) == {"email_key"}
    assert "filled on 0% of the records, 100% when the model was trained" in found["email_key"]


def test_drift_fires_when_values_concentrate() -> None:
    # Trained on leads from 40 countries, now a list from one country.
    many = tuple(f"c{i}" for i in range(40))
    found = drifted(lead_list(2_000, countries=many), lead_list(2_000, countries=("us",)))
    assert set(found) == {"country_key"}
    assert "commonest values hold 100%" in found["country_key"]


def test_without_a_training_profile_nothing_drifts() -> None:
    assert not any(row.drifted for row in drift.compare(None, drift.profile(lead_list(100))))


@pytest.mark.e2e
@pytest.mark.xdist_group("demo")
def test_the_demo_has_not_drifted_from_the_shipped_model(demo_warehouse: DemoWarehouse) -> None:
    rows = demo_warehouse.query("select field_name, is_drifted, drift_reason from marts.rpt_matching_drift")
    assert {name for name, _, _ in rows} == set(drift.PROFILED_FIELDS)
    assert [(name, reason) for name, is_drifted, reason in rows if is_drifted] == []


@pytest.mark.e2e
@pytest.mark.xdist_group("demo")
def test_train_on_a_warehouse_writes_a_model_the_build_loads(
    demo_warehouse: DemoWarehouse, tmp_path: Path
) -> None:
    db = tmp_path / "warehouse.duckdb"
    shutil.copy(demo_warehouse.db, db)
    model_path = tmp_path / "person_model.json"
    env = {**demo_warehouse.env, "LEAD_FACTORY_DB": str(db), "DBT_TARGET_PATH": str(tmp_path / "target")}
    trained = subprocess.run(
        [LEAD_FACTORY, "train", "--db", str(db), "--out", str(model_path)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert trained.returncode == 0, trained.stdout[-2000:] + trained.stderr[-2000:]
    # The demo lands gold labels: m is counted on them, and blocking recall is measured against them.
    assert "labelled pairs (gold labels, review decisions)" in trained.stdout
    assert "blocking recall against the truth:" in trained.stdout
    model = json.loads(model_path.read_text(encoding="utf-8"))
    metadata = model[people.TRAINING_METADATA]
    assert set(metadata["profile"]) == set(drift.PROFILED_FIELDS)
    (count,) = query(db, "select count(*) from intermediate.int_person_records_prepared")[0]
    assert metadata["trained_on_records"] == count
    built = subprocess.run(
        [
            LEAD_FACTORY, "dbt", "--db", str(db), "build", "--full-refresh",
            "-s", "int_person_pairs_scored", "int_persons_clustered", "int_person_match_drift",
            "--exclude-resource-type", "unit_test",
            "--vars", json.dumps({"person_model_path": str(model_path)}),
        ],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert built.returncode == 0, built.stdout[-3000:]
    # Trained on this very warehouse: nothing has drifted, and people are still found.
    assert query(db, "select count(*) from intermediate.int_person_match_drift where is_drifted") == [(0,)]
    ((persons, records_count),) = query(
        db, "select count(distinct person_id), count(*) from intermediate.int_persons_clustered"
    )
    assert 0 < persons < records_count
