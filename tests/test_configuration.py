"""Mistakes in configuration are caught before anything is built, all at once, each naming the var
and the rule; a misspelt var is warned about; logs written to a pipe carry no colour codes; the
command and a bare dbt share one partial-parsing state."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from support import LEAD_FACTORY, DemoWarehouse

from lead_factory.project import PROJECT_DIR

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("demo")]

EXTRA_RULE = (
    "{{mvl_extra_rules: [{{name: has_title, description: A job title is given., severity: warning, "
    "remedy: steward, owner_team: sales_ops, sla_days: 10, remediation_hint: Ask for it., "
    "condition: {condition}}}]}}"
)


def build(db: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`lead-factory build` of the rules' table alone (a piped run, as from a scheduler)."""
    env = {**os.environ, "DBT_TARGET_PATH": str(tmp_path / "target")}
    command = [
        LEAD_FACTORY,
        "build",
        "--db",
        str(db),
        "-s",
        "dim_mvl_rules",
        "--exclude",
        "resource_type:unit_test",
    ]
    return subprocess.run([*command, *args], env=env, capture_output=True, text=True, check=False)


@pytest.fixture
def warehouse(demo_warehouse: DemoWarehouse, tmp_path: Path) -> Path:
    """A copy of the session's demo warehouse, so a build that succeeds changes nothing shared."""
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(demo_warehouse.db, copy)
    return copy


def problems_in(output: str) -> list[str]:
    """The listed problems of the configuration message."""
    return [line.strip()[2:] for line in output.splitlines() if line.strip().startswith("- ")]


@pytest.mark.parametrize(
    ("variables", "problems"),
    [
        (
            "{mvl_rule_overrides: {valid_phone: {sla_days: ten}}}",
            ["mvl_rule_overrides: rule valid_phone has sla_days 'ten'; expected a whole number (0 or more)"],
        ),
        (
            "{mvl_extra_rules: [{name: has_title, description: x, condition: job_title is not null}]}",
            [
                "mvl_extra_rules: rule has_title has no severity",
                "mvl_extra_rules: rule has_title has no remedy",
                "mvl_extra_rules: rule has_title has no owner_team",
                "mvl_extra_rules: rule has_title has no sla_days",
                "mvl_extra_rules: rule has_title has no remediation_hint",
            ],
        ),
        (
            EXTRA_RULE.format(condition="job_titel is not null"),
            [
                "mvl_extra_rules: rule has_title has a condition naming job_titel, which "
                "int_leads_classified does not have (its columns are listed in the docs site)"
            ],
        ),
        (
            EXTRA_RULE.format(condition="job_title is not not null"),
            [
                "mvl_extra_rules: rule has_title has a condition that is not valid SQL "
                '(syntax error at or near "not"): job_title is not not null'
            ],
        ),
        (
            "{lifecycle_as_of: '2027-02-30'}",
            [
                "lifecycle_as_of is '2027-02-30'; expected a date written YYYY-MM-DD (e.g. 2027-01-31), "
                "or empty for the build's own time"
            ],
        ),
        (
            "{person_match_threshold: 2, enrichment_ttl_days: -1, steward_fixable_fields: [email, e_mail], "
            "enrichment_precedence: {country: [steward, crm_acount], city: [crm_account]}}",
            [
                "person_match_threshold is '2'; expected a number from 0 to 1",
                "enrichment_ttl_days is '-1'; expected a whole number of days, 0 or more",
                "steward_fixable_fields: 'e_mail' is not a field of a lead record",
                "enrichment_precedence: country names source 'crm_acount', which is none of steward, record, "
                "crm_account, offline_directory, http_api",
                "enrichment_precedence: city names source 'crm_account', which is none of steward, record, "
                "offline_directory, http_api",
            ],
        ),
        (
            "{review_sample_size: 0, review_sample_near_share: 1.5, review_sample_weight_band: -1, "
            "review_sample_seed: one}",
            [
                "review_sample_near_share is '1.5'; expected a number from 0 to 1",
                "review_sample_size is '0'; expected a whole number, 1 or more",
                "review_sample_seed is 'one'; expected a whole number, 0 or more",
                "review_sample_weight_band is '-1'; expected a number above 0 (match weight units)",
            ],
        ),
        (
            "{scorecard_metric_overrides: {share_ready: {target: high, direction: up}, "
            "share_redy: {target: 1}}}",
            [
                "scorecard_metric_overrides: metric share_ready has target 'high'; expected a number",
                "scorecard_metric_overrides: metric share_ready has direction 'up'; "
                "expected one of higher, lower",
                "scorecard_metric_overrides names no declared metric: share_redy",
            ],
        ),
        (
            "{scorecard_extra_metrics: [{name: share_redy, unit: share, owner_team: data_ops, "
            "direction: higher, target: 0.5}]}",
            [
                "scorecard_extra_metrics: metric share_redy is not a metric of the semantic layer "
                "(models/marts/semantic/_semantic__metrics.yml)"
            ],
        ),
    ],
    ids=[
        "sla-days-text",
        "rule-missing-attributes",
        "condition-unknown-column",
        "condition-syntax",
        "bad-date",
        "several-vars",
        "review-sample",
        "scorecard-target",
        "scorecard-unknown-metric",
    ],
)
def test_a_configuration_mistake_stops_the_build_naming_every_problem(
    warehouse: Path, tmp_path: Path, variables: str, problems: list[str]
) -> None:
    result = build(warehouse, tmp_path, "--vars", variables)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"Lead Factory configuration: {len(problems)} problem" in output, output[-3000:]
    listed = problems_in(output)
    for problem in problems:
        assert any(line.startswith(problem) for line in listed), (problem, listed)
    assert "Binder Error" not in output and "\x1b[" not in output


