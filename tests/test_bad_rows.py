"""Bad rows never stop the factory: a landed row the build cannot use (a reviewer decision it cannot
read, a CRM contact naming an account the export lacks) is kept aside with its reason, and the rest
of the build goes on; so does the build after the hostile landing corpus (tests/hostile/) is landed.
The build runs on a copy of the session's demo warehouse (the session fixture hostile_warehouse);
tests/test_quarantine.py checks how what is kept aside is routed and exported."""

from __future__ import annotations

import pytest
from support import FORMULA_DECISION_ID, HostileWarehouse, query

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("demo")]


def test_unusable_rows_and_hostile_files_are_kept_aside_and_the_build_goes_on(
    hostile_warehouse: HostileWarehouse,
) -> None:
    assert "SKIP=0" in hostile_warehouse.build_output
    copy = hostile_warehouse.db

    rejected = dict(
        query(copy, "select decision_id, rejection_reason from marts.fct_rejected_match_decisions")
    )
    assert rejected == {
        "x1": "unknown decision 'maybe' (expected same_person, different_person or lead_account)",
        "x2": "no record_id",
        "x3": "a different_person decision without other_record_id",
        "H1": "unknown decision 'maybe' (expected same_person, different_person or lead_account)",
        "H2": "no record_id",
        FORMULA_DECISION_ID: "unknown decision 'maybe' (expected same_person, different_person or "
        "lead_account)",
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
