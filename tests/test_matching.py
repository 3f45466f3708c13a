"""Person matching (lead_factory.matching) with the committed trained model and the project's blocking rules.

Matching cases are pairs of hand-written person records scored among deterministic background people, so
that term frequencies and the size-scaled prior behave as they do in a real warehouse; the assertions are
on the pairs of interest only. Records carry the keys of int_person_records_prepared, already normalised
(lower-case ASCII names, E.164 phones, company names without legal suffixes).
"""

from __future__ import annotations

import copy
import csv
import json
import math
import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest

from lead_factory.matching import evaluation, people, project
from lead_factory.matching.clusters import cluster_records
from lead_factory.normalize import name_sound

Record = dict[str, Any]

SCHEMA = pa.schema(
    [
        ("record_id", pa.string()),
        ("arrived_at", pa.timestamp("us", tz="UTC")),
        *[
            (column, pa.list_(pa.string()) if column == "first_name_variants" else pa.string())
            for column in people.MATCH_COLUMNS
        ],
    ]
)
START = datetime(2024, 1, 1, tzinfo=UTC)
BACKGROUND_SIZE = 200


def record(record_id: str, hour: int | None, **keys: str | None) -> Record:
    """One person record arriving ``hour`` hours after START; keys not given are missing (None)."""
    unknown = set(keys) - set(people.MATCH_COLUMNS)
    assert not unknown, f"not match columns: {unknown}"
    arrived_at = None if hour is None else START + timedelta(hours=hour)
    return {"record_id": record_id, "arrived_at": arrived_at, **dict.fromkeys(people.MATCH_COLUMNS), **keys}


def work_person(
    record_id: str, hour: int, first: str, last: str, email: str, company: str, **keys: str | None
) -> Record:
    """A record with a work email: the company domain is the email's domain."""
    local, domain = email.split("@")
    work_keys: dict[str, str | None] = {
        "first_name_key": first,
        "last_name_key": last,
        "email_key": email,
        "email_local_part_key": local,
        "company_name_key": company,
        "company_domain_key": domain,
    }
    return record(record_id, hour, **{**work_keys, **keys})


def _nicknames() -> dict[str, list[str]]:
    """The seed nickname_equivalents (generated from the nicknames package): name → canonical names."""
    found: dict[str, list[str]] = {}
    seed = Path(project.PROJECT_DIR) / "seeds" / "reference" / "nickname_equivalents.csv"
    with seed.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            found.setdefault(row["name"], []).append(row["canonical_name"])
    return found


NICKNAMES = _nicknames()


def list_person(record_id: str, hour: int, first: str | None, last: str | None, **keys: str | None) -> Record:
    """A record with the name keys int_person_records_prepared derives from the names (initial,
    prefixes, sound, both names in either order, nickname equivalents) and nothing else but ``keys``:
    a lead from an event list, without email or company."""
    name_keys: dict[str, Any] = {
        "first_name_key": first,
        "last_name_key": last,
        "first_initial_key": first[:1] if first else None,
        "first_name_prefix_key": first[:3] if first and len(first) >= 3 else None,
        "last_name_prefix_key": last[:3] if last and len(last) >= 3 else None,
        "first_name_variants": sorted({first, *NICKNAMES.get(first, [])}) if first else None,
        "first_name_sound_key": name_sound(first),
        "last_name_sound_key": name_sound(last),
        "name_set_key": " ".join(sorted((first, last))) if first and last else None,
    }
    street = keys.get("street_key")
    if street and "street_number_key" not in keys:
        number = re.search(r"[0-9]+", street)
        keys = {**keys, "street_number_key": number.group(0) if number else None}
    return record(record_id, hour, **{**name_keys, **keys})


def table(records: list[Record]) -> pa.Table:
    return pa.Table.from_pylist(records, schema=SCHEMA)


