"""The Minimum Viable Lead and the retirement rules as the project declares them (dbt_project.yml's
vars mvl_rules and retirement_rules), rendered as the docs site's page of rules.

dbt evaluates the rules (macros/standard); this module only renders the declaration for people:
```lead-factory codegen rules-docs``` writes ``docs/minimum_viable_lead.md`` and a test keeps it in
step with dbt_project.yml. A deployment's overrides (--vars) show in the dim_mvl_rules table, not here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lead_factory.project import PROJECT_DIR, project_vars

DOCS_FILE = Path("docs") / "minimum_viable_lead.md"


def _cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ").strip()


def render(variables: dict[str, Any]) -> str:
    """The dbt doc block ``minimum_viable_lead`` for the declared rules."""
    lines = [
        "{% docs minimum_viable_lead %}",
        "<!-- Generated from dbt_project.yml by `lead-factory codegen rules-docs`; do not edit. -->",
        "The **Minimum Viable Lead**: the rules every inbound lead record is held against, as declared",
        "in `dbt_project.yml` (var `mvl_rules`). A record failing a *blocking* rule is not ready; a",
        "*warning* is reported and queued only. The remedy says what fixes a failure: `enrichment`",
        "(automatically), `steward` (a person) or `reject` (the record cannot be worked). The owner team",
        "works the rule's remediation queue items within its SLA.",
        "",
        "| rule | severity | remedy | owner team | SLA (days) | a good record ... | how to fix "
        "| condition (SQL) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for rule in variables.get("mvl_rules", []):
        cells = [
            f"`{rule['name']}`",
            rule["severity"],
            rule["remedy"],
            rule["owner_team"],
            rule["sla_days"],
            rule["description"],
            rule["remediation_hint"],
            f"`{rule['condition']}`",
        ]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    lines += [
        "",
        "**Retirement rules** (var `retirement_rules`, the first that holds is the reason); an erasure",
        "request erases the record for good.",
        "",
        "| rule | when | condition (SQL) |",
        "|---|---|---|",
    ]
    for rule in variables.get("retirement_rules", []):
        lines.append(f"| `{rule['name']}` | {_cell(rule['description'])} | `{_cell(rule['condition'])}` |")
    lines.append("{% enddocs %}")
    return "\n".join(lines) + "\n"


def write_docs(project_dir: Path = PROJECT_DIR) -> Path:
    path = project_dir / DOCS_FILE
    path.write_text(render(project_vars(project_dir)), encoding="utf-8")
    return path
