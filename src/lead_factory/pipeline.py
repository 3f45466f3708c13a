"""The main job and the dbt runs it is made of: landing → enrichment → dbt build → docs → summary.

Each step is the same code a ``lead-factory`` verb runs on its own (``land``, ``enrich``, ``build``,
``docs``, ``summary``); ``lead-factory run`` runs them in order on a landing folder and
``lead-factory demo`` first generates demo data to run them on.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from lead_factory import config
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


def run_dbt(args: Sequence[str], db_path: Path, target: str = "dev", target_path: Path | None = None) -> None:
    """Run a dbt command in this project against the warehouse at db_path; raise when it fails.

    target "dev" reads the warehouse path from LEAD_FACTORY_DB, "test" from LEAD_FACTORY_TEST_DB;
    target_path moves dbt's artifacts (default: $DBT_TARGET_PATH, else the project's target/).
    dbt runs in its own process: dbt-duckdb keeps its connection open for the life of the process,
    which would lock the warehouse against the reads that follow.
    """
    command = dbt_command(args, target, target_path)
    env = dbt_env(db_path, target)
    if subprocess.run(command, cwd=PROJECT_DIR, env=env, check=False).returncode != 0:
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


def enrich(db_path: Path, echo: Echo = print, target: str = "dev", dbt_vars: Sequence[str] = ()) -> None:
    """The enrichment step of the main job: build what says what to ask, then ask the providers."""
    with _step("Enrich", echo):
        prepare_enrichment(db_path, target, dbt_vars)
        result = run_enrichment(db_path, report=lambda line: echo(f"    {line}"))
        for line in result.lines():
            echo(f"    {line}")


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
) -> Path:
    """The main job: land the new files, enrich, build, publish the serving copy, document and
    summarise; returns the serving copy's path. A failed step stops the job: a failed build
    publishes nothing, so readers keep the previous serving copy. ``dbt_vars`` (YAML, as dbt's
    --vars) applies to every dbt step."""
    vars_args = ["--vars", dbt_vars] if dbt_vars else []
    serving = config.serving_db_path(db_path, serving_path)
    with _step(f"Land {landing_dir} into {db_path}", echo):
        for line in land(landing_dir, db_path).lines():
            echo(f"    {line}")
    enrich(db_path, echo, dbt_vars=vars_args)
    with _step("dbt build", echo):
        run_dbt(["build", *vars_args], db_path)
    with _step("Publish the serving copy", echo):
        echo(f"    {publish(db_path, serving).line()}")
    with _step("dbt docs generate", echo):
        document(db_path, echo, dbt_vars=vars_args)
    echo("")
    for line in summary_lines(db_path):
        echo(line)
    return serving


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
    serving = run_main_job(demo_dir / "landing", db_path, echo, serving_path=serving_path, dbt_vars=dbt_vars)
    echo(f"\nDone in {time.perf_counter() - started:.0f} s. Warehouse: {db_path}; serving copy: {serving}")
    echo("Browse the catalog: lead-factory docs --serve (the dbt docs site on http://localhost:8080)")