# Common names, so that background people share names as in real data (and shift term frequencies).
# fmt: off
FIRST_NAMES = (
    "james", "mary", "john", "patricia", "robert", "jennifer", "michael", "linda", "david", "elizabeth",
    "william", "barbara", "richard", "susan", "joseph", "jessica", "thomas", "sarah", "charles",
    "karen", "daniel", "nancy", "matthew", "lisa", "anthony", "betty", "mark", "sandra", "paul",
    "ashley",
)
LAST_NAMES = (
    "smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis", "rodriguez",
    "martinez", "hernandez", "lopez", "gonzalez", "wilson", "anderson", "taylor", "moore", "jackson",
    "martin", "lee", "thompson", "white", "harris", "clark", "lewis", "robinson", "walker", "young",
    "allen", "king",
)
# fmt: on
COMPANIES = ("acme", "globex", "initech", "umbrella", "hooli", "vandelay", "stark", "wayne", "tyrell", "dyne")
FREE_MAIL = ("gmail.com", "yahoo.com", "outlook.com")
COUNTRIES = ("US", "GB", "DE", "FR", "NL")


def background_people(size: int = BACKGROUND_SIZE, seed: int = 0) -> list[Record]:
    """``size`` distinct people (one record each, unique emails and phones), arriving after the cases."""
    rng = random.Random(seed)
    people_records = []
    for i in range(size):
        first, last, company = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES), rng.choice(COMPANIES)
        if rng.random() < 0.3:
            local, domain, company_domain = f"{first}{last}{i}", rng.choice(FREE_MAIL), None
        else:
            local, domain = f"{first}.{last}{i}", f"{company}.com"
            company_domain = domain
        people_records.append(
            record(
                f"form:bg{i:03d}",
                1000 + i,
                first_name_key=first,
                last_name_key=last,
                email_key=f"{local}@{domain}",
                email_local_part_key=local,
                phone_key=f"+1646{i:07d}" if rng.random() < 0.7 else None,
                company_name_key=company,
                company_domain_key=company_domain,
                country_key=rng.choice(COUNTRIES),
            )
        )
    return people_records


@dataclass(frozen=True)
class Case:
    """Two records, ``a`` arriving before ``b``."""

    a: Record
    b: Record


# Each case uses names, emails, phones and companies of its own, so cases cannot link to each other.
MUST_MATCH = {
    "typo_in_last_name_same_work_email": Case(
        work_person(
            "form:typo-a",
            1,
            "katherine",
            "hollingsworth",
            "k.hollingsworth@brightlane.com",
            "brightlane",
            phone_key="+442079460001",
            country_key="GB",
        ),
        work_person(
            "upload:typo-b",
            2,
            "katherine",
            "hollingswoth",
            "k.hollingsworth@brightlane.com",
            "brightlane",
            country_key="GB",
        ),
    ),
    "work_email_vs_personal_email_same_name_phone_company": Case(
        work_person(
            "form:personal-a",
            3,
            "priya",
            "raman",
            "priya.raman@quantive.de",
            "quantive",
            phone_key="+4930123450",
            country_key="DE",
        ),
        # A free-mail address gives no company domain; the company name was typed in the form.
        record(
            "form:personal-b",
            4,
            first_name_key="priya",
            last_name_key="raman",
            email_key="priyaraman87@gmail.com",
            email_local_part_key="priyaraman87",
            phone_key="+4930123450",
            company_name_key="quantive",
            country_key="DE",
        ),
    ),
    # "José Núñez" and "JOSE NUNEZ" both fold to the same keys; one record has no phone.
    "folded_name_missing_phone": Case(
        work_person(
            "crm_lead:folded-a",
            5,
            "jose",
            "nunez",
            "jose.nunez@mercadia.es",
            "mercadia",
            phone_key="+34911234567",
            country_key="ES",
        ),
        work_person(
            "form:folded-b", 6, "jose", "nunez", "jose.nunez@mercadia.es", "mercadia", country_key="ES"
        ),
    ),
    # The form lead gives a nickname and nothing but the email (whose domain is the company's).
    "crm_contact_and_form_lead_same_email": Case(
        work_person(
            "crm_contact:fischer",
            7,
            "robert",
            "fischer",
            "rob.fischer@novapoint.io",
            "novapoint",
            phone_key="+4989123456",
            country_key="DE",
        ),
        record(
            "form:fischer",
            8,
            first_name_key="rob",
            last_name_key="fischer",
            email_key="rob.fischer@novapoint.io",
            email_local_part_key="rob.fischer",
            company_domain_key="novapoint.io",
        ),
    ),
    # Leads from event lists and phone-only sources: no email, no company.
    "nickname_and_phone_digits_no_email": Case(
        list_person(
            "upload:turner-a", 21, "william", "thackeray", phone_digits_key="612345678", city_key="leeds"
        ),
        list_person(
            "upload:turner-b", 22, "bill", "thackeray", phone_digits_key="612345678", city_key="leeds"
        ),
    ),
    "initial_against_full_first_name_same_address": Case(
        list_person(
            "crm_lead:okonjo-a",
            23,
            "dylan",
            "okonjo",
            street_key="14 harrow lane",
            postal_code_key="n1 7aa",
            city_key="london",
        ),
        list_person(
            "upload:okonjo-b",
            24,
            "d",
            "okonjo",
            street_key="14 harrow lane",
            postal_code_key="n1 7aa",
            city_key="london",
        ),
    ),
    "swapped_names_same_address": Case(
        list_person(
            "upload:zhou-a",
            25,
            "zhou",
            "weiming",
            street_key="88 lotus road",
            postal_code_key="200031",
            city_key="shanghai",
        ),
        list_person(
            "upload:zhou-b",
            26,
            "weiming",
            "zhou",
            street_key="88 lotus rd",
            postal_code_key="200031",
            city_key="shanghai",
        ),
    ),
    "typo_in_surname_same_address_no_email": Case(
        list_person(
            "upload:fitz-a",
            27,
            "margarethe",
            "fitzgerald",
            street_key="3 quay street",
            postal_code_key="h91 x2c",
            city_key="galway",
        ),
        list_person(
            "upload:fitz-b",
            28,
            "margarethe",
            "fitzgerlad",
            street_key="3 quay street",
            postal_code_key="h91 x2c",
            city_key="galway",
        ),
    ),
}

