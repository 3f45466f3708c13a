"""The verbs that make data and files: generate (demo data), codegen (the generated files)."""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import click

from lead_factory import standard
from lead_factory.demo.generator import DEFAULT_AS_OF, generate
from lead_factory.landing.dbt_sources import write_sources
from lead_factory.project import PROJECT_DIR
from lead_factory.reference import write_reference_seeds

SEED_DIR = Path("seeds") / "reference"


@click.command("generate", short_help="Generate demo data with its planted truth.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Output folder; its landing/, truth/ and stewardship/ are replaced.",
)
@click.option(
    "--size",
    type=click.IntRange(min=100),
    default=10_000,
    show_default=True,
    help="Number of inbound lead records (forms + uploads + CRM leads).",
)
@click.option("--seed", type=int, default=42, show_default=True, help="Random seed.")
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=DEFAULT_AS_OF.isoformat(),
    show_default=True,
    help="Date the data is generated as of; every date is relative to it.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes writing the files [default: up to 2 CPUs]; the output does not depend on it.",
)
def generate_command(out: Path, size: int, seed: int, as_of: datetime, workers: int | None) -> None:
    """Generate deterministic demo or benchmark data: landing files of every kind with planted mess,
    and the truth behind them (OUT/landing, OUT/truth, OUT/stewardship).

    \b
    Example:
      lead-factory generate --out data/bench --size 100000 --seed 7
      lead-factory land --landing-dir data/bench/landing
    """
    started = time.perf_counter()
    summary = generate(
        out, size=size, seed=seed, as_of=date(as_of.year, as_of.month, as_of.day), workers=workers
    )
    click.echo(
        f"Wrote {len(summary['files'])} landing files under {out / 'landing'} and truth under {out / 'truth'}"
    )
    for kind, rows in sorted(summary["rows_per_kind"].items()):
        bad = summary["bad_rows_per_kind"].get(kind, 0)
        click.echo(f"  {kind:<18} {rows:>10,} rows  {bad:>5} bad rows planted")
    world = summary["world"]
    click.echo(
        f"  {world['persons']:,} persons, {world['companies']:,} companies "
        f"({world['crm_accounts']:,} CRM accounts, {world['crm_contacts']:,} contacts); "
        f"{world['repeat_records']:,} repeat records, "
        f"{world['existing_contact_records']:,} records of existing contacts"
    )
    click.echo(f"Done in {time.perf_counter() - started:.1f} s")


def _write_seeds(project_dir: Path) -> list[Path]:
    seed_dir = project_dir / SEED_DIR
    return [seed_dir / name for name in write_reference_seeds(seed_dir)]


def _write_rules_docs(project_dir: Path) -> list[Path]:
    return [standard.write_docs(project_dir)]


def _write_sources(project_dir: Path) -> list[Path]:
    return write_sources(project_dir / "models")


GENERATORS: dict[str, tuple[str, Callable[[Path], list[Path]]]] = {
    "sources": (
        "the dbt sources (models/staging/*/_*__sources.yml) from the landing contract",
        _write_sources,
    ),
    "seeds": ("the country and email-domain seeds from their pinned packages", _write_seeds),
    "rules-docs": ("the docs page of the Minimum Viable Lead and retirement rules", _write_rules_docs),
}


def copy_inputs(project_dir: Path, into: Path) -> None:
    """The files the generators read and write, copied into a scratch folder."""
    for relative in ("dbt_project.yml", "models", "seeds", "docs"):
        source = project_dir / relative
        if source.is_dir():
            for path in source.rglob("*"):
                if path.is_file():
                    (into / path.relative_to(project_dir)).parent.mkdir(parents=True, exist_ok=True)
                    (into / path.relative_to(project_dir)).write_bytes(path.read_bytes())
        else:
            (into / relative).write_bytes(source.read_bytes())


def stale_files(names: list[str], project_dir: Path = PROJECT_DIR) -> list[Path]:
    """The generated files that differ from what their generators write now (relative paths)."""
    stale = []
    with tempfile.TemporaryDirectory(prefix="lead-factory-codegen-") as scratch:
        copy = Path(scratch)
        copy_inputs(project_dir, copy)
        for name in names:
            for path in GENERATORS[name][1](copy):
                relative = path.relative_to(copy)
                committed = project_dir / relative
                if not committed.is_file() or committed.read_bytes() != path.read_bytes():
                    stale.append(relative)
    return stale


@click.command("codegen", short_help="Regenerate (or --check) the generated files.")
@click.argument("what", type=click.Choice([*GENERATORS, "all"]), default="all")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 naming each file that is out of date.")
def codegen_command(what: str, check: bool) -> None:
    """Regenerate the files the project generates from one declaration, or check they are current:

    \b
      sources     the dbt sources from the landing contract (src/lead_factory/landing/kinds.py)
      seeds       the country and email-domain seeds from their pinned packages
      rules-docs  docs/minimum_viable_lead.md from the rules declared in dbt_project.yml
      all         all of them (the default)

    \b
    Example:
      lead-factory codegen rules-docs      # after editing var mvl_rules
      lead-factory codegen --check
    """
    names = list(GENERATORS) if what == "all" else [what]
    if check:
        stale = stale_files(names)
        for path in stale:
            click.echo(f"out of date: {path} (run `lead-factory codegen`)", err=True)
        if stale:
            sys.exit(1)
        click.echo(f"up to date: {', '.join(names)}")
        return
    for name in names:
        for path in GENERATORS[name][1](PROJECT_DIR):
            click.echo(f"wrote {path.relative_to(PROJECT_DIR)}")


COMMANDS = (generate_command, codegen_command)
