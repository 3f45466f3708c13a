"""Bad rows never stop the factory: a landed row the build cannot use (a reviewer decision it cannot
read, a CRM contact naming an account the export lacks) is kept aside with its reason, and the rest
of the build goes on; so does the build after the hostile landing corpus (tests/hostile/) is landed.
Builds run on a copy of the session's demo warehouse."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from support import LEAD_FACTORY, DemoWarehouse, hostile_landing, query

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("demo")]


def run(*command: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([LEAD_FACTORY, *command], env=env, capture_output=True, text=True, check=False)


def test_unusable_rows_and_hostile_files_are_kept_aside_and_the_build_goes_on(
    demo_warehouse: DemoWarehouse, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(demo_warehouse.db, copy)
    env = {**os.environ, "DBT_TARGET_PATH": str(tmp_path / "target")}
    leads = demo_warehouse.query("select record_id from marts.dim_leads order by 1 limit 3")
    first, second, third = (record for (record,) in leads)
    landing = hostile_landing(tmp_path)
    (landing / "reviews" / "decisions_bad.csv").write_text(
        "decision_id,decision,record_id,other_record_id,account_id,decided_by,decided_at,note\n"
        f"x1,maybe,{first},{second},,ann,2026-11-20T09:00:00Z,not sure\n"
        f"x2,same_person,,{second},,ann,2026-11-20T09:00:00Z,no record\n"
        f"x3,different_person,{third},,,ann,2026-11-20T09:00:00Z,no other record\n"
        f"x4,same_person,{first},{second},,ann,2026-11-20T09:00:00Z,a usable one\n",
        encoding="utf-8",
    )
    (landing / "crm" / "contacts" / "contacts_extra.csv").write_text(
        "Id,AccountId,FirstName,LastName,Email,Phone,Title,MailingCity,MailingCountry,LeadSource,"
        "HasOptedOutOfEmail,OwnerId,CreatedDate,LastModifiedDate,IsDeleted\n"
        "0035g00000ZZZZZAAA,0015g00000NOPENOPE,Zed,Nobody,zed.nobody@nowhere-corp.com,,CTO,Paris,FR,Web,"
        "false,0055g00000ehpjiAAA,2026-11-21T10:00:00.000+0000,2026-11-21T10:00:00.000+0000,false\n",
        encoding="utf-8",
    )
    landed = run("land", "--landing-dir", str(landing), "--db", str(copy), env=env)
    assert landed.returncode == 0, landed.stdout + landed.stderr
    built = run("build", "--db", str(copy), "--exclude", "resource_type:unit_test", env=env)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    assert "SKIP=0" in built.stdout

    rejected = dict(
        query(copy, "select decision_id, rejection_reason from marts.fct_rejected_match_decisions")
    )
    assert rejected == {
        "x1": "unknown decision 'maybe' (expected same_person, different_person or lead_account)",
        "x2": "no record_id",
        "x3": "a different_person decision without other_record_id",
        "H1": "unknown decision 'maybe' (expected same_person, different_person or lead_account)",
        "H2": "no record_id",
    }
    # The hostile corpus's rows reached the factory as the data they are, formulas included.
    hostile_leads = query(
        copy, "select record_id, first_name from staging.stg_crm__leads where record_id like '%HOST%'"
    )
    assert ("crm_lead:00Q5g00000HOST06AAA", "=1+2") in hostile_leads
    fixes = dict(query(copy, "select fix_id, fix_status from intermediate.int_steward_fixes_validated"))
    assert (fixes["HF2"], fixes["HF4"]) == ("rejected", "rejected")
    used = query(
        copy, "select decision_id from staging.stg_reviews__match_decisions where decision_id = 'x4'"
    )
    assert used == [("x4",)]
    orphans = query(
        copy, "select crm_id, crm_field, referenced_account_id from marts.fct_orphaned_crm_references"
    )
    assert ("0035g00000ZZZZZAAA", "AccountId", "0015g00000NOPENOPE") in orphans
    ((landed_rows,),) = query(copy, "select count(*) from raw.match_decisions")
    ((checked_rows,),) = query(copy, "select count(*) from staging.base_reviews__match_decisions")
    assert landed_rows == checked_rows  # every landed decision is used or kept aside, none lost