MUST_NOT_MATCH = {
    "siblings_or_colleagues_sharing_last_name_and_domain": Case(
        work_person(
            "form:emma-winter",
            11,
            "emma",
            "winter",
            "emma.winter@silktek.io",
            "silktek",
            phone_key="+14155550101",
            country_key="US",
        ),
        work_person(
            "form:danny-winter",
            12,
            "danny",
            "winter",
            "danny.winter@silktek.io",
            "silktek",
            phone_key="+14155550102",
            country_key="US",
        ),
    ),
    "namesakes_at_different_companies": Case(
        work_person(
            "form:grant-harbourline",
            13,
            "oliver",
            "grant",
            "oliver.grant@harbourline.com",
            "harbourline",
            phone_key="+14155550201",
            country_key="US",
        ),
        work_person(
            "crm_contact:grant-peakfield",
            14,
            "oliver",
            "grant",
            "ogrant@peakfield.com",
            "peakfield",
            phone_key="+14155550202",
            country_key="US",
        ),
    ),
    "family_members_sharing_a_phone": Case(
        record(
            "form:mark-okafor",
            15,
            first_name_key="mark",
            last_name_key="okafor",
            email_key="mark.okafor@gmail.com",
            email_local_part_key="mark.okafor",
            phone_key="+442079460777",
            country_key="GB",
        ),
        record(
            "form:susan-okafor",
            16,
            first_name_key="susan",
            last_name_key="okafor",
            email_key="susan.okafor@yahoo.com",
            email_local_part_key="susan.okafor",
            phone_key="+442079460777",
            country_key="GB",
        ),
    ),
    "colleagues_with_same_first_name": Case(
        work_person(
            "form:laura-chen",
            17,
            "laura",
            "chen",
            "laura.chen@orbitly.com",
            "orbitly",
            phone_key="+14155550301",
            country_key="US",
        ),
        work_person(
            "form:laura-berg",
            18,
            "laura",
            "berg",
            "laura.berg@orbitly.com",
            "orbitly",
            phone_key="+14155550302",
            country_key="US",
        ),
    ),
}


