"""The main job and the dbt runs it is made of: landing → enrichment → dbt build → docs → summary.

Each step is the same code a ``lead-factory`` verb runs on its own (``land``, ``enrich``, ``build``,
``docs``, ``summary``); ``lead-factory run`` runs them in order on a landing folder and
``lead-factory demo`` first generates demo data to run them on.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from lead_factory import config, erasure, history, runs, writer_lock
from lead_factory.conventions import CoverageReport, check_target
from lead_factory.demo.generator import generate
from lead_factory.enrichment import run_enrichment
from lead_factory.landing.loader import land
from lead_factory.project import PROJECT_DIR
from lead_factory.serving import publish
from lead_factory.summary import summary_lines

Echo = Callable[[str], None]

TARGET_PATH_ENV = "DBT_TARGET_PATH"
"""dbt's own variable for where its artifacts go (default: the project's target/ folder)."""


class PipelineError(Exception):
    """A step of the main job failed; the message says which."""


@contextmanager
def _step(name: str, echo: Echo) -> Iterator[None]:
    echo(f"==> {name}")
    started = time.perf_counter()
    yield
    echo(f"    {name}: {time.perf_counter() - started:.1f} s")


DEFAULT_TARGET = "dev"
"""The target profiles.yml names as its default."""


def dbt_env(db_path: Path, target: str = "dev") -> dict[str, str]:
    """The environment a dbt command of the factory runs in, reading the warehouse at db_path.

    The profile's warehouse variable (LEAD_FACTORY_DB for target dev, LEAD_FACTORY_TEST_DB for test)
    is left unset when db_path is the profile's own default, so a bare ``dbt`` run from the
    project folder sees the same profile and keeps dbt's partial parsing.
    """
    env_var = config.DB_ENV if target == "dev" else config.TEST_DB_ENV
    env = {**os.environ, "DBT_PROFILES_DIR": str(PROJECT_DIR)}
    if target == "dev" and db_path.resolve() == (PROJECT_DIR / config.DEFAULT_DB).resolve():
        env.pop(env_var, None)
    else:
        env[env_var] = str(db_path.resolve())
    return env


def dbt_command(args: Sequence[str], target: str = "dev", target_path: Path | None = None) -> list[str]:
    """The dbt command line for args in this project. Colour codes only when the output is a
    terminal, so logs written to a file or a pipe stay plain text. The profile's default target is
    not named: dbt's partial parsing keys on the --target given, so naming it would make a bare
    ``dbt`` run from the project folder parse the project again."""
    command = [
        str(Path(sys.executable).parent / "dbt"),
        *args,
        "--project-dir",
        str(PROJECT_DIR),
        "--use-colors" if sys.stdout.isatty() else "--no-use-colors",
    ]
    if target != DEFAULT_TARGET:
        command += ["--target", target]
    if target_path is not None:
        command += ["--target-path", str(target_path)]
    return command


def _die_with_parent() -> None:
    """In a child process, before it runs: ask Linux to kill it when the process that started it
    dies, so a killed main job never leaves a dbt build writing the warehouse behind it."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # not Linux: the child outlives a killed parent, and the lock's holder check still stands


PR_SET_PDEATHSIG = 1


def run_dbt(args: Sequence[str], db_path: Path, target: str = "dev", target_path: Path | None = None) -> None:
    """Run a dbt command in this project against the warehouse at db_path; raise when it fails.

    target "dev" reads the warehouse path from LEAD_FACTORY_DB, "test" from LEAD_FACTORY_TEST_DB;
    target_path moves dbt's artifacts (default: $DBT_TARGET_PATH, else the project's target/).
    dbt runs in its own process: dbt-duckdb keeps its connection open for the life of the process,
    which would lock the warehouse against the reads that follow.
    """
    command = dbt_command(args, target, target_path)
    env = dbt_env(db_path, target)
    finished = subprocess.run(
        command,
        cwd=PROJECT_DIR,
        env=env,
        check=False,
        preexec_fn=_die_with_parent,
        pass_fds=writer_lock.held_descriptors(),
    )
    if finished.returncode != 0:
        raise PipelineError(f"dbt {' '.join(args)} failed (see its output above)")


