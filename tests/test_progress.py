"""Long commands show a progress bar on a terminal, and nothing of it in a pipe, a log or with --json."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from tests.conftest import LEAKY_ENV, ROOT


def run_on_terminal(db: Path, *args: str) -> tuple[int, str]:
    """``crawler --db DB ARGS`` with stderr on a pseudo-terminal (as a person at a shell sees it)."""
    main, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))  # a 120-column window
    environ = {key: value for key, value in os.environ.items() if key not in LEAKY_ENV}
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler", "--db", str(db), *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=secondary,
        cwd=ROOT,
        env={**environ, "PYTHONPATH": str(ROOT)},
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the terminal closed: the process ended
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    return process.wait(timeout=180), b"".join(chunks).decode("utf-8", "replace")


def run_piped(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environ = {key: value for key, value in os.environ.items() if key not in LEAKY_ENV}
    return subprocess.run(
        [sys.executable, "-m", "crawler", "--db", str(db), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**environ, "PYTHONPATH": str(ROOT)},
        timeout=180,
        check=False,
    )


@pytest.mark.slow
def test_run_rules_apply_and_backup_show_bars_on_a_terminal_only(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    code, shown = run_on_terminal(db, "run", "--replay", "--outlet", "bureau")
    assert code == 0, shown[-2000:]
    assert "bureau" in shown and "page" in shown and "new=" in shown  # the bar, with its counts
    assert "\r" in shown  # redrawn in place
    code, shown = run_on_terminal(db, "rules", "apply")
    assert code == 0 and "rules apply" in shown and "article" in shown, shown[-2000:]
    code, shown = run_on_terminal(db, "backup", str(tmp_path / "b1.db"))
    assert code == 0 and "backup:" in shown, shown[-2000:]

    quiet = (["rules", "apply"], ["backup", str(tmp_path / "b2.db")], ["backup", "--json", str(tmp_path / "b3.db")])
    for args in quiet:
        piped = run_piped(db, *args)
        assert piped.returncode == 0, piped.stderr
        assert "\r" not in piped.stderr and "it/s" not in piped.stderr and "backup:" not in piped.stderr
    again = run_piped(db, "run", "--replay", "--outlet", "bureau", "--json")
    assert again.returncode == 0 and "new=" not in again.stderr and "\r" not in again.stderr