MUST_NOT_MATCH.update(
    {
        # A common name and an initial in one city say too little.
        "initial_and_common_surname_only": Case(
            list_person("upload:j-smith", 33, "j", "smith", city_key="chicago"),
            list_person("upload:john-smith", 34, "john", "smith", city_key="chicago"),
        ),
        # Namesakes with nothing else in common.
        "namesakes_in_different_cities_no_other_field": Case(
            list_person("upload:miller-boston", 35, "thomas", "miller", city_key="boston"),
            list_person("upload:miller-denver", 36, "thomas", "miller", city_key="denver"),
        ),
    }
)


def case_records() -> list[Record]:
    return [r for case in (*MUST_MATCH.values(), *MUST_NOT_MATCH.values()) for r in (case.a, case.b)]


def person_ids(clusters: pa.Table) -> dict[str, str]:
    return dict(
        zip(clusters.column("record_id").to_pylist(), clusters.column("person_id").to_pylist(), strict=True)
    )


@dataclass(frozen=True)
class Scored:
    records: pa.Table
    pairs: pa.Table
    clusters: pa.Table

    def person_of(self) -> dict[str, str]:
        return person_ids(self.clusters)

    def describe(self, case: Case) -> str:
        """The pair's match probability and per-comparison weights, for failure messages."""
        ids = {case.a["record_id"], case.b["record_id"]}
        for pair in self.pairs.to_pylist():
            if {pair["record_id_l"], pair["record_id_r"]} == ids:
                weights = {k: round(v, 2) for k, v in pair.items() if k.startswith("mw_")}
                return f"pair match_probability={pair['match_probability']:.6f} weights={weights}"
        return "not a candidate pair (no blocking rule generates it)"


def score_and_cluster(records: list[Record], model: dict[str, Any]) -> Scored:
    """Score every candidate pair (threshold 0 keeps them all for messages) and cluster like the build."""
    data = table(records)
    pairs = people.score_pairs(data, model, project.person_blocking_rules(), threshold=0.0)
    return Scored(data, pairs, cluster_records(data, pairs, project.person_match_threshold()))


@pytest.fixture(scope="module")
def model() -> dict[str, Any]:
    return people.load_model(project.person_model_path())


@pytest.fixture(scope="module")
def scored(model: dict[str, Any]) -> Scored:
    return score_and_cluster(case_records() + background_people(), model)


# ---------------------------------------------------------------------------------------------------------
# The committed model on hand-written cases
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", MUST_MATCH.values(), ids=MUST_MATCH.keys())
def test_same_person_is_one_cluster(scored: Scored, case: Case) -> None:
    person_of = scored.person_of()
    assert person_of[case.a["record_id"]] == person_of[case.b["record_id"]], scored.describe(case)
    # The earlier record names the person.
    assert person_of[case.b["record_id"]] == "person:" + case.a["record_id"]


@pytest.mark.parametrize("case", MUST_NOT_MATCH.values(), ids=MUST_NOT_MATCH.keys())
def test_different_people_are_not_merged(scored: Scored, case: Case) -> None:
    person_of = scored.person_of()
    assert person_of[case.a["record_id"]] != person_of[case.b["record_id"]], scored.describe(case)


def test_scores_use_the_prior_scaled_to_the_table_size(scored: Scored, model: dict[str, Any]) -> None:
    """match_weight = log2 prior odds (scaled by prior_for) + the sum of the comparisons' weights."""
    prior = people.prior_for(model, scored.records.num_rows)
    assert prior > float(model["probability_two_random_records_match"])  # fewer records than training
    prior_weight = math.log2(prior / (1 - prior))
    weight_columns = [c for c in scored.pairs.column_names if c.startswith("mw_")]
    assert {f"mw_{c['output_column_name']}" for c in model["comparisons"]} <= set(weight_columns)
    for pair in scored.pairs.to_pylist()[:20]:
        evidence = sum(pair[c] for c in weight_columns)
        assert pair["match_weight"] == pytest.approx(prior_weight + evidence, abs=1e-6)
        assert pair["prior_match_weight"] == pytest.approx(prior_weight)


