"""The main job: demo data → landing → dbt build → docs → summary, as ``make demo`` runs it.

Each step is the same code a user runs on its own (``scripts/generate_demo_data.py``,
``scripts/land_files.py``, ``dbt build``, ``dbt docs generate``, ``scripts/print_summary.py``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from lead_factory import config
from lead_factory.conventions import check_target
from lead_factory.demo.generator import generate
from lead_factory.enrichment import run_enrichment
from lead_factory.landing.loader import land
from lead_factory.summary import summary_lines

PROJECT_DIR = Path(__file__).resolve().parents[2]


class PipelineError(Exception):
    """A step of the main job failed; the message says which."""


@contextmanager
def _step(name: str, echo: Callable[[str], None]) -> Iterator[None]:
    echo(f"==> {name}")
    started = time.perf_counter()
    yield
    echo(f"    {name}: {time.perf_counter() - started:.1f} s")


def run_dbt(args: list[str], db_path: Path, target: str = "dev", target_path: Path | None = None) -> None:
    """Run a dbt command in this project against the warehouse at db_path; raise when it fails.

    target "dev" reads the warehouse path from LEAD_FACTORY_DB, "test" from LEAD_FACTORY_TEST_DB;
    target_path moves dbt's artifacts (default: the project's target/ folder).
    dbt runs in its own process: dbt-duckdb keeps its connection open for the life of the process,
    which would lock the warehouse against the reads that follow.
    """
    env_var = config.DB_ENV if target == "dev" else config.TEST_DB_ENV
    env = {**os.environ, env_var: str(db_path.resolve()), "DBT_PROFILES_DIR": str(PROJECT_DIR)}
    command = [
        str(Path(sys.executable).parent / "dbt"),
        *args,
        "--project-dir",
        str(PROJECT_DIR),
        "--target",
        target,
    ]
    if target_path is not None:
        command += ["--target-path", str(target_path)]
    if subprocess.run(command, cwd=PROJECT_DIR, env=env, check=False).returncode != 0:
        raise PipelineError(f"dbt {' '.join(args)} failed (see its output above)")


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


def _reset_if_other_demo(demo_dir: Path, db_path: Path, echo: Callable[[str], None]) -> None:
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


def enrich(db_path: Path, echo: Callable[[str], None] = print, target: str = "dev") -> None:
    """The enrichment step of the main job: build what says what to ask (int_enrichment_requests
    and its parents) and the directory the offline provider reads (stg_firmographics__companies),
    without their tests, then ask the providers (what scripts/enrich.py does)."""
    with _step("Enrich", echo):
        run_dbt(
            [
                "--quiet",
                "build",
                "-s",
                "+int_enrichment_requests",
                "+stg_firmographics__companies",
                "--exclude",
                "resource_type:test",
                "resource_type:unit_test",
            ],
            db_path,
            target=target,
        )
        result = run_enrichment(db_path, report=lambda line: echo(f"    {line}"))
        for line in result.lines():
            echo(f"    {line}")


def run_demo(
    size: int,
    seed: int,
    db_path: Path,
    demo_dir: Path = config.DEMO_DIR,
    echo=print,
    steward_fixes: bool = False,
) -> None:
    """Generate demo data, land it, build, document and summarise. With ``steward_fixes``, the
    steward fix file the generator wrote (demo_dir/stewardship) is put in the landing folder first,
    as a data steward would, so the build applies it and resolves the problems it fixes."""
    started = time.perf_counter()
    with _step(f"Generate demo data ({size} leads, seed {seed}) into {demo_dir}", echo):
        generate(demo_dir, size=size, seed=seed)
    _reset_if_other_demo(demo_dir, db_path, echo)
    if steward_fixes:
        target = demo_dir / "landing" / STEWARD_FIXES_DIR
        target.mkdir(parents=True, exist_ok=True)
        for path in sorted((demo_dir / "stewardship").glob("*.csv")):
            shutil.copyfile(path, target / path.name)
            echo(f"Steward fixes: {path} -> {target / path.name}")
    with _step(f"Land {demo_dir / 'landing'} into {db_path}", echo):
        for line in land(demo_dir / "landing", db_path).lines():
            echo(f"    {line}")
    enrich(db_path, echo)
    with _step("dbt build", echo):
        run_dbt(["build"], db_path)
    with _step("dbt docs generate", echo):
        run_dbt(["docs", "generate"], db_path)
        coverage = check_target(PROJECT_DIR / "target")
        echo(
            f"    docs: {coverage.models} models, {coverage.columns} columns, {coverage.macros} macros; "
            f"{len(coverage.problems)} undocumented"
        )
    echo("")
    for line in summary_lines(db_path):
        echo(line)
    echo(f"\nDone in {time.perf_counter() - started:.0f} s. Warehouse: {db_path}")
    echo("Browse the catalog: make docs-serve (the dbt docs site on http://localhost:8080)")
