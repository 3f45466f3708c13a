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
from splink.internals.exceptions import EMTrainingException

from lead_factory.matching import drift

UNIQUE_ID = "record_id"
MATCH_COLUMNS: tuple[str, ...] = (
    "first_name_key",
    "last_name_key",
    "first_initial_key",
    "first_name_prefix_key",
    "last_name_prefix_key",
    "first_name_variants",
    "first_name_sound_key",
    "last_name_sound_key",
    "name_set_key",
    "email_key",
    "email_local_part_key",
    "phone_key",
    "phone_digits_key",
    "company_name_key",
    "company_domain_key",
    "country_key",
    "city_key",
    "street_key",
    "street_number_key",
    "postal_code_key",
)

# Training estimates m probabilities by expectation maximisation within these blocks; each block
# leaves the comparisons it does not fix to be estimated, and together they leave every one.
TRAINING_BLOCKS: tuple[tuple[str, ...], ...] = (
    ("email_key",),
    ("name_set_key",),
    ("phone_digits_key",),
    ("street_number_key", "postal_code_key"),
)


class MatchingModelError(Exception):
    """The trained model cannot be used: missing, unreadable, or trained on other columns."""


def _initial_of(a: str, b: str) -> str:
    """SQL: the first name on side ``a`` is an initial of side ``b``'s ("d" against "dylan")."""
    return f'(length("first_name_key_{a}") = 1 and "first_name_key_{a}" = left("first_name_key_{b}", 1))'


SWAPPED_SIMILARITY = 0.92
"""Jaro-Winkler similarity from which a name counts as the other record's other name (swapped,
perhaps with a typo: "sean shepherd" against "shepherd sea")."""


def _swapped(column: str, other: str) -> str:
    """SQL: ``column`` on the left is (nearly) ``other`` on the right: the names were swapped."""
    return f'jaro_winkler_similarity("{column}_l", "{other}_r") >= {SWAPPED_SIMILARITY}'