def test_stored_pairs_move_onto_a_new_prior(scored: Scored, model: dict[str, Any]) -> None:
    """Re-applying the prior for ten times the records keeps each pair's evidence, lowers its weight
    by the change of prior, and drops the pairs that fall below the threshold."""
    con = duckdb.connect()
    con.register("scored", scored.pairs)
    con.execute("create table pairs as select * from scored")
    before = {(r["record_id_l"], r["record_id_r"]): r for r in scored.pairs.to_pylist()}
    old_weight = people.prior_weight(model, scored.records.num_rows)
    new_weight = people.prior_weight(model, scored.records.num_rows * 10)
    for statement in people.reapply_prior_sql("pairs", new_weight, 0.5):
        con.execute(statement)
    after = con.execute(
        "select record_id_l, record_id_r, match_weight, match_probability, prior_match_weight from pairs"
    ).fetchall()
    con.close()
    expected = {key for key, row in before.items() if row["match_weight"] - old_weight + new_weight >= 0}
    assert {(left, right) for left, right, *_ in after} == expected
    assert len(expected) < len(before)  # some weak pairs fall below 0.5
    for left, right, weight, probability, prior in after:
        assert weight == pytest.approx(before[(left, right)]["match_weight"] - old_weight + new_weight)
        assert probability == pytest.approx(1 / (1 + 2**-weight))
        assert prior == pytest.approx(new_weight)


# ---------------------------------------------------------------------------------------------------------
# Stable person ids
# ---------------------------------------------------------------------------------------------------------


def pairs_table(*pairs: tuple[str, str, float]) -> pa.Table:
    left, right, probability = zip(*pairs, strict=True) if pairs else ((), (), ())
    return pa.table(
        {
            "record_id_l": pa.array(left, pa.string()),
            "record_id_r": pa.array(right, pa.string()),
            "match_probability": pa.array(probability, pa.float64()),
        }
    )


def arrivals(**hours: int | None) -> pa.Table:
    return table([record(record_id, hour) for record_id, hour in hours.items()])


def test_person_id_is_the_earliest_arrived_record() -> None:
    records = arrivals(a=None, b=5, c=2, d=9, e=3, f=3)
    pairs = pairs_table(("a", "b", 0.999), ("b", "c", 0.995), ("c", "d", 0.999), ("f", "e", 0.999))
    clusters = cluster_records(records, pairs, threshold=0.99)
    assert person_ids(clusters) == {
        "a": "person:c",  # no arrival time: sorts after every real time, whatever its id
        "b": "person:c",
        "c": "person:c",
        "d": "person:c",
        "e": "person:e",  # same arrival: the smaller record id
        "f": "person:e",
    }
    assert clusters.column("person_record_count").to_pylist() == [4, 4, 4, 4, 2, 2]


def test_pairs_below_the_threshold_do_not_join() -> None:
    clusters = cluster_records(arrivals(a=1, b=2), pairs_table(("a", "b", 0.98)), threshold=0.99)
    assert person_ids(clusters) == {"a": "person:a", "b": "person:b"}


def test_clustering_is_deterministic(scored: Scored) -> None:
    again = cluster_records(scored.records, scored.pairs, project.person_match_threshold())
    assert again.equals(scored.clusters)
    # The order pairs arrive in does not matter either.
    reversed_pairs = scored.pairs.take(list(range(scored.pairs.num_rows - 1, -1, -1)))
    assert cluster_records(scored.records, reversed_pairs, project.person_match_threshold()).equals(
        scored.clusters
    )


def test_later_record_joining_a_person_keeps_its_id(scored: Scored, model: dict[str, Any]) -> None:
    case = MUST_MATCH["typo_in_last_name_same_work_email"]
    later = work_person(
        "form:typo-c", 5000, "kate", "hollingsworth", "k.hollingsworth@brightlane.com", "brightlane"
    )
    rescored = score_and_cluster([*case_records(), *background_people(), later], model)
    before, after = scored.person_of(), rescored.person_of()
    assert after["form:typo-c"] == before[case.a["record_id"]] == "person:" + case.a["record_id"]
    assert {rid: after[rid] for rid in before} == before  # nobody else's id moved


