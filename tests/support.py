"""What the end-to-end tests share: a built warehouse to query, with its demo data and planted truth."""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb


def query(db: Path, sql: str, parameters: list[Any] | None = None) -> list[tuple]:
    """Rows of a query on the warehouse at db, opened read-only for the query only."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, parameters or []).fetchall()
    finally:
        con.close()


def tables_containing(db: Path, text: str) -> list[str]:
    """Every table and view of the warehouse with a value containing text, read through SQL (the
    file's bytes alone can miss a value that DuckDB stored compressed)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables order by all"
        ).fetchall()
        return [
            f"{schema}.{table}"
            for schema, table in tables
            if con.execute(
                f'select count(*) from "{schema}"."{table}" as t where contains(t::varchar, ?)', [text]
            ).fetchall()[0][0]
        ]
    finally:
        con.close()


@dataclass
class Warehouse:
    """A warehouse built from generated demo data: the file, the demo folder (landing/, truth/,
    stewardship/) and dbt's artifacts."""

    db: Path
    demo: Path
    target: Path

    @property
    def landing(self) -> Path:
        return self.demo / "landing"

    @property
    def truth(self) -> Path:
        return self.demo / "truth"

    def query(self, sql: str, parameters: list[Any] | None = None) -> list[tuple]:
        return query(self.db, sql, parameters)

    def truth_rows(self, name: str) -> list[dict[str, str]]:
        """The rows of one file of the planted truth (records.csv, defects.csv ...)."""
        with (self.truth / name).open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))


DEMO_SIZE = 3000
DEMO_SEED = 7
LEAD_FACTORY = str(Path(sys.executable).parent / "lead-factory")


def run_demo(cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`lead-factory demo` of the test session's size and seed, in the folder cwd."""
    command = [LEAD_FACTORY, "demo", "--size", str(DEMO_SIZE), "--seed", str(DEMO_SEED)]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)


@dataclass
class DemoWarehouse(Warehouse):
    """The session's demo warehouse, with what its folder needs to run the main job again and the
    output of its first run."""

    cwd: Path
    env: dict[str, str]
    first_output: str

    def run_demo(self) -> subprocess.CompletedProcess[str]:
        """`lead-factory demo` again, on the same folder and warehouse."""
        return run_demo(self.cwd, self.env)


HOSTILE = Path(__file__).parent / "hostile"
"""The hostile landing corpus (tests/hostile/README.md): landing/ and the expected outcome per file."""


def hostile_landing(folder: Path) -> Path:
    """A landing folder at folder holding the hostile corpus, plus the hostile paths git cannot
    hold: a symbolic link leading outside the folder and a directory named like a CSV file."""
    landing = folder / "landing"
    shutil.copytree(HOSTILE / "landing", landing)
    outside = folder / "outside" / "passwd"
    outside.parent.mkdir(parents=True, exist_ok=True)
    outside.write_text("Email\nroot@localhost\n", encoding="utf-8")
    (landing / "uploads" / "events" / "linked_outside.csv").symlink_to(outside)
    (landing / "crm" / "leads" / "a_folder.csv").mkdir()
    return landing


HOSTILE_MADE_AT_RUN_TIME = {
    "uploads/events/linked_outside.csv": "a symbolic link to",
    "crm/leads/a_folder.csv": "not a regular file",
}
"""The paths hostile_landing adds, and the start of the reason each is refused with."""


