"""Benchmark: the factory's time and peak memory per step, and its matching accuracy against the
planted truth, at several sizes of generated data.

Each step runs as its own process (the same commands a user runs), timed by the wall clock and
measured by the kernel's peak resident set size for that process, so the figures are what a user
sees. Figures are printed, never asserted: machines are shared and noisy.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from lead_factory import config
from lead_factory.matching import evaluation, project, public_benchmarks, training
from lead_factory.pipeline import TARGET_PATH_ENV
from lead_factory.project import PROJECT_DIR

LEAD_FACTORY = str(Path(sys.executable).parent / "lead-factory")
"""The command every step runs, as a user runs it."""


@dataclass(frozen=True)
class StepResult:
    size: int
    step: str
    seconds: float
    peak_mib: float
    ok: bool


def measure(command: list[str], env: dict[str, str], log: Path) -> tuple[float, float, bool]:
    """Run a command to completion; its wall time in seconds, peak RSS in MiB and success."""
    started = time.perf_counter()
    with log.open("ab") as out:
        process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - started, usage.ru_maxrss / 1024, process.returncode == 0


def run_size(size: int, seed: int, work: Path) -> list[StepResult]:
    """Generate, land and build one size in a fresh folder and warehouse."""
    demo, db, log = work / f"demo-{size}", work / f"warehouse-{size}.duckdb", work / f"benchmark-{size}.log"
    serving = work / f"serving-{size}.duckdb"
    env = {**os.environ, config.DB_ENV: str(db), TARGET_PATH_ENV: str(work / f"target-{size}")}
    enrich = [LEAD_FACTORY, "enrich", "--db", str(db), "--providers", "offline_directory"]
    build = [LEAD_FACTORY, "build", "--db", str(db)]
    steps = [
        (
            "generate",
            [LEAD_FACTORY, "generate", "--out", str(demo), "--size", str(size), "--seed", str(seed)],
        ),
        ("land", [LEAD_FACTORY, "land", "--landing-dir", str(demo / "landing"), "--db", str(db)]),
        ("dbt build", build),
        # Enrichment from the offline directory (the requests come from the build), then the
        # build again with the answers: what a daily run costs once the cache is warm is the
        # second enrichment, all from the cache.
        ("enrich", enrich),
        ("rebuild", build),
        ("re-enrich", enrich),
        # The serving copy readers open (the marts), written beside and renamed over the old one.
        ("publish", [LEAD_FACTORY, "publish", "--db", str(db), "--serving-db", str(serving)]),
        # The matching stage again on its own, re-matching everything (scoring, clustering, accounts).
        ("matching", [LEAD_FACTORY, "dbt", "--db", str(db), "run", "--full-refresh", "-s", *MATCHING_MODELS]),
    ]
    results = []
    for name, command in steps:
        seconds, peak, ok = measure(command, env, log)
        results.append(StepResult(size, name, seconds, peak, ok))
        flag = "" if ok else "  FAILED"
        print(f"{size:>9}  {name:<10} {seconds:>8.1f} {peak:>9.0f}{flag}", flush=True)
        if not ok:
            print(f"  {name} failed at size {size}: see {log}", file=sys.stderr)
            return results
    print(f"{size:>9}  serving copy {serving.stat().st_size / 2**20:,.0f} MiB")
    for line in accuracy_lines(db, demo / "truth"):
        print(f"{size:>9}  {line}")
    return results


MATCHING_MODELS = (
    "int_person_pairs_scored",
    "int_persons_clustered",
    "int_account_match_evidence",
    "int_account_match_candidates",
    "int_leads_matched_to_accounts",
)


def accuracy_lines(db: Path, truth_dir: Path) -> list[str]:
    """Matching accuracy of a built warehouse against the demo's planted truth."""
    records = training.read_records(db)
    truth_rows = training.read_truth_rows(truth_dir)
    persons = {r: row["person_id"] for r, row in truth_rows.items()}
    con = duckdb.connect(str(db), read_only=True)
    try:
        predicted = dict(
            con.execute("select record_id, person_id from intermediate.int_persons_clustered").fetchall()
        )
        accounts = con.execute(
            "select record_id, account_id from intermediate.int_leads_matched_to_accounts"
        ).fetchall()
    finally:
        con.close()
    pairwise = evaluation.pairwise_scores(predicted, persons)
    clusters = evaluation.cluster_scores(predicted, persons)
    account_accuracy = sum(a == (truth_rows[r]["account_id"] or None) for r, a in accounts) / len(accounts)
    recall, counts = evaluation.blocking_report(records, persons, project.person_blocking_rules())
    return [
        f"pairs     precision {pairwise.precision:.4f}  recall {pairwise.recall:.4f}  F1 {pairwise.f1:.4f}",
        f"clusters  precision {clusters.precision:.4f}  recall {clusters.recall:.4f}  F1 {clusters.f1:.4f}",
        f"lead-to-account accuracy {account_accuracy:.4f} over {len(accounts):,} leads",
        f"blocking recall {recall:.4f}; {sum(n for _, n in counts):,} candidate pairs"
        f" over {records.num_rows:,} records",
    ]