def test_record_linking_two_people_keeps_the_older_id() -> None:
    # "z-old" arrived first, so its id survives although "a-new" sorts first by record id.
    records = arrivals(**{"z-old": 1, "z-old-2": 4, "a-new": 2, "a-new-2": 3})
    pairs = [("z-old", "z-old-2", 0.999), ("a-new", "a-new-2", 0.999)]
    before = person_ids(cluster_records(records, pairs_table(*pairs), threshold=0.99))
    assert before == {
        "z-old": "person:z-old",
        "z-old-2": "person:z-old",
        "a-new": "person:a-new",
        "a-new-2": "person:a-new",
    }
    bridged = pa.concat_tables([records, arrivals(bridge=10)])
    bridge_pairs = [*pairs, ("bridge", "a-new-2", 0.999), ("z-old-2", "bridge", 0.999)]
    after = person_ids(cluster_records(bridged, pairs_table(*bridge_pairs), threshold=0.99))
    assert set(after.values()) == {"person:z-old"}


def test_reviewer_links_join_records_whatever_their_score() -> None:
    records = arrivals(x=1, y=2, z=3)
    pairs = pairs_table(("x", "y", 0.01))
    assert person_ids(cluster_records(records, pairs, threshold=0.99, links=[("z", "y")])) == {
        "x": "person:x",
        "y": "person:y",
        "z": "person:y",
    }
    # A link naming a record that is not in the batch is ignored.
    linked = cluster_records(records, pairs, threshold=0.99, links=[("y", "x"), ("x", "gone")])
    assert person_ids(linked) == {"x": "person:x", "y": "person:x", "z": "person:z"}


def test_reviewer_apart_decisions_keep_people_apart() -> None:
    """A chain a-b-c where a and c were decided to be different people: b joins its stronger link."""
    records = arrivals(a=1, b=2, c=3)
    pairs = pairs_table(("a", "b", 0.995), ("b", "c", 0.999))
    assert person_ids(cluster_records(records, pairs, threshold=0.99)) == {
        "a": "person:a",
        "b": "person:a",
        "c": "person:a",
    }
    apart = person_ids(cluster_records(records, pairs, threshold=0.99, apart=[("c", "a")]))
    assert apart == {"a": "person:a", "b": "person:b", "c": "person:b"}
    # A pair decided both ways is kept apart.
    both = cluster_records(records, pairs_table(), threshold=0.99, links=[("a", "c")], apart=[("a", "c")])
    assert person_ids(both) == {"a": "person:a", "b": "person:b", "c": "person:c"}


def test_explanations_give_every_field_in_words_and_add_up(scored: Scored, model: dict[str, Any]) -> None:
    explained = people.explanation_rows(scored.pairs, model).to_pylist()
    comparisons = set(people.EXPLAINED_COLUMNS)
    by_pair: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in explained:
        by_pair.setdefault((row["record_id_l"], row["record_id_r"]), []).append(row)
    assert len(by_pair) == scored.pairs.num_rows
    prior = people.prior_for(model, scored.records.num_rows)
    prior_weight = math.log2(prior / (1 - prior))
    for pair in scored.pairs.to_pylist():
        rows = by_pair[(pair["record_id_l"], pair["record_id_r"])]
        assert {r["comparison"] for r in rows} == comparisons
        assert all(r["outcome"] for r in rows)
        assert sum(r["match_weight"] for r in rows) + prior_weight == pytest.approx(
            pair["match_weight"], abs=1e-6
        )
    case = MUST_MATCH["typo_in_last_name_same_work_email"]
    ids = tuple(sorted((case.a["record_id"], case.b["record_id"])))
    outcomes = {r["comparison"]: r["outcome"] for r in by_pair[ids]}
    assert outcomes["email"] == "Exact match on email_key"
    assert outcomes["last_name_key"].startswith("Jaro-Winkler")


# ---------------------------------------------------------------------------------------------------------
# The prior and m-probability smoothing
# ---------------------------------------------------------------------------------------------------------


def prior_model(prior: float, trained_on: int | None) -> dict[str, Any]:
    model: dict[str, Any] = {"probability_two_random_records_match": prior}
    if trained_on is not None:
        model[people.TRAINING_METADATA] = {"trained_on_records": trained_on}
    return model