def hostile_expectations() -> list[dict[str, str]]:
    """tests/hostile/expected.csv, one dict per file."""
    with (HOSTILE / "expected.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass
class HostileWarehouse:
    """A copy of the session's demo warehouse after landing the hostile corpus and the rows
    ``plant_bad_rows`` writes, built and published: the folder, the warehouse, its serving copy
    and landing folder, the environment the builds ran in and the build's output."""

    folder: Path
    db: Path
    landing: Path
    env: dict[str, str]
    build_output: str

    @property
    def serving(self) -> Path:
        return self.db.with_name("serving.duckdb")

    def query(self, sql: str, parameters: list[Any] | None = None) -> list[tuple]:
        return query(self.db, sql, parameters)


FORMULA_DECISION_ID = '=HYPERLINK("http://x","y")'
"""The id of a reviewer decision plant_bad_rows writes (with an unknown decision): a formula."""


def plant_bad_rows(landing: Path, records: tuple[str, str, str]) -> None:
    """Rows the factory must keep aside, written into a landing folder: reviewer decisions it cannot
    use (one whose id is a spreadsheet formula) beside one it can, and a CRM contact naming an
    account the export lacks. ``records`` are three record ids of the warehouse."""
    first, second, third = records
    (landing / "reviews" / "decisions_bad.csv").write_text(
        "decision_id,decision,record_id,other_record_id,account_id,decided_by,decided_at,note\n"
        f"x1,maybe,{first},{second},,ann,2026-11-20T09:00:00Z,not sure\n"
        f"x2,same_person,,{second},,ann,2026-11-20T09:00:00Z,no record\n"
        f"x3,different_person,{third},,,ann,2026-11-20T09:00:00Z,no other record\n"
        f"x4,same_person,{first},{second},,ann,2026-11-20T09:00:00Z,a usable one\n",
        encoding="utf-8",
    )
    quoted_id = '"' + FORMULA_DECISION_ID.replace('"', '""') + '"'
    (landing / "reviews" / "decisions_formula.csv").write_text(
        "decision_id,decision,record_id,other_record_id,account_id,decided_by,decided_at,note\n"
        f"{quoted_id},maybe,{first},{second},,ann,2026-11-20T09:00:00Z,a formula as the id\n",
        encoding="utf-8",
    )
    (landing / "crm" / "contacts" / "contacts_extra.csv").write_text(
        "Id,AccountId,FirstName,LastName,Email,Phone,Title,MailingCity,MailingCountry,LeadSource,"
        "HasOptedOutOfEmail,OwnerId,CreatedDate,LastModifiedDate,IsDeleted\n"
        "0035g00000ZZZZZAAA,0015g00000NOPENOPE,Zed,Nobody,zed.nobody@nowhere-corp.com,,CTO,Paris,FR,Web,"
        "false,0055g00000ehpjiAAA,2026-11-21T10:00:00.000+0000,2026-11-21T10:00:00.000+0000,false\n",
        encoding="utf-8",
    )


def build_hostile_warehouse(demo: DemoWarehouse, folder: Path) -> HostileWarehouse:
    """Copy the demo warehouse into folder, land the hostile corpus and plant_bad_rows' rows onto
    it, build (without the unit tests, which the demo's build ran) and publish the serving copy."""
    db = folder / "warehouse" / "lead_factory.duckdb"
    db.parent.mkdir(parents=True)
    shutil.copyfile(demo.db, db)
    env = {**os.environ, "DBT_TARGET_PATH": str(folder / "target")}
    env.pop("LEAD_FACTORY_SERVING_DB", None)
    leads = query(db, "select record_id from marts.dim_leads order by 1 limit 3")
    first, second, third = (record for (record,) in leads)
    landing = hostile_landing(folder)
    plant_bad_rows(landing, (first, second, third))
    output = ""
    for command in (
        ["land", "--landing-dir", str(landing), "--db", str(db)],
        ["build", "--db", str(db), "--exclude", "resource_type:unit_test"],
        ["publish", "--db", str(db)],
    ):
        done = subprocess.run([LEAD_FACTORY, *command], env=env, capture_output=True, text=True, check=False)
        assert done.returncode == 0, (command, done.stdout[-3000:] + done.stderr[-3000:])
        output = done.stdout if command[0] == "build" else output
    return HostileWarehouse(folder, db, landing, env, output)


@dataclass(frozen=True)
class ErasedPerson:
    """A person the demo asked to be erased: their records and what identified them, as landed."""

    person_id: str
    request_email: str
    record_ids: frozenset[str]
    emails: frozenset[str]
    """Every address their records used, lower-case."""
    phones: frozenset[str]
    """Their phone in E.164 and as each record wrote it (with 7 digits or more)."""
    names: frozenset[tuple[str, str]]
    """(first, last) as the truth has them."""


EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


def erased_people(warehouse: Warehouse) -> list[ErasedPerson]:
    """The demo's erased people, from the planted truth and the landed lines of their records."""
    requests = {
        row["person_id"]: row["email_normalised"]
        for row in warehouse.truth_rows("contact_events.csv")
        if row["event_type"] == "erasure_request"
    }
    people = []
    for person_id, email in sorted(requests.items()):
        records = [row for row in warehouse.truth_rows("records.csv") if row["person_id"] == person_id]
        emails, phones = {email.lower()}, set()
        for row in records:
            line = _landed_line(warehouse.landing / row["file_path"], int(row["line_number"]))
            emails.update(found.lower() for found in EMAIL.findall(line))
            if row["email"]:
                emails.add(row["email"].lower())
            if row["phone_e164"]:
                phones.add(row["phone_e164"])
        people.append(
            ErasedPerson(
                person_id,
                email,
                frozenset(row["record_id"] for row in records),
                frozenset(emails),
                frozenset(phones),
                frozenset((row["first_name"], row["last_name"]) for row in records if row["last_name"]),
            )
        )
    return people


def _landed_line(path: Path, line_number: int) -> str:
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        for number, line in enumerate(handle, start=1):
            if number == line_number:
                return line
    return ""


def tables_with_erased_data(db: Path, people: list[ErasedPerson]) -> list[str]:
    """Every table (and view) of a DuckDB file in which a row holds an erased person's address, phone
    or first and last name together, read through SQL over every column."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables order by all"
        ).fetchall()
        found = []
        terms = sorted({t for p in people for t in (*p.emails, *p.phones)})
        pairs = sorted({n for p in people for n in p.names})
        for schema, table in tables:
            row = f'lower(t::varchar) from "{schema}"."{table}" as t'
            hits = con.execute(
                f"select count(*) from (select {row}) as r(v) "
                "where len(list_filter(?::varchar[], lambda x: contains(v, lower(x)))) > 0 "
                "or len(list_filter(?::varchar[][], lambda n: contains(v, lower(n[1])) "
                "and contains(v, lower(n[2])))) > 0",
                [terms, [list(p) for p in pairs]],
            ).fetchall()[0][0]
            if hits:
                found.append(f"{schema}.{table}")
        return found
    finally:
        con.close()


def files_with_erased_bytes(folder: Path, people: list[ErasedPerson]) -> list[str]:
    """Every file under folder whose bytes hold an erased person's address or phone as written."""
    terms = [t.encode() for p in people for t in (*p.emails, *p.phones)]
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes().lower()
        found += [f"{path.name}: {term.decode()}" for term in terms if term.lower() in data]
    return found