def comparisons() -> list[Any]:
    """How two person records are compared, field by field (each becomes gamma_/mw_ columns)."""
    return [
        # A first name: the same; equivalent (a nickname or translation of one another, seed
        # nickname_equivalents); a typo away; an initial of the other; or swapped with the surname.
        cl.CustomComparison(
            output_column_name="first_name_key",
            comparison_levels=[
                cll.NullLevel("first_name_key"),
                cll.ExactMatchLevel("first_name_key", term_frequency_adjustments=True),
                cll.ArrayIntersectLevel("first_name_variants", min_intersection=1),
                cll.JaroWinklerLevel("first_name_key", 0.92),
                cll.JaroWinklerLevel("first_name_key", 0.8),
                cll.CustomLevel(
                    f"{_initial_of('l', 'r')} or {_initial_of('r', 'l')}", "an initial of the other"
                ),
                cll.CustomLevel(
                    _swapped("first_name_key", "last_name_key"), "the other's last name (swapped)"
                ),
                cll.ElseLevel(),
            ],
        ),
        cl.CustomComparison(
            output_column_name="last_name_key",
            comparison_levels=[
                cll.NullLevel("last_name_key"),
                cll.ExactMatchLevel("last_name_key", term_frequency_adjustments=True),
                cll.JaroWinklerLevel("last_name_key", 0.92),
                cll.ExactMatchLevel("last_name_sound_key"),
                cll.JaroWinklerLevel("last_name_key", 0.8),
                cll.CustomLevel(
                    _swapped("last_name_key", "first_name_key"), "the other's first name (swapped)"
                ),
                cll.ElseLevel(),
            ],
        ),
        # An email counts only when equal. Similar addresses (j.smith@a vs j.smith@b, jsmith@a vs
        # dsmith@a) are built from the names, which are compared already: counting them again made
        # namesakes at different companies one person at a million records.
        cl.CustomComparison(
            output_column_name="email",
            comparison_levels=[cll.NullLevel("email_key"), cll.ExactMatchLevel("email_key"), cll.ElseLevel()],
        ),
        # A phone: the same valid number, or the same last nine digits as written (a number
        # libphonenumber rejects, or one written without its country code).
        cl.CustomComparison(
            output_column_name="phone_key",
            comparison_levels=[
                cll.NullLevel("phone_digits_key"),
                cll.ExactMatchLevel("phone_key"),
                cll.ExactMatchLevel("phone_digits_key"),
                cll.ElseLevel(),
            ],
        ),
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
        cl.CustomComparison(
            output_column_name="city_key",
            comparison_levels=[
                cll.NullLevel("city_key"),
                cll.ExactMatchLevel("city_key", term_frequency_adjustments=True),
                cll.JaroWinklerLevel("city_key", 0.9),
                cll.ElseLevel(),
            ],
        ),
        # A street address with its postal code, when a record has one (lists, CRM records).
        cl.CustomComparison(
            output_column_name="address",
            comparison_levels=[
                cll.And(cll.NullLevel("street_key"), cll.NullLevel("postal_code_key")),
                cll.And(cll.ExactMatchLevel("street_key"), cll.ExactMatchLevel("postal_code_key")),
                cll.And(cll.JaroWinklerLevel("street_key", 0.88), cll.ExactMatchLevel("postal_code_key")),
                cll.And(cll.ExactMatchLevel("street_number_key"), cll.ExactMatchLevel("postal_code_key")),
                cll.ExactMatchLevel("street_key"),
                cll.JaroWinklerLevel("street_key", 0.88),
                cll.ExactMatchLevel("postal_code_key"),
                cll.ElseLevel(),
            ],
        ),
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


PRIOR_RULES: tuple[tuple[str, ...], ...] = (
    ("email_key",),
    ("phone_digits_key",),
    ("name_set_key",),
    ("street_number_key", "postal_code_key", "first_initial_key"),
)
"""Pairs that are nearly always one person: their count, over the share of true pairs they are
thought to find (PRIOR_RULES_RECALL), estimates how likely two random records are one person."""
PRIOR_RULES_RECALL = 0.8

MIN_LABELLED_PAIRS = 100
"""Labelled pairs (of records one person) from which m is counted on them rather than only
estimated: fewer leave most comparison levels unseen."""

U_SAMPLE_PAIRS = 5_000_000
"""Random pairs u is estimated from: an agreement never seen among them is rarer than one in this."""


def train(
    records: pa.Table,
    blocking_rules: Sequence[Sequence[str]],
    notes: list[str] | None = None,
    fallback: dict[str, Any] | None = None,
    labelled_pairs: Sequence[tuple[str, str]] = (),
) -> dict[str, Any]:
    """Estimate the model's parameters on ``records``; returns Splink's model dictionary.

    The prior from pairs that share an email, a phone or both names; u (how often each level
    happens by chance) from random pairs; m (how often it happens to one person) by expectation
    maximisation within each of TRAINING_BLOCKS, which between them leave every comparison free to
    be estimated. A block with no pairs in these records is skipped, and ``notes`` says so. A field
    these records never have (no email on an event list) cannot be learned: its comparison keeps
    what ``fallback`` (the model in use) learned, else it counts for nothing.

    ``labelled_pairs`` (pairs of record ids known to be one person: gold labels, reviewers'
    same-person decisions) supervise m: with at least MIN_LABELLED_PAIRS of them among these
    records, m is counted on them after expectation maximisation, replacing its estimate wherever
    the labelled pairs show a comparison.
    """
    notes = notes if notes is not None else []
    linker = _linker(records, settings(blocking_rules))
    linker.training.estimate_probability_two_random_records_match(
        [block_on(*rule) for rule in PRIOR_RULES], recall=PRIOR_RULES_RECALL
    )
    prior = linker.misc.save_model_to_json()["probability_two_random_records_match"]
    linker.training.estimate_u_using_random_sampling(max_pairs=U_SAMPLE_PAIRS, seed=1)
    for block in TRAINING_BLOCKS:
        if not _any_pair_shares(records, block):
            notes.append(f"no two records share {' and '.join(block)}: that training block was skipped")
            continue
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(block_on(*block))
        except EMTrainingException as error:
            notes.append(f"training within {' and '.join(block)} was skipped: {str(error).splitlines()[0]}")
    known = {row for row in records.column(UNIQUE_ID).to_pylist()}
    labelled = [(a, b) for a, b in labelled_pairs if a in known and b in known and a != b]
    if len(labelled) >= MIN_LABELLED_PAIRS:
        linker.table_management.register_table(
            pa.table(
                {
                    "source_dataset_l": ["person_records"] * len(labelled),
                    f"{UNIQUE_ID}_l": [a for a, _ in labelled],
                    "source_dataset_r": ["person_records"] * len(labelled),
                    f"{UNIQUE_ID}_r": [b for _, b in labelled],
                }
            ),
            "labelled_pairs",
            overwrite=True,
        )
        linker.training.estimate_m_from_pairwise_labels("labelled_pairs")
        notes.append(f"m was counted on {len(labelled):,} labelled pairs (gold labels, review decisions)")
    elif labelled:
        notes.append(
            f"only {len(labelled)} labelled pairs (fewer than {MIN_LABELLED_PAIRS}): m comes from "
            "expectation maximisation alone"
        )
    # The prior is the deterministic estimate's: expectation maximisation within a block learns the
    # block's own share of matches, which says nothing about two random records.
    trained = {**linker.misc.save_model_to_json(), "probability_two_random_records_match": prior}
    model = floor_u_probabilities(smooth_m_probabilities(complete_model(trained, fallback, notes)))
    model[TRAINING_METADATA] = {
        "trained_on_records": records.num_rows,
        "profile": drift.to_json(drift.profile(records)),
    }
    return model


def complete_model(
    trained: dict[str, Any], fallback: dict[str, Any] | None, notes: list[str] | None = None
) -> dict[str, Any]:
    """Every comparison the matching declares, in its order, with what these records could teach:

    - a comparison whose fields these records never have (Splink leaves it out, or learns no u for
      any of its levels) keeps the fallback model's levels (the model in use), else counts for
      nothing (every level as likely for one person as by chance);
    - a level seen neither among the random pairs nor in training keeps the fallback's m and u,
      else counts for nothing; a level with only one of them is completed by the floors
      (smooth_m_probabilities, floor_u_probabilities).
    """
    notes = notes if notes is not None else []
    declared = settings().get_settings("duckdb").as_dict()["comparisons"]
    found = {c["output_column_name"]: c for c in trained["comparisons"]}
    kept = {c["output_column_name"]: c for c in (fallback or {}).get("comparisons", [])}
    completed = []
    for comparison in declared:
        name = comparison["output_column_name"]
        learned = found.get(name)
        if learned is None or not any(
            _scored(level).get("u_probability") for level in learned["comparison_levels"]
        ):
            if name in kept:
                completed.append(kept[name])
                notes.append(f"no record has a value for {name}: its weights are kept from the model in use")
            else:
                _neutral(comparison["comparison_levels"])
                completed.append(comparison)
                notes.append(
                    f"no record has a value for {name}: it counts for nothing until trained on data with it"
                )
            continue
        previous = {_label(level): level for level in kept.get(name, {}).get("comparison_levels", [])}
        for level in learned["comparison_levels"]:
            if level.get("is_null_level") or level.get("m_probability") or level.get("u_probability"):
                continue
            before = previous.get(_label(level))
            if before is not None and before.get("m_probability") and before.get("u_probability"):
                level["m_probability"], level["u_probability"] = (
                    before["m_probability"],
                    before["u_probability"],
                )
            else:
                level["m_probability"] = level["u_probability"] = M_FLOOR
            notes.append(f"{name}: '{_label(level)}' never happened in these records: kept as it was")
        completed.append(learned)
    return {**trained, "comparisons": completed}


def _scored(level: dict[str, Any]) -> dict[str, Any]:
    return {} if level.get("is_null_level") else level


def _label(level: dict[str, Any]) -> str:
    return str(level.get("label_for_charts") or level.get("sql_condition"))


def _neutral(levels: list[dict[str, Any]]) -> None:
    scored = [level for level in levels if not level.get("is_null_level")]
    for level in scored:
        level["m_probability"] = level["u_probability"] = 1 / len(scored)


def _any_pair_shares(records: pa.Table, columns: Sequence[str]) -> bool:
    """Whether two records have the same non-empty values in all ``columns``."""
    con = duckdb.connect()
    try:
        con.register("records", records.select(list(columns)))
        quoted = ", ".join(f'"{c}"' for c in columns)
        not_null = " and ".join(f'"{c}" is not null' for c in columns)
        found = con.execute(
            f"select count(*) from (select {quoted} from records where {not_null} "
            f"group by {quoted} having count(*) > 1)"
        ).fetchall()
        return bool(found[0][0])
    finally:
        con.close()


def floor_u_probabilities(model: dict[str, Any], floor: float = 1 / U_SAMPLE_PAIRS) -> dict[str, Any]:
    """Give every level a u probability of at least ``floor``: a level never seen among the random
    pairs (two equal phone numbers, in a million records) is rare, not impossible, and without a u
    it would have no weight at all."""
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if not level.get("is_null_level"):
                level["u_probability"] = max(float(level.get("u_probability") or 0.0), floor)
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
    "phone_key": ("phone_key", "phone_digits_key"),
    "company": ("company_name_key", "company_domain_key"),
    "country_key": ("country_key",),
    "city_key": ("city_key",),
    "address": ("street_key", "postal_code_key"),
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
