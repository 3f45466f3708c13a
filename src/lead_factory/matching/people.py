"""Person matching with Splink: which person records (inbound leads and CRM contacts) are one person.

The comparisons are declared here, once. Training (``train``) runs outside the build and writes the
model as Splink's JSON; the build only loads that JSON (``load_model``), scores candidate pairs
(``score_pairs``) and groups them into people (``clusters``).

Input records have the columns of ``int_person_records_prepared``: ``record_id`` and the
``*_key`` columns in ``MATCH_COLUMNS``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

UNIQUE_ID = "record_id"
MATCH_COLUMNS: tuple[str, ...] = (
    "first_name_key",
    "last_name_key",
    "email_key",
    "email_local_part_key",
    "phone_key",
    "company_name_key",
    "company_domain_key",
    "country_key",
    "city_key",
)

# Training estimates m probabilities by expectation maximisation within these blocks; each block
# leaves the comparisons it does not fix to be estimated.
TRAINING_BLOCKS: tuple[tuple[str, ...], ...] = (
    ("email_key",),
    ("first_name_key", "last_name_key"),
    ("phone_key",),
)


class MatchingModelError(Exception):
    """The trained model cannot be used: missing, unreadable, or trained on other columns."""


def comparisons() -> list[Any]:
    """How two person records are compared, field by field (each becomes gamma_/mw_ columns)."""
    return [
        cl.NameComparison("first_name_key").configure(term_frequency_adjustments=True),
        cl.NameComparison("last_name_key").configure(term_frequency_adjustments=True),
        # An email counts only when equal. Similar addresses (j.smith@a vs j.smith@b, jsmith@a vs
        # dsmith@a) are built from the names, which are compared already: counting them again made
        # namesakes at different companies one person at a million records.
        cl.CustomComparison(
            output_column_name="email",
            comparison_levels=[cll.NullLevel("email_key"), cll.ExactMatchLevel("email_key"), cll.ElseLevel()],
        ),
        cl.ExactMatch("phone_key"),
        # Company name and domain say the same thing; one comparison keeps them from counting twice.
        cl.CustomComparison(
            output_column_name="company",
            comparison_levels=[
                cll.And(cll.NullLevel("company_domain_key"), cll.NullLevel("company_name_key")),
                cll.ExactMatchLevel("company_domain_key"),
                cll.ExactMatchLevel("company_name_key"),
                cll.JaroWinklerLevel("company_name_key", 0.9),
                cll.ElseLevel(),
            ],
        ),
        cl.ExactMatch("country_key"),
        cl.ExactMatch("city_key").configure(term_frequency_adjustments=True),
    ]


def blocking_rule_sql(columns: Sequence[str]) -> str:
    """The SQL of a blocking rule on equal columns: ``l.a = r.a and l.b = r.b``."""
    unknown = [c for c in columns if c not in MATCH_COLUMNS]
    if not columns or unknown:
        raise MatchingModelError(f"blocking rule {list(columns)} names unknown columns {unknown}")
    return " and ".join(f'l."{c}" = r."{c}"' for c in columns)


def settings(blocking_rules: Sequence[Sequence[str]] = ()) -> SettingsCreator:
    """Splink settings for these comparisons; blocking rules are the dbt var person_blocking_rules."""
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name=UNIQUE_ID,
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=[block_on(*rule) for rule in blocking_rules],
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=True,
    )


def _linker(records: pa.Table, model: SettingsCreator | dict[str, Any], extra: Sequence[str] = ()) -> Linker:
    db_api = DuckDBAPI(":memory:")
    frame = db_api.register(
        records.select([UNIQUE_ID, *MATCH_COLUMNS, *extra]), dataset_display_name="person_records"
    )
    return Linker(frame, model, log_level="WARNING")


def train(records: pa.Table, blocking_rules: Sequence[Sequence[str]]) -> dict[str, Any]:
    """Estimate the model's parameters on ``records``; returns Splink's model dictionary."""
    linker = _linker(records, settings(blocking_rules))
    linker.training.estimate_probability_two_random_records_match(
        [block_on("email_key"), block_on("phone_key")], recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    for block in TRAINING_BLOCKS:
        linker.training.estimate_parameters_using_expectation_maximisation(block_on(*block))
    model = smooth_m_probabilities(linker.misc.save_model_to_json())
    model[TRAINING_METADATA] = {"trained_on_records": records.num_rows}
    return model


M_FLOOR = 0.005
"""Smallest m probability a comparison level keeps after training (see smooth_m_probabilities)."""


def smooth_m_probabilities(model: dict[str, Any], floor: float = M_FLOOR) -> dict[str, Any]:
    """Raise every level's m probability to at least ``floor`` and renormalise.

    Training data can show an outcome never happening to one person (two phone numbers, say),
    which gives its level a weight near minus infinity: one differing field would then veto every
    other piece of evidence. Real people do have a second phone; a floor keeps such a level strong
    but finite.
    """
    for comparison in model["comparisons"]:
        levels = [level for level in comparison["comparison_levels"] if not level.get("is_null_level")]
        raised = [max(float(level.get("m_probability") or 0.0), floor) for level in levels]
        total = sum(raised)
        for level, m in zip(levels, raised, strict=True):
            level["m_probability"] = m / total
    return model


TRAINING_METADATA = "lead_factory_training"
"""Key of what the factory records about training in the model JSON (not a Splink setting)."""


def prior_for(model: dict[str, Any], record_count: int) -> float:
    """The probability that two random records match, for ``record_count`` records.

    Each person has about as many records at any size, so the number of matching pairs grows with
    the records while the number of all pairs grows with their square: the prior learned on N
    records is scaled by (N - 1) / (record_count - 1). Without this, a model trained on a small
    warehouse over-merges a large one.
    """
    prior = float(model["probability_two_random_records_match"])
    trained_on = int(model.get(TRAINING_METADATA, {}).get("trained_on_records", record_count))
    return min(prior * max(trained_on - 1, 1) / max(record_count - 1, 1), 1.0)


def prior_weight(model: dict[str, Any], record_count: int) -> float:
    """The prior as a match weight (log2 odds): what every pair's match_weight starts from."""
    prior = prior_for(model, record_count)
    return math.log2(prior / (1 - prior))