def test_a_misspelt_var_is_warned_about_and_the_build_goes_on(warehouse: Path, tmp_path: Path) -> None:
    result = build(warehouse, tmp_path, "--vars", "{mvl_rule_override: {valid_phone: {enabled: false}}}")
    assert result.returncode == 0, result.stdout[-3000:]
    assert (
        "var mvl_rule_override is not a var of this project and is ignored; did you mean mvl_rule_overrides?"
        in result.stdout
    )
    quiet = build(warehouse, tmp_path, "--vars", "{dbt_date:time_zone: Europe/Berlin}")
    assert quiet.returncode == 0 and "is not a var of this project" not in quiet.stdout


def test_building_before_anything_is_landed_says_land_files_first(tmp_path: Path) -> None:
    result = build(tmp_path / "empty.duckdb", tmp_path)
    assert result.returncode != 0
    assert "nothing has been landed into this warehouse yet" in result.stdout
    assert "`lead-factory land`" in result.stdout and "`lead-factory demo`" in result.stdout
    assert "\x1b[" not in result.stdout + result.stderr


def test_the_list_of_declared_vars_matches_the_project() -> None:
    declared = list(yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))["vars"])
    macro = (PROJECT_DIR / "macros/configuration/configuration_vars.sql").read_text(encoding="utf-8")
    listed = [name.strip().strip("'") for name in macro.split("return([")[1].split("])")[0].split(",")]
    assert [name for name in listed if name] == declared


def test_the_command_and_a_bare_dbt_share_partial_parsing(tmp_path: Path) -> None:
    """After the first parse, neither a bare dbt after the command nor the command after a bare
    dbt parses the project again from scratch."""
    env = {key: value for key, value in os.environ.items() if key != "LEAD_FACTORY_DB"}
    env["DBT_TARGET_PATH"] = str(tmp_path / "target")
    dbt = str(Path(sys.executable).parent / "dbt")
    outputs = []
    for command in ([LEAD_FACTORY, "dbt", "parse"], [dbt, "parse"], [LEAD_FACTORY, "dbt", "parse"]):
        result = subprocess.run(
            command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stdout[-2000:]
        outputs.append(result.stdout)
    assert all("Unable to do partial parsing" not in output for output in outputs[1:]), outputs