def public_factory_run(
    folder: Path,
) -> Callable[[public_benchmarks.Dataset, dict[str, str]], list[public_benchmarks.Result]]:
    """The factory's side of the public benchmarks: each dataset landed as upload lists and built
    with the model in use, then the model re-trained on that warehouse (`lead-factory train`) and
    the matching rebuilt with it."""

    def factory(
        dataset: public_benchmarks.Dataset, truth_by_rec: dict[str, str]
    ) -> list[public_benchmarks.Result]:
        work = folder / dataset.name
        shutil.rmtree(work, ignore_errors=True)  # a fresh warehouse, whatever ran here before
        db, log, model = work / "warehouse.duckdb", work / "benchmark.log", work / "person_model.json"
        truth = public_benchmarks.write_landing(dataset, work / "landing")
        env = {**os.environ, config.DB_ENV: str(db), TARGET_PATH_ENV: str(work / "target")}
        build = [
            LEAD_FACTORY,
            "dbt",
            "--db",
            str(db),
            "build",
            "--exclude-resource-type",
            "unit_test",
            "test",
        ]
        steps = [
            ("land", [LEAD_FACTORY, "land", "--landing-dir", str(work / "landing"), "--db", str(db)]),
            ("model in use", [*build, "-s", "+int_persons_clustered"]),
            ("train", [LEAD_FACTORY, "train", "--db", str(db), "--out", str(model)]),
            (
                "trained on it",
                [
                    *build,
                    "--full-refresh",
                    "-s",
                    "int_person_pairs_scored",
                    "int_persons_clustered",
                    "--vars",
                    json.dumps({"person_model_path": str(model)}),
                ],
            ),
        ]
        results: list[public_benchmarks.Result] = []
        seconds = 0.0
        for name, command in steps:
            took, _, ok = measure(command, env, log)
            seconds += took
            if not ok:
                print(f"  {dataset.name}: {name} failed: see {log}", file=sys.stderr)
                return results
            if name in ("model in use", "trained on it"):
                results.append(
                    public_benchmarks.score(dataset.name, f"factory ({name})", *_matched(db, truth), seconds)
                )
                seconds = 0.0
        return results

    return factory


def _matched(db: Path, truth: dict[str, str]) -> tuple[dict[str, str], dict[str, str], float]:
    """The factory's persons, the truth of the records it built, and its blocking recall."""
    records = training.read_records(db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        predicted = dict(
            con.execute("select record_id, person_id from intermediate.int_persons_clustered").fetchall()
        )
    finally:
        con.close()
    built = {record: person for record, person in truth.items() if record in predicted}
    recall, _ = evaluation.blocking_report(records, built, project.person_blocking_rules())
    return predicted, built, recall


def run_public(names: tuple[str, ...], work: Path | None = None) -> list[public_benchmarks.Result]:
    """The public benchmarks (FEBRL3, FEBRL4): bare Splink and the factory, side by side."""
    with tempfile.TemporaryDirectory(prefix="lead-factory-public-") as scratch:
        folder = work or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        return public_benchmarks.run(names, public_factory_run(folder))


def run(sizes: list[int], seed: int, work: Path | None = None) -> list[StepResult]:
    """Benchmark every size; prints a table as it goes and returns the results."""
    with tempfile.TemporaryDirectory(prefix="lead-factory-bench-") as scratch:
        folder = work or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        print(f"{'leads':>9}  {'step':<10} {'seconds':>8} {'peak MiB':>9}")
        results: list[StepResult] = []
        for size in sizes:
            results.extend(run_size(size, seed, folder))
        return results
