"""One writer at a time on a warehouse.

Every verb that opens the warehouse (the main job, the demo, landing, enrichment, dbt, publishing,
the docs and the summary) first takes an exclusive lock on ``<warehouse>.lock`` beside it. A
second one waits for the first with a message naming it (or, asked not to wait, exits at once
with status 75), so two runs never interleave. The lock is an advisory ``flock`` held by the open
file: the operating system releases it the moment its holder ends, killed included, so a lock
file left by a killed run is taken over by the next one without any clean-up; the file only
records who holds the lock, for the waiting message.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

LOCK_SUFFIX = ".lock"
EXIT_BUSY = 75
"""Exit status of a verb told not to wait for a busy warehouse (EX_TEMPFAIL: try again later)."""


class WarehouseBusy(Exception):
    """Another process holds the warehouse's lock and the caller would not wait."""


def lock_path(warehouse: Path) -> Path:
    """The lock file beside the warehouse."""
    return warehouse.with_name(warehouse.name + LOCK_SUFFIX)


def holder_of(path: Path) -> str:
    """Who holds (or last held) the lock at path, as words for a message."""
    try:
        holder = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        holder = {}
    if not holder:
        return "another process"
    return (
        f"`lead-factory {holder.get('verb', '?')}` (pid {holder.get('pid', '?')} on "
        f"{holder.get('host', '?')}, started {holder.get('started_at', '?')})"
    )


_HELD: list[int] = []
"""The file descriptors of the locks this process holds."""


def held_descriptors() -> tuple[int, ...]:
    """The descriptors of the locks this process holds, for the child processes it starts (dbt):
    a child given them keeps the lock held until it ends too, so a main job killed while its dbt
    build runs on does not let the next run in before that build is gone."""
    return tuple(_HELD)


@contextmanager
def writer_lock(
    warehouse: Path, verb: str, wait: bool = True, echo: Callable[[str], None] = print
) -> Iterator[None]:
    """Hold the warehouse's lock for the block. When another process holds it: wait for it (saying
    so through echo) or, with ``wait=False``, raise WarehouseBusy naming the holder."""
    path = lock_path(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+", encoding="utf-8") as handle:  # not inherited by child processes
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = holder_of(path)
            if not wait:
                raise WarehouseBusy(
                    f"{warehouse} is in use by {holder}; run again when it has finished "
                    "(without --no-wait, the command waits for it)"
                ) from None
            echo(f"Waiting for {holder} to finish with {warehouse} ...")
            fcntl.flock(handle, fcntl.LOCK_EX)
            echo("... it has finished; going on.")
        try:
            handle.seek(0)
            handle.truncate()
            started = datetime.now(UTC).isoformat(timespec="seconds")
            record = {"verb": verb, "pid": os.getpid(), "host": socket.gethostname(), "started_at": started}
            handle.write(json.dumps(record))
            handle.flush()
            _HELD.append(handle.fileno())
            yield
        finally:
            if handle.fileno() in _HELD:
                _HELD.remove(handle.fileno())
            fcntl.flock(handle, fcntl.LOCK_UN)
