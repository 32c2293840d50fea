"""The README documents every command, and every command answers --help (docs and code in step)."""

import argparse
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.cli import build_parser, main
from crawler.store import open_db

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                path = (*prefix, name)
                nested = [a for a in sub._actions if isinstance(a, argparse._SubParsersAction)]
                if nested:
                    yield from commands(sub, path)
                else:
                    yield path


ALL = sorted(commands(build_parser()))


def test_the_design_commands_exist() -> None:
    names = {" ".join(path) for path in ALL}
    assert {"run", "queue list", "queue approve", "queue reject", "queue edit", "classify", "rules check",
            "rules eval", "export", "status", "doctor", "schedule", "backup"} <= names  # fmt: skip


@pytest.mark.parametrize("path", ALL, ids=[" ".join(p) for p in ALL])
def test_every_command_is_in_the_readme(path: tuple[str, ...]) -> None:
    assert f"crawler {' '.join(path)}" in README


@pytest.mark.parametrize("path", ALL, ids=[" ".join(p) for p in ALL])
def test_every_command_has_help(path: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main([*path, "--help"])
    assert done.value.code == 0
    assert "usage: crawler" in capsys.readouterr().out


def test_a_usage_mistake_is_one_line_without_traceback(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    open_db(tmp_path / "x.db")
    code = main(["--db", str(tmp_path / "x.db"), "queue", "list", "--status", "pending"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip().splitlines() == [
        "crawler: error: unknown status 'pending': use one of candidate, ignored, approved, rejected, exported or all"
    ]