@pytest.mark.parametrize(
    ("prior", "trained_on", "record_count", "expected"),
    [
        (0.01, 101, 1001, 0.001),  # ten times the records: a tenth of the prior
        (0.001, 1001, 101, 0.01),  # fewer records: a larger prior
        (0.01, 500, 500, 0.01),
        (0.5, 1001, 11, 1.0),  # capped at 1
        (0.01, None, 1_000_000, 0.01),  # no training metadata: taken as trained on this size
        (0.01, 101, 1, 1.0),  # one record: no pairs, the divisor stays 1
    ],
)
def test_prior_for_scales_with_record_count(
    prior: float, trained_on: int | None, record_count: int, expected: float
) -> None:
    assert people.prior_for(prior_model(prior, trained_on), record_count) == pytest.approx(expected)


def test_prior_for_the_committed_model_at_its_training_size(model: dict[str, Any]) -> None:
    trained_on = model[people.TRAINING_METADATA]["trained_on_records"]
    assert people.prior_for(model, trained_on) == pytest.approx(model["probability_two_random_records_match"])
    assert people.prior_for(model, 1_000_000) < people.prior_for(model, trained_on)


def test_smooth_m_probabilities_raises_tiny_values_to_the_floor() -> None:
    null_level = {"sql_condition": "x is null", "is_null_level": True}
    model = {
        "comparisons": [
            {
                "output_column_name": "phone",
                "comparison_levels": [null_level, {"m_probability": 0.9999}, {"m_probability": 1e-9}],
            },
            {
                "output_column_name": "email",
                "comparison_levels": [
                    {"m_probability": 0.6},
                    {"m_probability": 0.4},
                    {"m_probability": None},
                ],
            },
        ]
    }
    smoothed = people.smooth_m_probabilities(copy.deepcopy(model), floor=0.005)
    phone, email = (
        [level.get("m_probability") for level in c["comparison_levels"]] for c in smoothed["comparisons"]
    )
    assert phone == [None, pytest.approx(0.9999 / 1.0049), pytest.approx(0.005 / 1.0049)]
    assert email == [pytest.approx(0.6 / 1.005), pytest.approx(0.4 / 1.005), pytest.approx(0.005 / 1.005)]
    for levels in (phone, email):
        assert sum(m for m in levels if m is not None) == pytest.approx(1.0)
    assert smoothed["comparisons"][0]["comparison_levels"][0] == null_level  # null levels untouched


def test_committed_model_is_smoothed(model: dict[str, Any]) -> None:
    for comparison in model["comparisons"]:
        ms = [
            level["m_probability"]
            for level in comparison["comparison_levels"]
            if not level.get("is_null_level")
        ]
        assert sum(ms) == pytest.approx(1.0), comparison["output_column_name"]
        assert min(ms) >= people.M_FLOOR / 1.1, comparison["output_column_name"]


# ---------------------------------------------------------------------------------------------------------
# Bad input fails clearly
# ---------------------------------------------------------------------------------------------------------


