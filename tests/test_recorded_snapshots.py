"""The golden checks over every recorded snapshot the suite can find.

Drop a recording (`crawler snapshot record DIR`, then `crawler snapshot check DIR` by a person) into
``tests/snapshots/<name>/``, or point ``CRAWLER_RECORDED_SNAPSHOTS`` at recordings kept elsewhere
(folders separated by ``:``; each a recording or a folder of recordings): ``make test`` replays each one
and checks that every outlet stored an article and that every article has a title, a date, a body of at
least 200 characters and no line of page chrome. With none present, the same check runs on a tiny
recording made here, and is shown to catch a broken one.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping
from pathlib import Path

import pytest
import yaml

from crawler.snapshot_check import MIN_TEXT
from tests.conftest import run_crawler as crawler

ROOT = Path(__file__).resolve().parent
KEPT = ROOT / "snapshots"  # tests/snapshots/<name>/: recordings kept in the repository
ENV = "CRAWLER_RECORDED_SNAPSHOTS"
TINY = "tiny recording made by this test"


def is_snapshot(folder: Path) -> bool:
    return folder.is_dir() and any(folder.glob("*/routes.yml"))


def recorded_snapshots(kept: Path = KEPT, environ: Mapping[str, str] | None = None) -> list[Path]:
    """Every recording under ``kept`` and in ``$CRAWLER_RECORDED_SNAPSHOTS``, each once, sorted."""
    environ = os.environ if environ is None else environ
    roots = [kept, *(Path(part) for part in environ.get(ENV, "").split(os.pathsep) if part.strip())]
    found: list[Path] = []
    for root in roots:
        if is_snapshot(root):
            found.append(root)
        elif root.is_dir():
            found.extend(child for child in sorted(root.iterdir()) if is_snapshot(child))
        elif root != kept:
            raise AssertionError(f"{ENV}: {root} is not a folder")  # a typo must not pass as "nothing to check"
    return sorted(dict.fromkeys(path.resolve() for path in found))


def golden_problems(folder: Path, tmp_path: Path) -> list[str]:
    """Replay ``folder`` with `crawler snapshot check --json` and list what fails the golden checks."""
    result = crawler(tmp_path / "unused.db", "snapshot", "check", str(folder), "--json", timeout=600)
    assert result.returncode in (0, 1), result.stderr[-3000:]
    problems = []
    for outlet, block in json.loads(result.stdout).items():
        if not block["stored"]:
            problems.append(f"{outlet}: stored no article")
        for article in block["articles"]:
            found = list(article["problems"])
            if article["skip_reason"]:
                problems.extend(f"{outlet}: {article['url']}: {problem}" for problem in found)
                continue
            if not article["title"] and "no title" not in found:
                found.append("no title")
            if not article["published"] and "no date" not in found:
                found.append("no date")
            if article["chars"] < MIN_TEXT and not any(p.startswith("text only") for p in found):
                found.append(f"text only {article['chars']} characters")
            problems.extend(f"{outlet}: {article['url']}: {problem}" for problem in found)
    return problems


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One outlet recorded from the bundled snapshot (as an ops person records a live one)."""
    folder = tmp_path_factory.mktemp("tiny") / "bureau-recording"
    made = crawler(folder.parent / "unused.db", "snapshot", "record", str(folder), "--replay", "--outlet", "bureau")
    assert made.returncode == 0, made.stderr[-3000:]
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("name", [TINY, *(str(path) for path in recorded_snapshots())])
def test_a_recorded_snapshot_passes_the_golden_checks(name: str, tiny: Path, tmp_path: Path) -> None:
    folder = tiny if name == TINY else Path(name)
    assert golden_problems(folder, tmp_path) == []


@pytest.mark.slow
def test_the_golden_checks_catch_page_chrome_and_a_teaser(tiny: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(tiny, broken)
    entries = yaml.safe_load((broken / "bureau" / "routes.yml").read_text("utf-8"))
    files = {entry["url"]: entry.get("file") for entry in entries}
    chrome = broken / "bureau" / files["https://bureau.kz/novosti/podslushannye-razgovory/"]
    page = chrome.read_text("utf-8")
    assert page.count('<div class="entry-content">') == 1
    chrome.write_text(
        page.replace('<div class="entry-content">', '<div class="entry-content"><p>Читайте также: Новости дня</p>'),
        "utf-8",
    )
    teaser = broken / "bureau" / files["https://bureau.kz/novosti/naczczentr-nanosit-otvetnyj-udar/"]
    head, _, _body = teaser.read_text("utf-8").partition('<div class="entry-content">')
    teaser.write_text(f'{head}<div class="entry-content"><p>Коротко.</p></div></body></html>', "utf-8")
    problems = golden_problems(broken, tmp_path)
    assert any("podslushannye-razgovory" in p and "chrome line" in p and "Читайте также" in p for p in problems)
    assert any("naczczentr-nanosit-otvetnyj-udar" in p and "skipped: too short" in p for p in problems)
    assert len(problems) == 2, problems  # and nothing else: the rest of the recording still passes


def test_recordings_are_found_in_tests_snapshots_and_the_environment(tmp_path: Path) -> None:
    kept, elsewhere, single = tmp_path / "kept", tmp_path / "elsewhere", tmp_path / "single"
    for folder in (kept / "2026-12-01", elsewhere / "a", elsewhere / "b", single):
        (folder / "bureau").mkdir(parents=True)
        (folder / "bureau" / "routes.yml").write_text("[]\n", "utf-8")
    (kept / "README.md").write_text("not a recording", "utf-8")
    (elsewhere / "notes").mkdir()
    environ = {ENV: os.pathsep.join([str(elsewhere), str(single)])}
    found = recorded_snapshots(kept, environ)
    assert found == sorted(p.resolve() for p in (kept / "2026-12-01", elsewhere / "a", elsewhere / "b", single))
    assert recorded_snapshots(tmp_path / "none", {}) == []
    with pytest.raises(AssertionError, match="is not a folder"):
        recorded_snapshots(kept, {ENV: str(tmp_path / "typo")})