def reapply_prior_sql(table: str, weight: float, threshold: float) -> list[str]:
    """Statements that move the pairs stored in ``table`` onto the prior weight ``weight``.

    A pair's match_weight is its prior weight plus the comparisons' weights, and the prior falls as
    records arrive. Pairs scored by earlier incremental runs carry the prior of their run; these
    statements swap it for the current one, and drop the pairs that fall below ``threshold``, so the
    stored pairs score as a full re-match would (term frequencies excepted).
    """
    shifted = f"(match_weight - prior_match_weight + {weight!r})"
    return [
        f"delete from {table} where 1 / (1 + pow(2, -{shifted})) < {threshold!r}",
        f"""
        update {table}
        set match_weight = {shifted},
            match_probability = 1 / (1 + pow(2, -{shifted})),
            prior_match_weight = {weight!r}
        where prior_match_weight != {weight!r}
        """,
    ]


def save_model(model: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(model, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def load_model(path: Path) -> dict[str, Any]:
    """The trained model at ``path``, checked against the columns this code compares."""
    if not path.is_file():
        raise MatchingModelError(f"no trained person-matching model at {path}: run `lead-factory train`")
    try:
        model = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise MatchingModelError(f"{path} is not a readable Splink model: {error}") from error
    expected = _comparison_columns(settings().get_settings("duckdb").as_dict())
    found = _comparison_columns(model)
    if found != expected:
        raise MatchingModelError(
            f"{path} was trained on other columns ({sorted(found)}) than the matching compares "
            f"({sorted(expected)}): re-train with `lead-factory train`"
        )
    return model


def _comparison_columns(model: dict[str, Any]) -> set[str]:
    try:
        return {c["output_column_name"] for c in model["comparisons"]}
    except (KeyError, TypeError) as error:
        raise MatchingModelError(f"not a Splink model: it has no comparisons ({error})") from error


def score_pairs(
    records: pa.Table,
    model: dict[str, Any],
    blocking_rules: Sequence[Sequence[str]],
    threshold: float = 0.5,
    new_record_ids: set[str] | None = None,
) -> pa.Table:
    """Candidate pairs scored by the model: one row per pair at or above ``threshold``, with the
    match weight and probability, the prior's part of the weight (prior_match_weight) and, per
    comparison, its level (gamma_*) and weight (mw_*).

    With ``new_record_ids`` (an incremental batch), only pairs with at least one new record are
    compared: the new records against each other and against all the others. Name frequencies and
    the prior still come from all ``records``, so each pair scores as in a full run of the same
    records, and the cost grows with the batch rather than with the history.
    """
    missing = [c for c in (UNIQUE_ID, *MATCH_COLUMNS) if c not in records.column_names]
    if missing:
        raise MatchingModelError(f"the person records lack the columns {missing}")
    only_new = ""
    extra: list[str] = []
    if new_record_ids is not None:
        is_new = [rid in new_record_ids for rid in records.column(UNIQUE_ID).to_pylist()]
        records = records.append_column("is_new_record", pa.array(is_new, pa.bool_()))
        only_new, extra = ' and (l."is_new_record" or r."is_new_record")', ["is_new_record"]
    splink_settings = {k: v for k, v in model.items() if k != TRAINING_METADATA}
    configured = {
        **splink_settings,
        "probability_two_random_records_match": prior_for(model, records.num_rows),
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": blocking_rule_sql(rule) + only_new} for rule in blocking_rules
        ],
        "retain_intermediate_calculation_columns": True,
        "retain_matching_columns": True,
    }
    linker = _linker(records, configured, extra)
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    pairs = predictions.as_duckdbpyrelation().to_arrow_table()
    weight = prior_weight(model, records.num_rows)
    return pairs.append_column("prior_match_weight", pa.array([weight] * pairs.num_rows, pa.float64()))


# The input columns shown beside each comparison's outcome in the explanations.
EXPLAINED_COLUMNS: dict[str, tuple[str, ...]] = {
    "first_name_key": ("first_name_key",),
    "last_name_key": ("last_name_key",),
    "email": ("email_key",),
    "phone_key": ("phone_key",),
    "company": ("company_name_key", "company_domain_key"),
    "country_key": ("country_key",),
    "city_key": ("city_key",),
}


def level_labels(model: dict[str, Any]) -> pa.Table:
    """(comparison, gamma, outcome) for every level: Splink numbers a comparison's levels from
    the else level (0) up, and -1 is the level where a value is missing."""
    rows: dict[str, list[Any]] = {"comparison": [], "gamma": [], "outcome": []}
    for comparison in model["comparisons"]:
        levels = comparison["comparison_levels"]
        scored = [level for level in levels if not level.get("is_null_level")]
        for level in levels:
            gamma = -1 if level.get("is_null_level") else len(scored) - 1 - scored.index(level)
            rows["comparison"].append(comparison["output_column_name"])
            rows["gamma"].append(gamma)
            rows["outcome"].append(level.get("label_for_charts") or level["sql_condition"])
    return pa.table(rows)


def explanation_rows(pairs: pa.Table, model: dict[str, Any]) -> pa.Table:
    """One row per pair and comparison: the two values compared, the outcome and its weight."""
    unknown = sorted(set(_comparison_columns(model)) - set(EXPLAINED_COLUMNS))
    if unknown:
        raise MatchingModelError(f"no explanation columns declared for comparisons {unknown}")
    selects = []
    for comparison, columns in EXPLAINED_COLUMNS.items():
        left = ", ".join(f'"{c}_l"' for c in columns)
        right = ", ".join(f'"{c}_r"' for c in columns)
        tf = (
            f' + coalesce("mw_tf_adj_{comparison}", 0)'
            if f"mw_tf_adj_{comparison}" in pairs.column_names
            else ""
        )
        selects.append(
            f"""
            select record_id_l, record_id_r, match_probability, '{comparison}' as comparison,
                concat_ws(' / ', {left}) as value_l, concat_ws(' / ', {right}) as value_r,
                "gamma_{comparison}" as gamma, "mw_{comparison}"{tf} as match_weight
            from pairs
            """
        )
    con = duckdb.connect()
    try:
        con.register("pairs", pairs)
        con.register("labels", level_labels(model))
        return con.sql(
            f"""
            select explained.record_id_l, explained.record_id_r, explained.match_probability,
                explained.comparison, explained.value_l, explained.value_r, explained.gamma,
                labels.outcome, explained.match_weight
            from ({" union all ".join(selects)}) as explained
            left join labels using (comparison, gamma)
            order by explained.record_id_l, explained.record_id_r, explained.comparison
            """
        ).to_arrow_table()
    finally:
        con.close()
