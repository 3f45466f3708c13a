"""One writer at a time: a second command on a warehouse in use waits for the first with a
message, or with --no-wait exits at once naming it; a lock left by a killed run is taken over."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from support import LEAD_FACTORY

from lead_factory.writer_lock import EXIT_BUSY, lock_path

HOLD = """
import sys, time
from pathlib import Path
from lead_factory.writer_lock import writer_lock
with writer_lock(Path(sys.argv[1]), "build"):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
    Path(sys.argv[3]).write_text("released")
"""


def hold(db: Path, seconds: float, marker: Path) -> subprocess.Popen[str]:
    """A process holding the warehouse's lock for some seconds, as a running build would."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db), str(seconds), str(marker)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def land(db: Path, landing: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LEAD_FACTORY_DB": str(db)}
    command = [LEAD_FACTORY, "land", "--landing-dir", str(landing), "--db", str(db), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False, timeout=120)


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    folder = tmp_path / "landing"
    folder.mkdir()
    return folder


def test_a_second_command_told_not_to_wait_exits_naming_the_holder(tmp_path: Path, landing: Path) -> None:
    db = tmp_path / "warehouse.duckdb"
    holder = hold(db, 60, tmp_path / "released")
    try:
        result = land(db, landing, "--no-wait")
        assert result.returncode == EXIT_BUSY, result.stderr
        assert f"is in use by `lead-factory build` (pid {holder.pid}" in result.stderr
        assert not db.exists()  # it did not touch the warehouse
    finally:
        holder.kill()
        holder.wait()


def test_a_second_command_waits_for_the_first_with_a_message(tmp_path: Path, landing: Path) -> None:
    db, released = tmp_path / "warehouse.duckdb", tmp_path / "released"
    holder = hold(db, 3, released)
    result = land(db, landing)
    holder.wait()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Waiting for `lead-factory build`" in result.stderr
    assert "it has finished; going on" in result.stderr
    assert released.exists()  # it went on only after the holder had let go


def test_a_lock_left_by_a_killed_run_is_taken_over(tmp_path: Path, landing: Path) -> None:
    db = tmp_path / "warehouse.duckdb"
    holder = hold(db, 60, tmp_path / "released")
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert lock_path(db).exists()
    result = land(db, landing, "--no-wait")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Waiting" not in result.stderr