def test_load_model_without_a_file_says_how_to_train(tmp_path: Path) -> None:
    with pytest.raises(people.MatchingModelError, match=r"lead-factory train"):
        people.load_model(tmp_path / "person_model.json")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not a readable Splink model"),
        (json.dumps({"link_type": "dedupe_only"}), "not a Splink model"),
        (json.dumps([1, 2, 3]), "not a Splink model"),
        (json.dumps({"comparisons": [{"label": "no output column"}]}), "not a Splink model"),
    ],
    ids=["invalid_json", "no_comparisons", "a_list", "comparison_without_column"],
)
def test_load_model_rejects_what_is_not_a_splink_model(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "person_model.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(people.MatchingModelError, match=message):
        people.load_model(path)


def test_load_model_rejects_a_model_trained_on_other_columns(tmp_path: Path, model: dict[str, Any]) -> None:
    other = copy.deepcopy(model)
    other["comparisons"][0]["output_column_name"] = "given_name"
    path = tmp_path / "person_model.json"
    people.save_model(other, path)
    with pytest.raises(people.MatchingModelError, match="trained on other columns") as error:
        people.load_model(path)
    assert "given_name" in str(error.value)


def test_score_pairs_names_the_missing_column(model: dict[str, Any]) -> None:
    records = table(case_records()).drop_columns(["phone_key"])
    with pytest.raises(people.MatchingModelError, match="phone_key"):
        people.score_pairs(records, model, project.person_blocking_rules())


@pytest.mark.parametrize("rule", [["nickname_key"], ["email_key", "Email_Key"], []])
def test_blocking_rule_on_unknown_columns_raises(rule: list[str]) -> None:
    with pytest.raises(people.MatchingModelError, match="unknown columns"):
        people.blocking_rule_sql(rule)


def test_blocking_rule_sql_and_the_project_rules() -> None:
    assert people.blocking_rule_sql(["email_key", "phone_key"]) == (
        'l."email_key" = r."email_key" and l."phone_key" = r."phone_key"'
    )
    for rule in project.person_blocking_rules():
        people.blocking_rule_sql(rule)  # every declared rule names known columns


# ---------------------------------------------------------------------------------------------------------
# Evaluation against known answers
# ---------------------------------------------------------------------------------------------------------

TRUTH = {"a": "P1", "b": "P1", "c": "P2", "d": "P3"}


def test_perfect_clustering_scores_one_whatever_the_labels() -> None:
    predicted = {"a": "person:a", "b": "person:a", "c": "person:c", "d": "person:d"}
    for scores in (evaluation.pairwise_scores(predicted, TRUTH), evaluation.cluster_scores(predicted, TRUTH)):
        assert (scores.precision, scores.recall, scores.f1) == (1.0, 1.0, 1.0)


def test_one_wrong_merge() -> None:
    predicted = {"a": "x", "b": "x", "c": "x", "d": "y"}  # c wrongly joined to a and b
    pairwise = evaluation.pairwise_scores(predicted, TRUTH)
    assert pairwise.precision == pytest.approx(1 / 3)  # of ab, ac, bc only ab is right
    assert pairwise.recall == 1.0
    assert pairwise.f1 == pytest.approx(0.5)
    clusters = evaluation.cluster_scores(predicted, TRUTH)
    assert clusters.precision == pytest.approx(1 / 2)  # {d} right, {a, b, c} wrong
    assert clusters.recall == pytest.approx(1 / 3)  # of {a, b}, {c}, {d} only {d} found


def test_one_missed_match() -> None:
    truth = {"a": "P1", "b": "P1", "c": "P1"}
    predicted = {"a": "x", "b": "x", "c": "y"}
    pairwise = evaluation.pairwise_scores(predicted, truth)
    assert (pairwise.precision, pairwise.recall) == (1.0, pytest.approx(1 / 3))
    clusters = evaluation.cluster_scores(predicted, truth)
    assert (clusters.precision, clusters.recall, clusters.f1) == (0.0, 0.0, 0.0)


def test_blocking_report_recall_and_pair_counts() -> None:
    records = table(
        [
            record(
                "a", 1, email_key="ann@x.com", phone_key="+111", first_name_key="ann", last_name_key="lee"
            ),
            record("b", 2, email_key="ann@x.com", first_name_key="ann", last_name_key="lee"),
            record("c", 3, email_key="bo@y.com", phone_key="+222", first_name_key="bo", last_name_key="ray"),
            record(
                "d", 4, email_key="bo.ray@z.com", phone_key="+333", first_name_key="bob", last_name_key="ray"
            ),
            record("e", 5, email_key="cy@w.com", phone_key="+111", first_name_key="ann", last_name_key="lee"),
        ]
    )
    truth = {"a": "P1", "b": "P1", "c": "P2", "d": "P2", "e": "P3"}
    rules = [["email_key"], ["phone_key"], ["first_name_key", "last_name_key"]]
    recall, counts = evaluation.blocking_report(records, truth, rules)
    assert recall == pytest.approx(1 / 2)  # a-b found by email; c-d share no blocked column
    assert counts == [("email_key", 1), ("phone_key", 1), ("first_name_key & last_name_key", 3)]
