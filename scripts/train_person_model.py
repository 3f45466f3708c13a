"""Train the person-matching model on a built warehouse and write it into the repository.

Usage: python scripts/train_person_model.py [--db PATH] [--truth DIR] [--out PATH]
Reads intermediate.int_person_records_prepared, estimates the Splink model's parameters, writes the
model JSON (default: var person_model_path of dbt_project.yml), and prints the learned match weight
of every comparison level, the candidate pairs of each blocking rule and, given the demo's truth
folder, the blocking recall. `dbt build` only loads the model; it never trains.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from lead_factory.cli import db_option
from lead_factory.matching import people, project, training


@click.command()
@db_option
@click.option("--truth", "truth_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="A demo's truth/ folder, to measure blocking recall.")  # fmt: skip
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Where to write the model (default: var person_model_path).")  # fmt: skip
def main(db_path: Path, truth_dir: Path | None, out: Path | None) -> None:
    """Train and save the person-matching model."""
    try:
        records = training.read_records(db_path)
    except people.MatchingModelError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    rules = project.person_blocking_rules()
    model = people.train(records, rules)
    target = out or project.person_model_path()
    people.save_model(model, target)
    click.echo(f"Trained on {records.num_rows:,} person records; wrote {target}")
    for line in training.weight_lines(model):
        click.echo(line)
    truth = training.read_truth(truth_dir) if truth_dir else None
    for line in training.blocking_lines(records, rules, truth):
        click.echo(line)


if __name__ == "__main__":
    main()
