"""The Minimum Viable Lead, the remediation queue, steward fixes and the lifecycle, end to end.

One factory is run three times on generated data, as a team would run it: a first batch; then a
steward fix file (the generator writes one, with its expected outcomes) and a later batch of form
fills; then a full refresh. The tests check the standard, the queue, the cases, the fixes and the
lifecycle against the defects, events and fixes the generator planted.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest
from support import Warehouse

from lead_factory.demo.generator import generate
from lead_factory.landing.loader import land
from lead_factory.pipeline import PipelineError, run_dbt
from lead_factory.project import PROJECT_DIR
from lead_factory.summary import summary_lines

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("standard")]

SIZE = 2000
SEED = 13
LATER_FORM_FILES = 2
# The rule a fixed field answers to.
RULE_OF_FIELD = {
    "email": "usable_email",
    "country": "iso_country",
    "company_name": "company_name",
    "phone": "valid_phone",
    "first_name": "real_name",
    "last_name": "real_name",
}


@dataclass
class Factory(Warehouse):
    runs: list[dict[str, list[tuple]]] = field(default_factory=list)
    second_batch: set[str] = field(default_factory=set)
    decisions: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Reviewer decisions landed with the second batch: name -> (record_id, other_record_id)."""

    def remember(self) -> None:
        """What the tests compare between runs."""
        self.runs.append(
            {
                "cases": self.query(
                    "select case_id, problem_key, opened_at, resolved_at, resolution, case_status "
                    "from marts.fct_remediation_cases"
                ),
                "milestones": self.query(
                    "select record_id, lifecycle_status, first_classified_at, converted_at, erased_at "
                    "from intermediate.int_lead_milestones_accumulated"
                ),
                "failures": self.failures(),
                "lifecycle": self.query("select record_id, lifecycle_status from marts.dim_lead_lifecycle"),
                "pairs": self.query(
                    "select record_id_l, record_id_r from intermediate.int_person_pairs_scored "
                    "where match_probability >= 0.99"
                ),
                "latest_pairs": self.query(
                    "select record_id_l, record_id_r from intermediate.int_person_pairs_scored "
                    "where scored_through = (select max(scored_through) "
                    "from intermediate.int_person_pairs_scored)"
                ),
                "priors": self.query(
                    "select distinct prior_match_weight from intermediate.int_person_pairs_scored"
                ),
                "persons": self.query("select record_id, person_id from intermediate.int_persons_clustered"),
                "sources": self.query(
                    "select record_id, company_name_source, country_source "
                    "from intermediate.int_leads_enriched"
                ),
            }
        )

    def failures(self) -> list[tuple]:
        rules = [name for (name,) in self.query("select rule_name from marts.dim_mvl_rules")]
        return [
            (record_id, rule)
            for rule in rules
            for (record_id,) in self.query(
                f"select record_id from intermediate.int_leads_classified where not passes_{rule}"
            )
        ]

    def build(self, *args: str) -> None:
        run_dbt(["build", *args], self.db, target="test", target_path=self.target)


def _review_decisions(factory: Factory, landing: Path, fixed: set[str]) -> None:
    """A reviewer's decisions on the first run's people, landed with the second batch: two people
    of one record each are the same person (a merge), and one record of a person with several is
    not that person (a split). Records a steward fixes are left out, so the fixes' own effect on
    matching does not mix with the decisions'."""
    people = factory.query(
        """
        select person_id, list(record_id order by record_id), count(*)
        from intermediate.int_persons_clustered group by person_id order by person_id
        """
    )
    untouched = [p for p in people if not set(p[1]) & fixed]
    singles = [p for p in untouched if p[2] == 1]
    several = next(p for p in untouched if p[2] >= 2)
    stays = several[0].removeprefix("person:")
    leaves = next(r for r in several[1] if r != stays)
    factory.decisions = {
        "merge": (singles[0][1][0], singles[1][1][0]),
        "split": (stays, leaves),
    }
    (landing / "reviews" / "second_review.csv").write_text(
        "decision_id,decision,record_id,other_record_id,account_id,decided_by,decided_at,note\n"
        f"R1,same_person,{singles[0][1][0]},{singles[1][1][0]},,t,2026-11-02T00:00:00Z,one person\n"
        f"R2,different_person,{stays},{leaves},,t,2026-11-02T00:00:00Z,two people\n",
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Factory]:
    root = tmp_path_factory.mktemp("standard")
    generate(root / "demo", size=SIZE, seed=SEED)
    built = Factory(root / "warehouse.duckdb", root / "demo", root / "target")
    landing = built.landing
    held = root / "held"
    held.mkdir()
    later = sorted((landing / "forms").glob("*.jsonl"))[-LATER_FORM_FILES:]
    for path in later:
        path.rename(held / path.name)
    land(landing, built.db)
    built.build()
    built.remember()
    # A data steward lands the fix file, a reviewer their decisions; the later form fills arrive.
    (landing / "fixes").mkdir()
    fixes = sorted((root / "demo" / "stewardship").glob("*.csv"))
    for path in fixes:
        shutil.copyfile(path, landing / "fixes" / path.name)
    _review_decisions(built, landing, {r["record_id"] for r in built.truth_rows("steward_fixes.csv")})
    for path in later:
        (held / path.name).rename(landing / "forms" / path.name)
    land(landing, built.db)
    built.build()
    built.second_batch = {
        record_id
        for (record_id,) in built.query(
            "select record_id from staging.stg_forms__submissions where source_file_path in "
            f"({', '.join(repr('forms/' + p.name) for p in later)})"
        )
    }
    built.remember()
    built.build("--full-refresh")
    built.remember()
    yield built


