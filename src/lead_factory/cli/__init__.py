"""``lead-factory``: one command for everything the factory does, one verb per step.

The verbs are thin: each parses its options and calls the package (landing, enrichment, the dbt
runs in lead_factory.pipeline, matching, the demo generator, the generated files).
"""

from __future__ import annotations

import click

from lead_factory.cli import develop, factory, matching, operations, work


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="lead-factory")
def main() -> None:
    """Lead Factory: a data factory for go-to-market data (dbt on DuckDB, Splink for matching).

    \b
    The main job:   lead-factory run       (land → enrich → build → docs → summary)
    With demo data: lead-factory demo      (generate demo data, then the main job)
    Each step:      land, enrich, build, docs, summary
    Work a queue:   lead-factory queue --owner-team sales_ops --out queue.csv
    Label matches:  lead-factory review-sample --out review.csv  (fill in, land under reviews/)
    Run `lead-factory VERB --help` for a verb's options and an example.
    """


for module in (factory, operations, work, matching, develop):
    for command in module.COMMANDS:
        main.add_command(command)
