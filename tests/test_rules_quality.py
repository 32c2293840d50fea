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


# --- the held-out gates: sets written blind by people outside the team --------------------------------

HELD_OUT = {"holdout": (140, 80), "blind2": (120, 70)}  # file stem: (items, relevant ones)


@pytest.fixture(scope="module", params=sorted(HELD_OUT))
def held_out(request: pytest.FixtureRequest):
    name = request.param
    items = read_labelled(ROOT / f"tests/data/{name}.jsonl")
    assert (len(items), sum(1 for i in items if i.rubric)) == HELD_OUT[name], f"{name} changed"
    return name, evaluate(load_rules(ROOT / "rules"), items)


def test_held_out_relevant_vs_not(held_out) -> None:
    name, result = held_out
    floors = FLOORS[name]
    report = result.report(show_errors=True)
    assert result.relevant["precision"] >= floors["relevant_precision"], report
    assert result.relevant["recall"] >= floors["relevant_recall"], report


def test_held_out_top_rubric(held_out) -> None:
    name, result = held_out
    assert result.top_rubric_accuracy >= FLOORS[name]["top_rubric_accuracy"], result.report(show_errors=True)