def _defects(factory: Factory) -> dict[str, dict[str, set[str]]]:
    defects: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in factory.truth_rows("defects.csv"):
        defects[row["record_id"]][row["field"]].add(row["defect"])
    return defects


@pytest.mark.parametrize(
    ("rule", "fields", "failing_defects", "truth_column", "waterfall_field"),
    [
        (
            "usable_email",
            ("email",),
            {"invalid_email", "disposable_email", "role_email", "missing", "placeholder"},
            "email",
            None,
        ),
        ("iso_country", ("country",), {"missing", "placeholder", "unknown_country"}, "country_code", 1),
        ("company_name", ("company",), {"missing", "placeholder"}, "company_name", 0),
        (
            "real_name",
            ("first_name", "last_name"),
            {"junk_name", "missing", "placeholder"},
            "last_name",
            None,
        ),
    ],
)
def test_a_record_fails_a_rule_exactly_when_a_defect_was_planted(
    factory: Factory,
    rule: str,
    fields: tuple[str, ...],
    failing_defects: set[str],
    truth_column: str,
    waterfall_field: int | None,
) -> None:
    """Before any fix: the rule fails on every record with a planted defect it is about or whose
    person truly has no such value (a lead with no company), and on no other. Records with
    hostile values, which may or may not break a rule, are left out, and so are records whose
    field the waterfall filled from the CRM (that is the continuous fix at work)."""
    defects = _defects(factory)
    truth = {row["record_id"]: row for row in factory.truth_rows("records.csv")}
    first_run = {record_id for record_id, failed in factory.runs[0]["failures"] if failed == rule}
    filled = set()
    if waterfall_field is not None:  # the position of the field's source in the run's "sources"
        filled = {
            record_id
            for record_id, *sources in factory.runs[0]["sources"]
            if sources[waterfall_field] not in ("steward", "record", None)
        }
    mismatches = []
    for record_id, *_ in factory.runs[0]["milestones"]:
        planted = defects.get(record_id, {})
        if any("hostile_value" in kinds for kinds in planted.values()) or record_id in filled:
            continue
        found = set().union(*(planted.get(f, set()) for f in fields))
        expected = bool(found & failing_defects) or not truth[record_id][truth_column]
        if expected != (record_id in first_run):
            mismatches.append((record_id, sorted(found)))
    assert not mismatches, mismatches[:10]


def test_every_problem_of_a_live_record_is_one_open_case(factory: Factory) -> None:
    for run in factory.runs:
        live = {r for r, status in run["lifecycle"] if status not in ("retired", "erased")}
        problems = {f"{r}|{rule}" for r, rule in run["failures"] if r in live}
        open_cases = [problem for _, problem, _, _, _, status in run["cases"] if status == "open"]
        assert sorted(open_cases) == sorted(problems)
    queue = {case_id for (case_id,) in factory.query("select case_id from marts.fct_remediation_queue")}
    assert queue == {case_id for case_id, *_, status in factory.runs[-1]["cases"] if status == "open"}


def test_steward_fixes_have_the_planted_outcomes(factory: Factory) -> None:
    expected = {row["fix_id"]: row for row in factory.truth_rows("steward_fixes.csv")}
    found = {
        fix_id: (status, reason)
        for fix_id, status, reason in factory.query(
            "select fix_id, fix_status, rejection_reason from intermediate.int_steward_fixes_validated"
        )
    }
    assert set(found) == set(expected)
    for fix_id, row in expected.items():
        assert found[fix_id] == (row["expected_outcome"], row["expected_reason"] or None), row
    rejected = dict(factory.query("select fix_id, rejection_reason from marts.fct_rejected_steward_fixes"))
    assert rejected == {
        fix_id: row["expected_reason"]
        for fix_id, row in expected.items()
        if row["expected_outcome"] == "rejected"
    }