def target_dir(target_path: Path | None = None) -> Path:
    """Where dbt writes its artifacts for a run with target_path (see run_dbt)."""
    if target_path is not None:
        return target_path
    return Path(os.environ.get(TARGET_PATH_ENV) or PROJECT_DIR / "target")


ENRICHMENT_INPUTS = ("+int_enrichment_requests", "+stg_firmographics__companies")
"""What must be built before the providers are asked: what says what to ask, and the directory
the offline provider reads."""


def prepare_enrichment(db_path: Path, target: str = "dev", dbt_vars: Sequence[str] = ()) -> None:
    """Build what says what to ask the providers (ENRICHMENT_INPUTS), without its tests."""
    tests = ["resource_type:test", "resource_type:unit_test"]
    args = ["--quiet", "build", "-s", *ENRICHMENT_INPUTS, "--exclude", *tests, *dbt_vars]
    run_dbt(args, db_path, target=target)


def enrich(
    db_path: Path,
    echo: Echo = print,
    target: str = "dev",
    dbt_vars: Sequence[str] = (),
    clock: datetime | None = None,
) -> None:
    """The enrichment step of the main job: build what says what to ask, then ask the providers
    (answers stamped with the run's clock)."""
    with _step("Enrich", echo):
        prepare_enrichment(db_path, target, dbt_vars)
        result = run_enrichment(db_path, report=lambda line: echo(f"    {line}"), now=clock)
        for line in result.lines():
            echo(f"    {line}")


MAIN_BUILD = ("build", "--exclude-resource-type", "unit_test")
"""The main job's dbt build: every model, seed, snapshot and data test. dbt's unit tests check the
project's logic on fixed inputs, not the data, so they run in CI (`make test`) and with
`lead-factory build`, not in every production run (as dbt's documentation recommends)."""

HISTORY = "resource_type:snapshot+"
"""The snapshots and what reads them: built last, once the run's data are final (after the erase
step), so each run records one version of each record, even when it builds twice."""


def build_main(db_path: Path, vars_args: Sequence[str], echo: Echo = print) -> None:
    """The main job's build: everything but the snapshots and what reads them."""
    with _step("dbt build", echo):
        run_dbt([*MAIN_BUILD, "--exclude", HISTORY, *vars_args], db_path)


def erase_and_snapshot(db_path: Path, run: runs.Run, vars_args: Sequence[str], echo: Echo = print) -> None:
    """After the build: the erase step (the data of every person who asked to be erased leave
    every table, lead_factory.erasure); then, while erased data may still be on disk, everything
    built again (the derived tables lose them) and the warehouse file rewritten (the freed blocks
    lose them); else only the snapshots and what reads them."""
    with _step("Erase", echo):
        report = erasure.erase(db_path, run.clock, run.run_id)
        for line in report.lines():
            echo(f"    {line}")
    if not report.purge_pending:
        with _step("dbt build of the snapshots", echo):
            run_dbt([*MAIN_BUILD, "--select", HISTORY, *vars_args], db_path)
        return
    with _step("dbt build again, without the erased data", echo):
        run_dbt([*MAIN_BUILD, *vars_args], db_path)
    with _step("Compact the warehouse file", echo):
        echo(f"    {erasure.compact(db_path).line()}")
        erasure.mark_purged(db_path, run.clock)


def document(
    db_path: Path, echo: Echo = print, target: str = "dev", dbt_vars: Sequence[str] = ()
) -> CoverageReport:
    """dbt docs generate, then the docs coverage check of what it wrote."""
    run_dbt(["docs", "generate", *dbt_vars], db_path, target=target)
    coverage = check_target(target_dir())
    echo(
        f"    docs: {coverage.models} models, {coverage.columns} columns, {coverage.macros} macros; "
        f"{len(coverage.problems)} undocumented"
    )
    return coverage


