"""Loading and validating rules/*.yml: shipped rules are clean, broken fixtures name file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.cli import main
from crawler.errors import RulesError
from crawler.rules import check_rules, load_rules

ROOT = Path(__file__).resolve().parent.parent
BROKEN = ROOT / "tests/data/rules_broken"

BULLETIN_ORDER = [
    "Прогресс?",
    "Политзаключенные",
    "Свобода слова",
    "Свобода совести",
    "Право на свободу объединения и на профессиональные союзы",
    "Право на свободу мирных собраний",
    "Право на справедливый суд",
    "Пытки",
    "Произвол силовиков",
    "NOTA BENE",
]


def test_shipped_rules_are_clean_and_in_bulletin_order() -> None:
    assert check_rules(ROOT / "rules") == []
    rules = load_rules(ROOT / "rules")
    assert rules.rubrics == BULLETIN_ORDER
    assert rules.term_count >= 300


def test_rules_check_command_passes_on_shipped_rules(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "check", str(ROOT / "rules")]) == 0
    assert "10 rubrics" in capsys.readouterr().out


BROKEN_CASES = {
    "unknown_key": ("01.yml:3:", "rubric «Пытки»: unknown key 'tems'"),
    "empty_terms": ("01.yml:3:", "empty 'terms' list"),
    "bad_wildcard": ("01.yml:5:", "bad wildcard in 'за*держ'"),
    "short_stem": ("01.yml:5:", "a stem needs at least 3 letters"),
    "duplicate_rubric": ("02.yml:1:", "duplicate rubric"),
    "order_clash": ("02.yml:1:", "order 1 clashes with rubric «Пытки»"),
    "bad_yaml": ("01.yml:4:", "not valid YAML"),
}


@pytest.mark.parametrize("case", sorted(BROKEN_CASES))
def test_broken_rules_name_file_and_line(case: str, capsys: pytest.CaptureFixture[str]) -> None:
    where, what = BROKEN_CASES[case]
    folder = BROKEN / case
    problems = check_rules(folder)
    assert any(where in p and what in p for p in problems), problems
    with pytest.raises(RulesError, match="rules_broken"):
        load_rules(folder)
    assert main(["rules", "check", str(folder)]) == 1
    assert what in capsys.readouterr().err


def test_every_broken_fixture_has_a_case() -> None:
    assert sorted(p.name for p in BROKEN.iterdir() if p.is_dir()) == sorted(BROKEN_CASES)


def _write(tmp_path: Path, body: str) -> Path:
    (tmp_path / "01.yml").write_text(body, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("rubric: A\norder: 1\nterms:\n  - пытк*: many\n", "weight must be a number"),
        ("rubric: A\norder: 1\nterms:\n  - near: [пытк*]\n", "at least two"),
        ("rubric: A\norder: 1\nterms:\n  - near: [пытк*, избиени*]\n    within: 0\n", "'within'"),
        ("rubric: A\norder: 1\nterms:\n  - none: [пытк*]\n", "only 'none'"),
        ("rubric: A\norder: 1\nterms:\n  - term: пытк*\n    wieght: 2\n", "unknown key 'wieght'"),
        ("rubric: A\norder: zero\nterms:\n  - пытк*\n", "'order' must be"),
        ("rubric: A\norder: 1\nlang: de\nterms:\n  - пытк*\n", "lang must be"),
        ("rubric: A\norder: 1\nterms:\n  - yes\n", "put it in quotes"),
        ("rubric: A\norder: 1\nterms:\n  - пытк*\n  - пытк*\nexclude: пытк*\n", "'exclude' must be a list"),
    ],
)
def test_validation_messages(tmp_path: Path, body: str, message: str) -> None:
    problems = check_rules(_write(tmp_path, body))
    assert problems and message in problems[0], problems
    assert "01.yml:" in problems[0]


def test_yaml_is_loaded_safely(tmp_path: Path) -> None:
    body = "rubric: A\norder: 1\nterms:\n  - !!python/object/apply:os.system ['true']\n"
    problems = check_rules(_write(tmp_path, body))
    assert problems and "not valid YAML" in problems[0]
