"""Kill drills: the main job killed at chosen moments, then run again, must end in the warehouse an
uninterrupted run ends in.

A drill builds a reference warehouse with ``lead-factory run`` left alone, then, in a fresh
warehouse from the same landing folder (with the same clock and erasure salt), starts the main job,
watches its output for a moment of the run (a *kill point*: a line the run prints when it reaches
a step or a model), kills it there (SIGKILL to the main process: its dbt build dies with it; or
Ctrl-C, SIGINT to the whole process group), and starts it again, possibly killing it again at a
later point, until a run finishes. Then it compares every table of both warehouses by content
(``fingerprint``) and checks that the serving copy was at every moment a complete publication.

``lead-factory chaos`` runs drills at random kill points and prints the tally; the test suite runs a
fixed sequence with a kill in every step of the main job (tests/test_kill_safety.py).
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from lead_factory.history import table_hash

LEAD_FACTORY = str(Path(sys.executable).parent / "lead-factory")


@dataclass(frozen=True)
class KillPoint:
    """A moment of the main job, recognised by a line of its output, and how to kill it there."""

    name: str
    stage: str
    marker: str
    """A regular expression matched against each line the main job prints."""
    delay: float = 0.0
    """Seconds to wait after the marker before killing."""
    interrupt: bool = False
    """Ctrl-C (SIGINT to the process group) instead of SIGKILL to the main process."""

    def matches(self, line: str) -> bool:
        return re.search(self.marker, line) is not None


KILL_POINTS: tuple[KillPoint, ...] = (
    KillPoint("landing", "land", r"^==> Land "),
    KillPoint("enrichment", "enrich", r"^==> Enrich", delay=6.0),
    KillPoint(
        "a model of the build", "build", r"START python table model intermediate\.int_persons_clustered"
    ),
    KillPoint("a data test of the build", "build", r"START test .*dim_leads", interrupt=True),
    KillPoint("the erase step", "erase", r"^==> Erase"),
    KillPoint("the build after the erasure", "erase", r"^==> dbt build again", delay=10.0),
    KillPoint("the snapshots", "snapshots", r"START snapshot snapshots\.snp_lead_statuses"),
    KillPoint("the compaction", "erase", r"^==> Compact"),
    KillPoint("the publication", "publish", r"^==> Publish"),
    KillPoint("the docs", "docs", r"^==> dbt docs generate", delay=3.0),
)
"""At least one point in every step of the main job, in the order the job reaches them."""

VOLATILE_COLUMNS: dict[str, tuple[str, ...]] = {
    "raw.factory_runs": ("attempts", "last_attempt_at", "finished_at"),
    "staging.stg_factory__runs": ("attempts", "last_attempt_at", "finished_at"),
    "marts.fct_factory_runs": (
        "attempts",
        "was_resumed",
        "last_attempt_at",
        "finished_at",
        "last_attempt_seconds",
    ),
    "raw.landing_batches": ("started_at", "finished_at"),
    "raw.enrichment_cache": ("response_id", "run_id", "elapsed_ms"),
    "staging.stg_enrichment__responses": ("response_id", "run_id"),
}
"""Columns that say when or how often something ran on the wall clock, not what the data are."""

VOLATILE_TABLES: tuple[str, ...] = (
    "raw.enrichment_runs",
    "staging.stg_enrichment__runs",
    "marts.rpt_enrichment_runs",
)
"""The enrichment step's run log: a killed run leaves a row of its own (marked interrupted)."""


def fingerprint(db_path: Path) -> dict[str, str]:
    """Every table of the warehouse by its content hash, the documented wall-clock columns aside."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        tables = [
            f"{schema}.{name}"
            for schema, name in con.execute(
                "select schema_name, table_name from duckdb_tables() order by all"
            ).fetchall()
        ]
        return {
            table: table_hash(con, table, VOLATILE_COLUMNS.get(table, ()))
            for table in tables
            if table not in VOLATILE_TABLES
        }
    finally:
        con.close()


def differences(expected: dict[str, str], found: dict[str, str]) -> list[str]:
    """The tables that differ, are missing or are extra."""
    return sorted(
        [t for t in expected if found.get(t) != expected[t]]
        + [f"{t} (extra)" for t in found if t not in expected]
    )


def serving_is_complete(serving: Path) -> bool:
    """Whether the serving copy is absent or a complete publication (its tables hold the row counts
    its publication record says)."""
    if not serving.exists():
        return True
    con = duckdb.connect(str(serving), read_only=True)
    try:
        recorded = con.execute("select schema_name, table_name, row_count from publication.tables").fetchall()
        return all(
            con.execute(f'select count(*) from "{schema}"."{table}"').fetchall()[0][0] == rows
            for schema, table, rows in recorded
        )
    except duckdb.Error:
        return False
    finally:
        con.close()


@dataclass
class Attempt:
    """One start of the main job: where it was stopped (None: it finished), its exit status."""

    point: KillPoint | None
    killed: bool
    returncode: int
    seconds: float
    output: list[str] = field(default_factory=list)


def main_job(landing: Path, db_path: Path, env: dict[str, str]) -> list[str]:
    return [LEAD_FACTORY, "run", "--landing-dir", str(landing), "--db", str(db_path)]


def attempt(command: Sequence[str], env: dict[str, str], point: KillPoint | None) -> Attempt:
    """Start the main job and, when ``point`` is given, kill it when its output reaches the point."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        env={**env, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    assert process.stdout is not None
    output: list[str] = []
    killed = False
    for line in process.stdout:
        output.append(line.rstrip("\n"))
        if point is not None and not killed and point.matches(line):
            time.sleep(point.delay)
            if point.interrupt:
                os.killpg(process.pid, signal.SIGINT)
            else:
                os.kill(process.pid, signal.SIGKILL)
            killed = True
    returncode = process.wait()
    _wait_for_children(process.pid)
    return Attempt(point, killed, returncode, time.perf_counter() - started, output)