def run_main_job(
    landing_dir: Path,
    db_path: Path,
    echo: Echo = print,
    serving_path: Path | None = None,
    dbt_vars: str | None = None,
    verb: str = "run",
) -> Path:
    """The main job: land the new files, enrich, build, erase, publish the serving copy, document
    and summarise; returns the serving copy's path. A failed step stops the job: a failed build
    publishes nothing, so readers keep the previous serving copy. ``dbt_vars`` (YAML, as dbt's
    --vars) applies to every dbt step. The run is on record in raw.factory_runs (lead_factory.runs):
    a run that was killed is resumed by the next one, with its clock, and ends as it would have."""
    serving = config.serving_db_path(db_path, serving_path)
    run = runs.begin(db_path, verb, dbt_vars)
    echo(run.line())
    vars_args = ["--vars", run.dbt_vars(dbt_vars)]
    try:
        with _step(f"Land {landing_dir} into {db_path}", echo):
            batch = land(landing_dir, db_path, clock=run.clock)
            for line in batch.lines():
                echo(f"    {line}")
        # A resumed run that landed nothing new goes on after the last step its earlier attempt
        # completed: every step is idempotent, so nothing is lost by doing it again, but nothing
        # is gained either.
        done = run.completed(unless=bool(batch.files_loaded or batch.files_rejected))
        runs.mark(db_path, run, "landed")
        if "enriched" not in done:
            enrich(db_path, echo, dbt_vars=vars_args, clock=run.clock)
            runs.mark(db_path, run, "enriched")
        if "built" not in done:
            build_main(db_path, vars_args, echo)
            runs.mark(db_path, run, "built")
        if "erased" not in done:
            erase_and_snapshot(db_path, run, vars_args, echo)
            runs.mark(db_path, run, "erased")
        if "published" not in done:
            with _step("Publish the serving copy", echo):
                echo(f"    {publish(db_path, serving).line()}")
            runs.mark(db_path, run, "published")
        if "documented" not in done:
            with _step("dbt docs generate", echo):
                document(db_path, echo, dbt_vars=vars_args)
            runs.mark(db_path, run, "documented")
        if done:
            echo(f"    (steps done by the run's earlier attempt, not repeated: {', '.join(sorted(done))})")
    except KeyboardInterrupt:
        _record_end(db_path, run, "interrupted")
        raise
    except Exception as error:
        if _interrupted(error):  # Ctrl-C during a query: DuckDB raises its own error
            _record_end(db_path, run, "interrupted")
        else:
            _record_end(db_path, run, "failed", (str(error) or type(error).__name__).splitlines()[0])
        raise
    runs.end(db_path, run, "succeeded")
    with _step("Export the history", echo):
        echo(f"    {history.export_history(db_path, serving, run.run_id, run.clock).line()}")
    echo("")
    for line in summary_lines(db_path):
        echo(line)
    return serving


def _interrupted(error: BaseException | None) -> bool:
    """Whether an error is, or was caused by, a Ctrl-C (DuckDB turns one during a query into
    its InterruptException)."""
    while error is not None:
        if isinstance(error, KeyboardInterrupt | duckdb.InterruptException):
            return True
        error = error.__cause__ or error.__context__
    return False


def _record_end(db_path: Path, run: runs.Run, status: str, failure: str | None = None) -> None:
    """Record how a run that did not finish ended, without hiding why it ended: if the warehouse
    cannot be written now, the run stays running and the next one resumes it."""
    with suppress(duckdb.Error):
        runs.end(db_path, run, status, failure)


