"""Deterministic demo and benchmark data: landing files with planted mess, and the truth behind them.

``generate(out, size, seed, as_of)`` writes ``out/landing/...`` (files following
``lead_factory.landing.kinds``) and ``out/truth/...``:

- ``records.csv``: one row per loadable lead record and per CRM contact, with the record id the factory
  computes, where the row is (file, line), the true person, company and account, the person's clean
  values and the defect codes planted in the row;
- ``defects.csv``: one row per planted defect (record_id, field, defect);
- ``rejects.csv``: the rows the loader must reject (file_path, line_number, reason);
- ``companies.csv``: every company of the world, its CRM account and whether the directory lists it;
- ``contact_events.csv``: the events of ``landing/events/`` (bounces, unsubscribes, erasure requests)
  with their normalised address, person and records (see ``events.py``);
- ``steward_fixes.csv``: the rows of the steward fix file and what the factory must make of each
  (see ``stewardship.py``);
- ``summary.json``: parameters and counts.

The steward fix file is written outside the landing folder, to ``out/stewardship/fixes_<as_of>.csv``:
it is landed only on request (copied to ``landing/fixes/``).

Same seed, size and as-of date give byte-identical files, whatever the number of worker processes:
``random.Random(seed)`` builds the world and plans every record in a fixed order, then each landing
file is written with a generator seeded from the seed and the file's path; no wall-clock time is read.

Defect codes besides those of the brief: ``name_typo`` (a slip in a name, mostly in repeat records)
and ``ascii_folded`` (José written Jose, Müller written Mueller or Muller).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import random
import shutil
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from lead_factory.demo.events import plan_contact_events, write_contact_events
from lead_factory.demo.mess import HOSTILE_KINDS
from lead_factory.demo.pools import below
from lead_factory.demo.reviews import read_records, write_gold_labels, write_reviews
from lead_factory.demo.sources import DAY, Job, JobResult, JobWriter, Slot, plan_jobs
from lead_factory.demo.stewardship import write_steward_fixes
from lead_factory.demo.truth import TruthPart, write_summary, write_truth
from lead_factory.demo.world import Person, World

DEFAULT_AS_OF = date(2026, 11, 1)
WINDOW_DAYS = 91  # inbound records span the 13 weeks before the as-of date
SOURCE_SHARES = (("form", 0.60), ("upload", 0.85), ("crm_lead", 1.0))  # cumulative
REPEAT_SHARE = 0.22  # records of a person who already has a record
REPEAT_OF_CONTACT = 0.3  # of repeat records, the share that repeats a CRM contact
CONTACTS_SEEN = 0.8  # share of CRM contacts that show up as leads at least once
# Job kinds whose landing kind (lead_factory.landing.kinds) has another name.
KIND_NAMES = {"forms": "form_submissions", "directory": "firmographics"}


def plan_inbound(world: World, size: int, start: int) -> list[Slot]:
    """``size`` inbound records in time order: source, person, repeat flag and hostile value."""
    rng = world.rng
    times = sorted(start + int(rng.random() * WINDOW_DAYS * DAY) for _ in range(size))
    contacts = list(world.contacts)
    rng.shuffle(contacts)
    contact_share = CONTACTS_SEEN * len(contacts) / max(1.0, (1 - REPEAT_SHARE) * size)
    seen_leads: list[Person] = []
    seen_contacts: list[Person] = []
    slots: list[Slot] = []
    for at in times:
        r = rng.random()
        source = next(name for name, cum in SOURCE_SHARES if r < cum)
        repeat = bool(seen_leads) and rng.random() < REPEAT_SHARE
        if repeat:
            pool = seen_contacts if seen_contacts and rng.random() < REPEAT_OF_CONTACT else seen_leads
            person = pool[below(rng, len(pool))]
        elif contacts and rng.random() < contact_share:
            person = contacts.pop()
            seen_contacts.append(person)
        else:
            person = world.new_lead_person()
            seen_leads.append(person)
        slots.append(Slot(at, source, person, repeat))
    for i, index in enumerate(rng.sample(range(size), min(size, max(len(HOSTILE_KINDS), size // 2000)))):
        slots[index].hostile = HOSTILE_KINDS[i % len(HOSTILE_KINDS)]
    return slots


def generate(
    out: Path, size: int = 10_000, seed: int = 42, as_of: date = DEFAULT_AS_OF, workers: int | None = None
) -> dict[str, Any]:
    """Write landing files and truth for ``size`` inbound lead records under ``out``; returns the summary.

    ``workers`` processes write the files (default: up to 2 CPUs); the output does not depend on it.
    """
    if size < 100:
        raise ValueError("size must be at least 100")
    landing, truth_dir, stewardship = out / "landing", out / "truth", out / "stewardship"
    for folder in (landing, truth_dir, stewardship):
        shutil.rmtree(folder, ignore_errors=True)
    # Millions of small objects without reference cycles: the cyclic garbage collector would only
    # re-scan them over and over (a quarter of the run time at a million records).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _generate(out, size, seed, as_of, workers or min(2, os.cpu_count() or 1))
    finally:
        if gc_was_enabled:
            gc.enable()


# What forked workers need, set by the main process just before it forks them.
_SHARED: tuple[World, list[Job], int, Path, Path, int, frozenset[str]] | None = None


def _write_job(index: int) -> JobResult:
    assert _SHARED is not None
    world, jobs, seed, landing, part_dir, as_of, watched_emails = _SHARED
    part = TruthPart(part_dir, f"{index:03d}", watched_emails)
    return JobWriter(world, jobs[index], seed, landing, part, as_of).run()


def _write_jobs(count: int, workers: int) -> list[JobResult]:
    """Write every job, biggest first, in ``workers`` forked processes; results in job order."""
    assert _SHARED is not None
    jobs = _SHARED[1]
    order = sorted(range(count), key=lambda i: -len(jobs[i].slots))
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            results = dict(zip(order, pool.imap(_write_job, order), strict=True))
    else:
        results = {i: _write_job(i) for i in order}
    return [results[i] for i in range(count)]


def _generate(out: Path, size: int, seed: int, as_of: date, workers: int) -> dict[str, Any]:
    global _SHARED
    landing, truth_dir = out / "landing", out / "truth"
    rng = random.Random(seed)
    as_of_at = datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC)
    start = int((as_of_at - timedelta(days=WINDOW_DAYS)).timestamp())
    world = World(rng, size)
    slots = plan_inbound(world, size, start)
    jobs = plan_jobs(rng, slots, start, WINDOW_DAYS * DAY)
    per_person = Counter(slot.person.person_id for slot in slots)
    per_person.update(person.person_id for person in world.contacts)
    events = plan_contact_events(world.people, seed, size, per_person)  # with a generator of its own
    part_dir = truth_dir / "parts"
    part_dir.mkdir(parents=True)
    _SHARED = (world, jobs, seed, landing, part_dir, int(as_of_at.timestamp()), events.watched)
    try:
        results = _write_jobs(len(jobs), workers)
    finally:
        _SHARED = None

    rows: Counter[str] = Counter()
    bad_rows: Counter[str] = Counter()
    defects: Counter[str] = Counter()
    records: Counter[str] = Counter()
    for result in results:
        rows[KIND_NAMES.get(result.kind, result.kind)] += result.rows
        bad_rows[KIND_NAMES.get(result.kind, result.kind)] += result.bad_rows
        defects.update(result.defect_counts)
        records.update(result.record_counts)
    listed = set[str]().union(*(r.listed for r in results))
    summary: dict[str, Any] = {
        "parameters": {"seed": seed, "size": size, "as_of": as_of.isoformat()},
        "files": {r.path: {"rows": r.rows, "bad_rows": r.bad_rows} for r in results},
        "rows_per_kind": dict(rows),
        "bad_rows_per_kind": dict(bad_rows),
        "truth_records": dict(records),
        "defects": dict(defects),
        "world": {
            "companies": len(world.companies),
            "crm_accounts": len(world.accounts),
            "crm_contacts": len(world.contacts),
            "persons": len(world.people),
            "inbound_records": size,
            "repeat_records": sum(s.repeat for s in slots),
            "existing_contact_records": sum(bool(s.person.contact_id) for s in slots),
            "directory_companies": len(listed),
        },
    }
    rejects = [reject for r in results for reject in r.rejects]
    write_truth(truth_dir, [r.truth_paths for r in results], rejects, world.companies, listed, summary)
    part_dir.rmdir()
    records_truth = read_records(truth_dir)
    reviews_file, decisions = write_reviews(landing, records_truth, seed, size, as_of)
    summary["files"][reviews_file] = {"rows": decisions, "bad_rows": 0}
    summary["rows_per_kind"]["match_decisions"] = decisions
    labels_file, labels = write_gold_labels(landing, records_truth)
    summary["files"][labels_file] = {"rows": labels, "bad_rows": 0}
    summary["rows_per_kind"]["gold_labels"] = labels
    del records_truth
    hits = [hit for r in results for hit in r.email_hits]
    events_file, per_type = write_contact_events(landing, truth_dir, events, hits, seed, as_of)
    summary["files"][events_file] = {"rows": per_type.total(), "bad_rows": 0}
    summary["rows_per_kind"]["contact_events"] = per_type.total()
    summary["contact_events_per_type"] = dict(sorted(per_type.items()))
    fixable = [record for r in results for record in r.fixable]
    fixes_name, per_outcome = write_steward_fixes(out / "stewardship", truth_dir, fixable, seed, size, as_of)
    # Not in landing/: the fix file lands only on request, as fixes/<name> under the landing folder.
    summary["stewardship"] = {
        "files": {
            f"stewardship/{fixes_name}": {
                "rows": per_outcome.total(),
                "bad_rows": 0,
                "lands_as": f"fixes/{fixes_name}",
            }
        },
        "rows_per_kind": {"steward_fixes": per_outcome.total()},
        "fixes_per_outcome": dict(sorted(per_outcome.items())),
    }
    write_summary(truth_dir, summary)
    return summary