def test_applied_fixes_mend_their_records_and_close_their_cases(factory: Factory) -> None:
    applied = [r for r in factory.truth_rows("steward_fixes.csv") if r["expected_outcome"] == "applied"]
    assert applied
    failing = set(factory.runs[1]["failures"])
    status = dict(factory.runs[1]["lifecycle"])
    before = {problem: status for _, problem, _, _, _, status in factory.runs[0]["cases"]}
    resolutions = {problem: resolution for _, problem, _, _, resolution, _ in factory.runs[1]["cases"]}
    closed = 0
    for fix in applied:
        rule = RULE_OF_FIELD.get(fix["field"])
        record = fix["record_id"]
        if rule is None or rule == "real_name":
            continue
        assert (record, rule) not in failing, fix
        problem = f"{record}|{rule}"
        if before.get(problem) == "open" and status[record] not in ("retired", "erased"):
            assert resolutions[problem] == "fixed_by_steward", fix
            closed += 1
    assert closed > 0


def test_a_reverted_fix_gives_the_source_value_back(factory: Factory) -> None:
    reverted = [r for r in factory.truth_rows("steward_fixes.csv") if r["expected_outcome"] == "reverted"]
    assert reverted
    for fix in reverted:
        field = {"country": "country_raw"}.get(fix["field"], fix["field"])
        (source,) = factory.query(
            f"select {field} from intermediate.int_leads_unioned where record_id = '{fix['record_id']}'"
        )
        (fixed,) = factory.query(
            f"select {field}, fixed_fields from intermediate.int_leads_fixed "
            f"where record_id = '{fix['record_id']}'"
        )
        assert fixed[0] == source[0] and fix["field"] not in fixed[1]


def test_cases_and_milestones_survive_a_full_refresh(factory: Factory) -> None:
    second, refreshed = factory.runs[1], factory.runs[2]
    assert {row[0] for row in second["cases"]} <= {row[0] for row in refreshed["cases"]}
    resolved = {row[0]: row[4] for row in second["cases"] if row[5] == "resolved"}
    assert resolved and all(
        dict((r[0], r[4]) for r in refreshed["cases"])[c] == how for c, how in resolved.items()
    )
    first_seen = {record: row for record, *row in second["milestones"]}
    for record, _, classified_at, converted_at, erased_at in refreshed["milestones"]:
        if record in first_seen:
            assert (classified_at, converted_at, erased_at) == tuple(first_seen[record][1:])


def test_contact_events_retire_and_erase_records(factory: Factory) -> None:
    lifecycle = {
        record: (status, reason)
        for record, status, reason in factory.query(
            "select record_id, lifecycle_status, retirement_reason from marts.dim_lead_lifecycle"
        )
    }
    events: dict[str, set[str]] = defaultdict(set)
    for row in factory.truth_rows("contact_events.csv"):
        for record in filter(None, row["record_ids"].split(";")):
            events[record].add(row["event_type"])
    assert any("erasure_request" in kinds for kinds in events.values())
    # An erasure request erases every record of its person, whichever address each used.
    erased_people = {
        row["person_id"]
        for row in factory.truth_rows("contact_events.csv")
        if row["event_type"] == "erasure_request"
    }
    person_of = {row["record_id"]: row["person_id"] for row in factory.truth_rows("records.csv")}
    erased = {record for record in lifecycle if person_of.get(record) in erased_people}
    assert erased and all(lifecycle[record][0] == "erased" for record in erased)
    for record, kinds in events.items():
        if record not in lifecycle:
            continue  # a CRM contact's address
        status, reason = lifecycle[record]
        if "erasure_request" in kinds or record in erased:
            assert status == "erased", record
            (personal,) = factory.query(
                "select first_name, last_name, email, phone_e164 from marts.dim_leads "
                f"where record_id = '{record}'"
            )
            assert personal == (None, None, None, None)
            (golden,) = factory.query(
                "select persons.first_name, persons.email, persons.phone_e164 "
                "from marts.dim_persons as persons "
                "inner join intermediate.int_persons_clustered as clustered using (person_id) "
                f"where clustered.record_id = '{record}'"
            )
            assert golden == (None, None, None)
        elif "hard_bounce" in kinds:
            assert (status, reason) == ("retired", "hard_bounce"), record
        else:
            assert status == "retired" and reason in {"hard_bounce", "unsubscribe"}, record


