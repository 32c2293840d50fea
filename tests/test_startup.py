"""Commands that crawl nothing start without Scrapy and the other heavy libraries (their import alone
took most of `crawler --help`'s half second). Speed itself is measured by `make bench`, not here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.store import open_db
from tests.conftest import ROOT

HEAVY = ("scrapy", "twisted", "trafilatura", "lxml", "flask", "docx", "langdetect", "numpy", "apprise", "tqdm")
PROBE = """
import json, sys
from crawler.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
loaded = sorted({name.split(".")[0] for name in sys.modules} & set(json.loads(HEAVY)))
print(json.dumps({"code": code, "loaded": loaded}), file=sys.stderr)
"""


@pytest.mark.parametrize(
    "args", [["--help"], ["--version"], ["status"], ["status", "--json"], ["queue", "list"], ["rules", "check"]]
)
def test_commands_that_do_not_crawl_import_no_heavy_library(tmp_path: Path, args: list[str]) -> None:
    db = tmp_path / "startup.db"
    open_db(db)  # a command that only reads creates no database
    result = subprocess.run(
        [sys.executable, "-c", PROBE.replace("HEAVY", repr(json.dumps(HEAVY))), "--db", str(db), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    report = json.loads(result.stderr.strip().splitlines()[-1])
    assert report["code"] in (0, 1), result.stderr  # status exits 1 on an empty store (no outlet healthy yet)
    assert report["loaded"] == [], f"crawler {' '.join(args)} imported {report['loaded']}"


@pytest.mark.parametrize("args", [["--help"], ["status"], ["status", "--json"]])
def test_help_and_status_do_not_even_import_sqlite_utils(tmp_path: Path, args: list[str]) -> None:
    db = tmp_path / "startup.db"
    open_db(db)  # a current schema: status reads it without sqlite-utils
    probe = PROBE.replace("HEAVY", repr(json.dumps(["sqlite_utils", *HEAVY])))
    result = subprocess.run(
        [sys.executable, "-c", probe, "--db", str(db), *args], capture_output=True, text=True, cwd=ROOT, check=False
    )
    report = json.loads(result.stderr.strip().splitlines()[-1])
    assert report["code"] in (0, 1) and report["loaded"] == [], result.stderr


def test_outlet_names_read_without_importing_equal_the_spider_registry() -> None:
    from crawler.outlets import load_outlets, outlet_names

    assert outlet_names() == list(load_outlets())