def _wait_for_children(session: int, timeout: float = 30.0) -> None:
    """Wait until no process of the job's session is left (a killed job's dbt dies with it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(session, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)


@dataclass
class DrillResult:
    """A drill: the attempts it took and what differs from the reference (nothing, when safe)."""

    attempts: list[Attempt]
    differing: list[str]
    serving_always_complete: bool

    @property
    def safe(self) -> bool:
        return not self.differing and self.serving_always_complete and self.attempts[-1].returncode == 0


def drill(
    landing: Path,
    db_path: Path,
    env: dict[str, str],
    points: Sequence[KillPoint],
    reference: dict[str, str],
    echo: Callable[[str], None] = print,
) -> DrillResult:
    """Run the main job on a fresh warehouse, killing it at each point in turn, then to the end;
    compare with the reference fingerprint."""
    command = main_job(landing, db_path, env)
    serving = db_path.with_name("serving.duckdb")
    attempts: list[Attempt] = []
    complete = True
    for point in points:
        result = attempt(command, env, point)
        attempts.append(result)
        complete = complete and serving_is_complete(serving)
        echo(
            f"    {'killed' if result.killed else 'not reached'} at {point.name} "
            f"({'Ctrl-C' if point.interrupt else 'SIGKILL'}) after {result.seconds:.0f} s"
        )
    final = attempt(command, env, None)
    attempts.append(final)
    if final.returncode != 0:
        echo("\n".join(final.output[-30:]))
    complete = complete and serving_is_complete(serving)
    return DrillResult(attempts, differences(reference, fingerprint(db_path)), complete)


def random_rounds(kills: int, per_round: int, seed: int) -> list[list[KillPoint]]:
    """``kills`` random kill points (any point, a random delay), in rounds of up to ``per_round``
    points in the order the job reaches them."""
    rng = random.Random(seed)
    rounds: list[list[KillPoint]] = []
    while kills > 0:
        count = min(per_round, kills)
        chosen = sorted(rng.sample(range(len(KILL_POINTS)), count))
        rounds.append(
            [
                KillPoint(
                    KILL_POINTS[i].name,
                    KILL_POINTS[i].stage,
                    KILL_POINTS[i].marker,
                    delay=round(rng.uniform(0, 2.0), 2),
                    interrupt=rng.random() < 0.25,
                )
                for i in chosen
            ]
        )
        kills -= count
    return rounds


DRILL_CLOCK = "2026-12-01T06:00:00Z"
DRILL_SALT = "kill-drill-salt"


def drill_env(workdir: Path) -> dict[str, str]:
    """The environment of every run of a drill: one clock and one erasure salt, so the reference
    and the drilled warehouses are comparable; dbt's artifacts in the drill's folder."""
    from lead_factory.erasure.registry import SALT_ENV
    from lead_factory.runs import CLOCK_ENV

    return {
        **os.environ,
        CLOCK_ENV: DRILL_CLOCK,
        SALT_ENV: DRILL_SALT,
        "DBT_TARGET_PATH": str(workdir / "target"),
    }


def reference_run(landing: Path, workdir: Path, env: dict[str, str]) -> dict[str, str]:
    """The uninterrupted run's fingerprint (its warehouse in workdir/reference)."""
    db_path = workdir / "reference" / "lead_factory.duckdb"
    result = attempt(main_job(landing, db_path, env), env, None)
    if result.returncode != 0:
        raise RuntimeError("the reference run failed:\n" + "\n".join(result.output[-30:]))
    return fingerprint(db_path)


def run_drills(
    workdir: Path, size: int, seed: int, kills: int, per_round: int, echo: Callable[[str], None] = print
) -> list[DrillResult]:
    """Generate demo data, run the reference, then ``kills`` random kills in rounds; print the tally."""
    from lead_factory.demo.generator import generate

    generate(workdir / "demo", size=size, seed=seed)
    landing = workdir / "demo" / "landing"
    env = drill_env(workdir)
    echo(f"reference: the main job on {size} demo leads, uninterrupted")
    reference = reference_run(landing, workdir, env)
    results = []
    for number, points in enumerate(random_rounds(kills, per_round, seed), start=1):
        echo(f"round {number}: {len(points)} kills")
        result = drill(
            landing, workdir / f"round{number}" / "lead_factory.duckdb", env, points, reference, echo
        )
        verdict = (
            "same warehouse as the reference" if result.safe else f"DIFFERS: {', '.join(result.differing)}"
        )
        if not result.serving_always_complete:
            verdict += "; the serving copy was once incomplete"
        echo(f"    resumed to the end: {verdict}")
        results.append(result)
    killed = sum(a.killed for r in results for a in r.attempts)
    safe = sum(r.safe for r in results)
    echo(
        f"tally: {killed} kills in {len(results)} rounds; "
        f"{safe} of {len(results)} rounds ended as the reference"
    )
    return results