def test_the_status_history_follows_the_state_machine(factory: Factory) -> None:
    transitions = factory.query(
        "select record_id, from_status, to_status from marts.fct_lead_status_transitions"
    )
    firsts = [record for record, before, _ in transitions if before is None]
    assert len(firsts) == len(set(firsts)) == len(factory.runs[-1]["lifecycle"])
    allowed = set(factory.query("select from_status, to_status from reference.lifecycle_transitions"))
    moves = [(before, after) for _, before, after in transitions if before is not None and before != after]
    assert moves and set(moves) <= allowed
    # The fixes moved records out of remediation.
    assert any(before == "needs_remediation" for before, _ in moves)


def test_the_leaky_bucket_ranks_the_doors(factory: Factory) -> None:
    (records,) = factory.query("select count(*) from marts.dim_leads")[0]
    doors = factory.query(
        "select door, records, blocking_failure_rate, failure_rate_rank from marts.rpt_leaky_bucket "
        "where door_type = 'lead_source' order by failure_rate_rank"
    )
    assert sum(row[1] for row in doors) == records
    assert doors[0][3] == 1 and doors[0][2] == max(row[2] for row in doors)


def test_the_summary_shows_statuses_queue_and_resolved_problems(factory: Factory) -> None:
    text = "\n".join(summary_lines(factory.db))
    for expected in (
        "standard  ready",
        "lifecycle converted",
        "Top failing rules",
        "marketing_ops",
        "fixed_by_steward",
    ):
        assert expected in text


def test_an_impossible_transition_fails_the_build(factory: Factory, tmp_path: Path) -> None:
    """The state machine test is not decorative: a history where an erased record comes back fails it."""
    db = tmp_path / "copy.duckdb"
    shutil.copyfile(factory.db, db)
    con = duckdb.connect(str(db))
    (record,) = con.execute("select record_id from snapshots.snp_lead_statuses limit 1").fetchone()
    con.execute(
        """
        insert into snapshots.snp_lead_statuses (record_id, lifecycle_status, mvl_status, dbt_scd_id,
            dbt_valid_from, dbt_valid_to, dbt_updated_at)
        select record_id, status, 'ready', record_id || status, valid_from, valid_to, valid_from
        from (values (?, 'erased', '2000-01-01'::timestamp, '2000-01-02'::timestamp),
                     (?, 'ready', '2000-01-02'::timestamp, '2000-01-03'::timestamp))
            as fake (record_id, status, valid_from, valid_to)
        """,
        [record, record],
    )
    con.close()
    with pytest.raises(PipelineError):
        run_dbt(
            ["build", "-s", "fct_lead_status_transitions+", "--exclude", "resource_type:unit_test"],
            db,
            target="test",
            target_path=tmp_path / "target",
        )


EXTRA_RULE = (
    "{mvl_extra_rules: [{name: has_job_title, description: A job title is given., severity: warning, "
    "remedy: steward, owner_team: sales_ops, sla_days: 10, remediation_hint: Ask for the title., "
    "condition: job_title is not null}], mvl_rule_overrides: {valid_phone: {enabled: false}}}"
)


