"""The quality gate: the development set is scored on every run; a drop below the pinned floors fails."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from crawler.rules import evaluate, load_rules, read_labelled

ROOT = Path(__file__).resolve().parent.parent
FLOORS = yaml.safe_load((ROOT / "tests/data/quality_floors.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def evaluation():
    return evaluate(load_rules(ROOT / "rules"), read_labelled(ROOT / "tests/data/dev.jsonl"))


def test_dev_set_is_big_and_covers_every_rubric() -> None:
    items = read_labelled(ROOT / "tests/data/dev.jsonl")
    rubrics = load_rules(ROOT / "rules").rubrics
    assert len(items) >= 150
    assert sum(1 for i in items if i.lang == "kk") >= 10
    assert {i.rubric for i in items if i.rubric} == set(rubrics)
    assert sum(1 for i in items if str(i.id).startswith("sample-")) == 9


def test_relevant_vs_not(evaluation) -> None:
    report = evaluation.report(show_errors=True)
    assert evaluation.relevant["precision"] >= FLOORS["relevant_precision"], report
    assert evaluation.relevant["recall"] >= FLOORS["relevant_recall"], report


def test_top_rubric(evaluation) -> None:
    assert evaluation.top_rubric_accuracy >= FLOORS["top_rubric_accuracy"], evaluation.report(show_errors=True)


@pytest.mark.parametrize("measure", ["precision", "recall"])
def test_per_rubric(evaluation, measure: str) -> None:
    floor = FLOORS[f"per_rubric_{measure}"]
    low = {name: m[measure] for name, m in evaluation.per_rubric.items() if m[measure] < floor}
    assert not low, f"{measure} below {floor}: {low}\n{evaluation.report(show_errors=True)}"


# --- the second gate: the blind hold-out set ------------------------------------------------------

HOLDOUT = FLOORS["holdout"]


@pytest.fixture(scope="module")
def holdout():
    return evaluate(load_rules(ROOT / "rules"), read_labelled(ROOT / "tests/data/holdout.jsonl"))


def test_holdout_is_intact() -> None:
    items = read_labelled(ROOT / "tests/data/holdout.jsonl")
    assert len(items) == 140
    assert sum(1 for i in items if i.rubric) == 80


def test_holdout_relevant_vs_not(holdout) -> None:
    report = holdout.report(show_errors=True)
    assert holdout.relevant["precision"] >= HOLDOUT["relevant_precision"], report
    assert holdout.relevant["recall"] >= HOLDOUT["relevant_recall"], report


def test_holdout_top_rubric(holdout) -> None:
    assert holdout.top_rubric_accuracy >= HOLDOUT["top_rubric_accuracy"], holdout.report(show_errors=True)
