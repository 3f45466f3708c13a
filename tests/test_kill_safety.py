"""Safe to run unattended: the main job killed in every one of its steps (SIGKILL, and Ctrl-C) and
run again ends in the same warehouse as a run left alone, table by table; the serving copy is a
complete publication at every moment; a lost warehouse is rebuilt from the landed files and the
history export; a person who was erased never comes back from a later file, unless they come back
themselves with a consented form."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from support import LEAD_FACTORY

from lead_factory import chaos
from lead_factory.demo.generator import generate
from lead_factory.runs import CLOCK_ENV

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("kill")]

SIZE = 100
SEED = 11
IN_EVERY_STEP = (
    "landing",
    "enrichment",
    "a model of the build",
    "a data test of the build",
    "the erase step",
    "the snapshots",
    "the compaction",
    "the publication",
)
"""One kill in every step of the main job (a SIGKILL, and a Ctrl-C in the build); `lead-factory
chaos` drills every point of chaos.KILL_POINTS at random moments."""
MAY_DIFFER = (
    "intermediate.int_person_pairs_scored",
    "intermediate.int_person_match_explanations",
    "intermediate.int_match_decisions_compared",
    "intermediate.int_person_pairs_sampled_for_review",
    "marts.rpt_matching_review_sample",
)
"""After a restore: the pairs are scored again, with today's term frequencies, and so are the
models that show the pair scores (docs/operations.md)."""


@dataclass
class Reference:
    folder: Path
    landing: Path
    db: Path
    env: dict[str, str]
    fingerprint: dict[str, str]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Reference:
    """The main job left alone on small demo data (with erasure requests), at a fixed clock."""
    folder = tmp_path_factory.mktemp("kill")
    generate(folder / "demo", size=SIZE, seed=SEED)
    env = chaos.drill_env(folder)
    fingerprint = chaos.reference_run(folder / "demo" / "landing", folder, env)
    return Reference(
        folder, folder / "demo" / "landing", folder / "reference" / "lead_factory.duckdb", env, fingerprint
    )


def test_killed_in_every_step_and_run_again_it_ends_as_if_left_alone(reference: Reference) -> None:
    points = [point for point in chaos.KILL_POINTS if point.name in IN_EVERY_STEP]
    result = chaos.drill(
        reference.landing,
        reference.folder / "killed" / "lead_factory.duckdb",
        reference.env,
        points,
        reference.fingerprint,
    )
    killed = {a.point.stage for a in result.attempts if a.point is not None and a.killed}
    assert killed >= {"land", "enrich", "build", "erase", "snapshots", "publish"}
    assert any(a.killed and a.point is not None and a.point.interrupt for a in result.attempts)
    assert result.attempts[-1].returncode == 0, "\n".join(result.attempts[-1].output[-40:])
    assert result.differing == []
    assert result.serving_always_complete
    runs = duckdb.connect(str(reference.folder / "killed" / "lead_factory.duckdb"), read_only=True)
    ((attempts, status),) = runs.execute("select attempts, status from raw.factory_runs").fetchall()
    runs.close()
    assert (attempts, status) == (len(result.attempts), "succeeded")  # one run, resumed each time


def test_a_lost_warehouse_is_rebuilt_from_the_landed_files_and_the_export(reference: Reference) -> None:
    restored = reference.folder / "restored" / "lead_factory.duckdb"
    command = [
        LEAD_FACTORY,
        "restore",
        "--from",
        str(reference.db.parent / "history"),
        "--landing-dir",
        str(reference.landing),
        "--db",
        str(restored),
    ]
    result = subprocess.run(command, env=reference.env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "every history table equals the export" in result.stdout
    found = chaos.fingerprint(restored)
    assert [t for t in chaos.differences(reference.fingerprint, found) if t not in MAY_DIFFER] == []


def test_a_restore_refuses_to_overwrite_and_names_a_missing_file(
    reference: Reference, tmp_path: Path
) -> None:
    refused = subprocess.run(
        [LEAD_FACTORY, "restore", "--landing-dir", str(reference.landing), "--db", str(reference.db)],
        env=reference.env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode == 1 and "exists" in refused.stderr
    landing = tmp_path / "landing"
    shutil.copytree(reference.landing, landing)
    gone = next(landing.glob("forms/*.jsonl"))
    gone.unlink()
    missing = subprocess.run(
        [
            LEAD_FACTORY,
            "restore",
            "--from",
            str(reference.db.parent / "history"),
            "--landing-dir",
            str(landing),
            "--db",
            str(tmp_path / "new.duckdb"),
        ],
        env=reference.env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert missing.returncode == 1
    assert gone.relative_to(landing).as_posix() in missing.stderr


def test_an_erased_person_never_comes_back_from_a_later_file(reference: Reference, tmp_path: Path) -> None:
    """After the erasure: a purchased list with one erased address and a CRM export that still
    holds an erased lead are erased on arrival; a form filled in with consent by the other erased
    person is that person coming back, as a new person."""
    folder = tmp_path / "warehouse"
    shutil.copytree(reference.db.parent, folder)
    db = folder / "lead_factory.duckdb"
    con = duckdb.connect(str(db), read_only=True)
    erased = con.execute("select request_event_key from raw.erasures order by erasure_id").fetchall()
    with (reference.landing.parent / "truth" / "contact_events.csv").open(encoding="utf-8") as handle:
        emails = sorted(
            row["email_normalised"]
            for row in csv.DictReader(handle)
            if row["event_type"] == "erasure_request"
        )
    crm_lead = con.execute("select Id from raw.crm_leads where _lf_erased_at is not null limit 1").fetchall()
    con.close()
    assert len(erased) >= 2 and len(emails) >= 2
    landing = tmp_path / "landing"
    (landing / "uploads" / "purchased_lists").mkdir(parents=True)
    (landing / "uploads" / "purchased_lists" / "list_2026-12.csv").write_text(
        f"First Name,Last Name,Email,Company\nKim,Vale,{emails[0].upper()},Vale Ltd\n", encoding="utf-8"
    )
    (landing / "forms").mkdir()
    (landing / "forms" / "returning.jsonl").write_text(
        json.dumps(
            {
                "submission_id": "BACK-1",
                "email": emails[1],
                "first_name": "Back",
                "last_name": "Again",
                "consent": "true",
                "submitted_at": "2026-12-01T12:00:00+00:00",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    if crm_lead:
        (landing / "crm" / "leads").mkdir(parents=True)
        (landing / "crm" / "leads" / "leads_reexport.csv").write_text(
            "Id,FirstName,LastName,Email,LastModifiedDate\n"
            f"{crm_lead[0][0]},Still,There,still.there@example.com,2026-12-01T13:00:00.000+0000\n",
            encoding="utf-8",
        )
    env = {**reference.env, CLOCK_ENV: "2026-12-02T06:00:00Z"}
    result = subprocess.run(
        [LEAD_FACTORY, "run", "--landing-dir", str(landing), "--db", str(db)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    con = duckdb.connect(str(db), read_only=True)
    listed = con.execute(
        "select lifecycle_status, email from marts.dim_leads where source_detail like '%list_2026-12%'"
    ).fetchall()
    back = con.execute(
        "select lifecycle_status, email, person_id from marts.dim_leads where record_id = 'form:BACK-1'"
    ).fetchall()
    reimports = con.execute("select sum(reimports_erased) from raw.erasures").fetchall()[0][0]
    reexported = con.execute(
        "select count(*) from raw.crm_leads where _lf_file_path like '%reexport%' and FirstName is not null"
    ).fetchall()[0][0]
    con.close()
    assert listed == [("erased", None)]
    assert back[0][0] != "erased" and back[0][1] == emails[1] and back[0][2] is not None
    assert reimports == 1
    assert reexported == 0  # the re-exported lead landed as a tombstone