def test_a_deployment_adds_and_drops_rules_without_editing_sql(factory: Factory, tmp_path: Path) -> None:
    """A rule added by --vars brings its flag, its queue items and its metrics; a rule switched off
    takes them away; the docs stay complete (the flags are documented by the declaration)."""
    db = tmp_path / "copy.duckdb"
    shutil.copyfile(factory.db, db)
    target = tmp_path / "target"
    run_dbt(["build", "--vars", EXTRA_RULE, "--exclude", "resource_type:unit_test"], db, "test", target)
    con = duckdb.connect(str(db), read_only=True)
    try:
        columns = {row[0] for row in con.execute("describe intermediate.int_leads_classified").fetchall()}
        assert "passes_has_job_title" in columns and "passes_valid_phone" not in columns
        failing = {
            r
            for (r,) in con.execute(
                "select classified.record_id from intermediate.int_leads_classified as classified "
                "inner join marts.dim_lead_lifecycle using (record_id) "
                "where classified.job_title is null and lifecycle_status not in ('retired', 'erased')"
            ).fetchall()
        }
        queued = {
            r
            for (r,) in con.execute(
                "select record_id from marts.fct_remediation_queue where rule_name = 'has_job_title'"
            ).fetchall()
        }
        assert failing and queued == failing
        assert con.execute(
            "select count(*) from marts.fct_remediation_queue where rule_name = 'valid_phone'"
        ).fetchall() == [(0,)]
        metrics = dict(
            con.execute(
                "select rule_name, sum(records_failing) from marts.rpt_mvl_rule_failures group by all"
            ).fetchall()
        )
        assert metrics["has_job_title"] > 0 and "valid_phone" not in metrics
        # The open cases of the rule switched off are closed as withdrawn.
        closed = con.execute(
            "select case_status, resolution, count(*) from marts.fct_remediation_cases "
            "where rule_name = 'valid_phone' and resolved_at = (select max(resolved_at) "
            "from marts.fct_remediation_cases) group by all"
        ).fetchall()
        assert [(status, how) for status, how, _ in closed] == [("resolved", "rule_withdrawn")]
    finally:
        con.close()


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ("{mvl_rule_overrides: {usable_email: {severity: fatal}}}", "has severity 'fatal'"),
        ("{mvl_rule_overrides: {no_such_rule: {enabled: false}}}", "names no declared rule: no_such_rule"),
        ("{mvl_extra_rules: [{name: Bad Name, description: x}]}", "has no severity"),
    ],
)
def test_a_malformed_declaration_stops_the_build_with_a_clear_message(
    factory: Factory, tmp_path: Path, variables: str, message: str
) -> None:
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "dbt"),
            "compile",
            "-s",
            "int_leads_classified",
            "--vars",
            variables,
            "--target",
            "test",
            "--target-path",
            str(tmp_path / "target"),
        ],
        cwd=PROJECT_DIR,
        env={**os.environ, "LEAD_FACTORY_TEST_DB": str(factory.db), "DBT_PROFILES_DIR": str(PROJECT_DIR)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert message in result.stdout, result.stdout[-2000:]


def test_fixed_records_are_matched_again_like_a_full_rematch(factory: Factory) -> None:
    """The second run re-scored the pairs of the records the stewards fixed (and of the new batch);
    the full refresh of the third run re-matches everything and finds the same people."""
    assert set(factory.runs[1]["pairs"]) == set(factory.runs[2]["pairs"])
    assert dict(factory.runs[1]["persons"]) == dict(factory.runs[2]["persons"])


def test_the_second_batch_is_scored_against_the_first_like_a_full_rematch(factory: Factory) -> None:
    """The second run scored only pairs with a record of the new batch or one a steward fixed
    (against everything before), moved the first run's pairs onto the prior of all the records,
    and found what the full refresh of the third run finds."""
    assert factory.second_batch
    fixed = {row["record_id"] for row in factory.truth_rows("steward_fixes.csv")}
    touched = factory.second_batch | fixed | set(factory.decisions["merge"]) | set(factory.decisions["split"])
    latest = factory.runs[1]["latest_pairs"]
    assert latest and all(left in touched or right in touched for left, right in latest)
    assert any(left in factory.second_batch or right in factory.second_batch for left, right in latest)
    assert len(factory.runs[1]["priors"]) == 1 and factory.runs[1]["priors"] == factory.runs[2]["priors"]


def test_reviewer_decisions_merge_and_split_people_and_keep_the_history(factory: Factory) -> None:
    """A same-person decision merges two people (the older id survives, the other is kept as a
    tombstone pointing at it); a different-person decision splits a person."""
    first = dict(factory.runs[0]["persons"])
    after = dict(factory.runs[1]["persons"])
    older, newer = factory.decisions["merge"]
    stays, leaves = factory.decisions["split"]
    assert after[older] == after[newer] and after[stays] != after[leaves]
    changes = set(
        factory.query("select old_person_id, new_person_id, change_type from marts.fct_person_id_changes")
    )
    arrived = dict(
        factory.query("select record_id, arrived_at from intermediate.int_person_records_prepared")
    )
    survivor, merged_away = sorted(
        (first[older], first[newer]), key=lambda p: (arrived[p.removeprefix("person:")], p)
    )
    assert (merged_away, survivor, "merged") in changes
    assert (first[stays], after[leaves], "split") in changes
    ids = {
        row[0]: row[1:]
        for row in factory.query(
            "select person_id, person_id_status, current_person_id, split_from_person_id "
            "from marts.dim_person_ids"
        )
    }
    assert ids[merged_away] == ("merged", survivor, None)  # the tombstone resolves to the survivor
    assert ids[after[leaves]] == ("active", after[leaves], first[stays])
    assert ids[first[stays]][:2] == ("active", first[stays])
