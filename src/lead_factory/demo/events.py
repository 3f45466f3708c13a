"""Contact events for the demo: hard bounces, unsubscribes and erasure requests, drawn from the truth.

The email service provider reports hard bounces and unsubscribes, the privacy request portal
erasure requests; the demo writes them as ``landing/events/contact_events_<as_of>.csv``:

- hard bounces for a share of the records whose planted defect is ``email_typo`` (a misspelled
  address bounces), and for a few valid addresses (people who left their company);
- unsubscribes for about 1 % of the people, by one of their addresses (work or personal);
- erasure requests for a handful of people (at least two; more with the size).

The people are drawn before the landing files are written (``plan_contact_events``), so that the
jobs can report which records carry their addresses (``TruthPart.email_hits``) without the truth
being read back. ``truth/contact_events.csv`` gives each event's normalised address, its type, its
person and the records whose normalised email equals the address.

The file has the mess such feeds have: header aliases ("Email Address", "Event", "Timestamp"),
event types in mixed case, addresses upper-cased or with surrounding spaces.
"""

from __future__ import annotations

import csv
import io
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from lead_factory.demo.pools import below, pick
from lead_factory.demo.sources import DAY, iso
from lead_factory.demo.truth import EmailHit, email_key
from lead_factory.demo.world import Person

EVENT_TYPES = ("hard_bounce", "unsubscribe", "erasure_request")
# The file's header: aliases of the contact_events columns (lead_factory.landing.kinds).
HEADER = ("Event ID", "Email Address", "Event", "Timestamp", "Source", "Note")
TRUTH_COLUMNS = ("event_id", "email_normalised", "event_type", "person_id", "record_ids")
UNSUBSCRIBE_SHARE = 0.01  # of the people
TYPO_BOUNCE_SHARE = 0.6  # of the misspelled addresses
EVENT_WINDOW_DAYS = 30  # events happen in the 30 days before the as-of date
SOURCES = {
    "hard_bounce": "SendGrid",
    "unsubscribe": "SendGrid",
    "erasure_request": "Privacy request portal",
}
NOTES = {
    "hard_bounce": (
        "550 5.1.1 The email account that you tried to reach does not exist",
        "550 5.1.1 <{email}>: Recipient address rejected: User unknown",
        "554 5.4.4 Domain not found",
    ),
    "unsubscribe": (
        "unsubscribe link in the newsletter",
        "List-Unsubscribe header",
        "preference centre: all email",
    ),
    "erasure_request": ("GDPR Art. 17 request", "CCPA deletion request", "request by email to privacy@"),
}


@dataclass(frozen=True)
class ContactEventPlan:
    """The events about people, drawn before the files are written: (event type, address, person id)."""

    people_events: tuple[tuple[str, str, str], ...]

    @property
    def watched(self) -> frozenset[str]:
        """The addresses whose records the jobs report."""
        return frozenset(email for _, email, _ in self.people_events)


def plan_contact_events(
    people: list[Person], seed: int, size: int, records: Counter[str] | None = None
) -> ContactEventPlan:
    """Unsubscribes, erasure requests and bounces of valid addresses, for people of the world.

    ``records`` counts each person's records (inbound ones, and their CRM contact): erasure requests
    go to people with several records, CRM contacts first, so an erasure has to find every record of
    the person, whichever address each used."""
    rng = random.Random(f"{seed}:contact_events:people")
    unsubscribes = max(1, round(len(people) * UNSUBSCRIBE_SHARE))
    erasures = max(2, round(size / 3000))
    bounces = max(2, round(size / 2000))
    chosen = rng.sample(people, min(len(people), unsubscribes + erasures + bounces))
    records = records or Counter()
    taken = {p.person_id for p in chosen}
    many = sorted(
        (p for p in people if records[p.person_id] >= MIN_ERASED_RECORDS and p.person_id not in taken),
        key=lambda p: (not p.contact_id, -records[p.person_id], p.person_id),
    )
    erased = many[:erasures]
    events = []
    for i, person in enumerate(chosen):
        if i < unsubscribes:
            email = person.personal_email if rng.random() < 0.25 else person.email
            events.append(("unsubscribe", email_key(email), person.person_id))
        elif i < unsubscribes + erasures:
            subject = erased[i - unsubscribes] if i - unsubscribes < len(erased) else person
            events.append(("erasure_request", email_key(subject.email), subject.person_id))
        else:  # an address that no longer exists (the person left the company)
            events.append(("hard_bounce", email_key(person.email), person.person_id))
    return ContactEventPlan(tuple(events))


MIN_ERASED_RECORDS = 3
"""A person asked to be erased in the demo has at least this many records, when there are such people."""


def write_contact_events(
    landing: Path, truth_dir: Path, plan: ContactEventPlan, hits: list[EmailHit], seed: int, as_of: date
) -> tuple[str, Counter[str]]:
    """Write the events file and its truth; returns the file's path under the landing folder and the
    events per type. ``hits`` are the jobs' email hits, in job order."""
    rng = random.Random(f"{seed}:contact_events")
    records: dict[str, list[str]] = defaultdict(list)
    typo_persons: dict[str, str] = {}
    for email, record_id, person_id, typo in hits:
        records[email].append(record_id)
        if typo:
            typo_persons.setdefault(email, person_id)
    typos = list(typo_persons)  # in order of first appearance
    bounced = rng.sample(typos, round(len(typos) * TYPO_BOUNCE_SHARE))
    planned = [("hard_bounce", email, typo_persons[email]) for email in bounced]
    planned += plan.people_events
    end = int(datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC).timestamp())
    timed = sorted((end - 1 - below(rng, EVENT_WINDOW_DAYS * DAY), *event) for event in planned)

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    truth = []
    counts: Counter[str] = Counter()
    for number, (at, event_type, email, person_id) in enumerate(timed, start=1):
        event_id = f"E{number:06d}"
        written_email, written_type = email, event_type
        if number % 12 == 1:  # an address as a person typed it into a form
            written_email = pick(rng, (" {} ", "{} ", "\u00a0{}")).format(
                email.upper() if number % 24 == 1 else email
            )
        elif number % 12 == 7:
            written_email = email.title()
        if number % 10 == 2:
            written_type = pick(rng, (event_type.upper(), event_type.title(), f" {event_type.capitalize()}"))
        occurred = iso(at) + "Z" if number % 5 else iso(at, 60) + "+01:00"
        note = pick(rng, NOTES[event_type]).format(email=email)
        writer.writerow([event_id, written_email, written_type, occurred, SOURCES[event_type], note])
        truth.append((event_id, email, event_type, person_id, ";".join(sorted(records.get(email, ())))))
        counts[event_type] += 1
    relative = f"events/contact_events_{as_of}.csv"
    path = landing / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    with (truth_dir / "contact_events.csv").open("w", encoding="utf-8", newline="") as handle:
        truth_writer = csv.writer(handle, lineterminator="\n")
        truth_writer.writerow(TRUTH_COLUMNS)
        truth_writer.writerows(truth)
    return relative, counts