def restore_warehouse(
    source: Path, landing_dir: Path, db_path: Path, echo: Echo = print, serving_path: Path | None = None
) -> list[str]:
    """Rebuild a lost warehouse at db_path from the landing folder and the history export at
    ``source`` (a history folder or one export), build it at the last run's clock, publish it, and
    return the history tables that differ from the export (none when the restore is exact)."""
    export = history.latest_export(source)
    with _step(f"Restore {db_path} from {landing_dir} and {export.folder}", echo):
        restored = history.restore(export, landing_dir, db_path)
        for line in restored.lines():
            echo(f"    {line}")
    if not restored.clock:
        raise PipelineError(f"the export {export.folder} records no finished run to rebuild")
    run = runs.Run("restore", datetime.fromisoformat(restored.clock).replace(tzinfo=UTC))
    with _step(f"dbt build at the last run's clock ({restored.clock} UTC)", echo):
        run_dbt([*MAIN_BUILD, "--vars", run.dbt_vars(restored.dbt_vars)], db_path)
    with _step("Publish the serving copy", echo):
        echo(f"    {publish(db_path, config.serving_db_path(db_path, serving_path)).line()}")
    return history.compare(export, db_path)


STEWARD_FIXES_DIR = "fixes"
"""The landing folder of steward fix files: not part of the generated demo data (a steward adds them)."""


def _fingerprint(landing: Path) -> str:
    """A digest of every generated file under the landing folder (path and bytes)."""
    digest = hashlib.sha256()
    fixes = landing / STEWARD_FIXES_DIR
    for path in sorted(p for p in landing.rglob("*") if p.is_file() and fixes not in p.parents):
        digest.update(path.relative_to(landing).as_posix().encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _reset_if_other_demo(demo_dir: Path, db_path: Path, echo: Echo) -> None:
    """A warehouse built from other demo data (other size, seed or generator) is replaced, so demo
    data never mixes; the same demo data is landed again, which adds nothing."""
    marker = db_path.with_name(db_path.name + ".demo")
    fingerprint = _fingerprint(demo_dir / "landing")
    if db_path.exists() and not marker.exists():
        raise PipelineError(
            f"{db_path} was not built by the demo, so the demo will not touch it: "
            f"set {config.DB_ENV} to another file, or remove it"
        )
    if db_path.exists() and marker.read_text() != fingerprint:
        echo(f"The demo data differs from what {db_path} was built from: starting a fresh warehouse.")
        for path in (db_path, db_path.with_name(db_path.name + ".wal")):
            path.unlink(missing_ok=True)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(fingerprint)


def run_demo(
    size: int,
    seed: int,
    db_path: Path,
    demo_dir: Path = config.DEMO_DIR,
    echo: Echo = print,
    steward_fixes: bool = False,
    serving_path: Path | None = None,
    as_of: date | None = None,
) -> None:
    """Generate demo data and run the main job on it. With ``steward_fixes``, the steward fix file
    the generator wrote (demo_dir/stewardship) is put in the landing folder first, as a data
    steward would, so the build applies it and resolves the problems it fixes. With ``as_of``,
    the build is measured at that day (var lifecycle_as_of), so runs with successive days
    simulate successive days of the factory: each adds that day's scorecard snapshot."""
    started = time.perf_counter()
    with _step(f"Generate demo data ({size} leads, seed {seed}) into {demo_dir}", echo):
        generate(demo_dir, size=size, seed=seed)
    _reset_if_other_demo(demo_dir, db_path, echo)
    if steward_fixes:
        fixes = demo_dir / "landing" / STEWARD_FIXES_DIR
        fixes.mkdir(parents=True, exist_ok=True)
        for path in sorted((demo_dir / "stewardship").glob("*.csv")):
            shutil.copyfile(path, fixes / path.name)
            echo(f"Steward fixes: {path} -> {fixes / path.name}")
    dbt_vars = f'{{lifecycle_as_of: "{as_of.isoformat()}"}}' if as_of else None
    serving = run_main_job(
        demo_dir / "landing", db_path, echo, serving_path=serving_path, dbt_vars=dbt_vars, verb="demo"
    )
    echo(f"\nDone in {time.perf_counter() - started:.0f} s. Warehouse: {db_path}; serving copy: {serving}")
    echo("Browse the catalog: lead-factory docs --serve (the dbt docs site on http://localhost:8080)")
