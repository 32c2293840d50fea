"""Scoring the rules against a labelled JSON Lines file (``crawler rules eval``, the quality gate).

A labelled line is ``{"id", "title", "text", "lang"?, "rubric": name or null, "acceptable": [names]?}``:
``rubric`` is the rubric the bulletin would use (null: not for the bulletin); ``acceptable`` lists other
rubrics a monitor would also accept as the suggestion.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.errors import UsageError
from crawler.rules.engine import RuleSet

NONE = "—"  # the "not for the bulletin" label in tables


@dataclass
class Labelled:
    id: Any
    title: str
    text: str
    lang: str | None
    rubric: str | None
    acceptable: frozenset[str]


@dataclass
class Evaluation:
    rubrics: list[str]
    per_rubric: dict[str, dict[str, float]] = field(default_factory=dict)
    relevant: dict[str, float] = field(default_factory=dict)
    top_rubric_accuracy: float = 0.0
    confusion: Counter = field(default_factory=Counter)  # (gold, predicted) -> count
    errors: list[dict[str, Any]] = field(default_factory=list)
    items: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "relevant": self.relevant,
            "top_rubric_accuracy": self.top_rubric_accuracy,
            "per_rubric": self.per_rubric,
            "confusion": [
                {"gold": g, "predicted": p, "count": n} for (g, p), n in sorted(self.confusion.items())
            ],
            "errors": self.errors,
        }

    def report(self, *, show_errors: bool = False) -> str:
        lines = [f"{self.items} labelled items", ""]
        lines.append(f"{'rubric':<58} {'P':>5} {'R':>5} {'F1':>5} {'gold':>5} {'pred':>5}")
        for name in self.rubrics:
            m = self.per_rubric[name]
            lines.append(
                f"{name[:58]:<58} {m['precision']:5.2f} {m['recall']:5.2f} {m['f1']:5.2f} "
                f"{int(m['gold']):5d} {int(m['predicted']):5d}"
            )
        r = self.relevant
        lines += [
            "",
            f"relevant vs not: precision {r['precision']:.3f}  recall {r['recall']:.3f}  F1 {r['f1']:.3f}"
            f"  (gold {int(r['gold'])}, predicted {int(r['predicted'])})",
            f"top rubric acceptable on {self.top_rubric_accuracy:.3f} of the relevant items found",
            "",
            "confusion (rows: gold, columns: predicted; numbers are bulletin order, — is not relevant)",
        ]
        labels = [*self.rubrics, NONE]
        short = {name: str(i) for i, name in enumerate(self.rubrics, 1)} | {NONE: NONE}
        lines.append("      " + "".join(f"{short[p]:>4}" for p in labels))
        for g in labels:
            row = [self.confusion.get((g, p), 0) for p in labels]
            if not any(row):
                continue
            lines.append(f"{short[g]:>4}  " + "".join(f"{n or '.':>4}" for n in row))
        lines.append("")
        lines += [f"{short[name]:>4} = {name}" for name in self.rubrics]
        if show_errors and self.errors:
            lines += ["", "wrong suggestions:"]
            for e in self.errors:
                lines.append(
                    f"  {e['id']}: gold {e['gold'] or NONE} → {e['predicted'] or NONE}"
                    f" ({e['score']})  {e['title'][:70]}"
                )
        return "\n".join(lines)


def read_labelled(path: str | Path) -> list[Labelled]:
    """The labelled items of a JSON Lines file; a bad line raises UsageError naming it."""
    items = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path}: {exc}") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{path}:{number}: not valid JSON ({exc.msg})") from exc
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str) or "rubric" not in obj:
            raise UsageError(f'{path}:{number}: needs "text" and "rubric" (null when not relevant)')
        rubric = obj["rubric"] or None
        items.append(
            Labelled(
                id=obj.get("id", number),
                title=obj.get("title") or "",
                text=obj["text"],
                lang=obj.get("lang"),
                rubric=rubric,
                acceptable=frozenset([rubric] if rubric else []) | frozenset(obj.get("acceptable") or []),
            )
        )
    return items


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4)}


def evaluate(rules: RuleSet, items: list[Labelled]) -> Evaluation:
    """Precision/recall per rubric and relevant-vs-not, the confusion table and the wrong suggestions."""
    unknown = {i.rubric for i in items if i.rubric and i.rubric not in rules.rubrics}
    if unknown:
        raise UsageError(f"labelled rubric not in the rules: {sorted(unknown)[0]!r}")
    ev = Evaluation(rubrics=list(rules.rubrics), items=len(items))
    tp: Counter = Counter()
    fp: Counter = Counter()
    fn: Counter = Counter()
    gold_n: Counter = Counter()
    pred_n: Counter = Counter()
    rel = Counter()
    found = acceptable = 0
    for item in items:
        result = rules.classify(item.title, item.text, item.lang)
        pred = result.rubric
        ev.confusion[(item.rubric or NONE, pred or NONE)] += 1
        if item.rubric:
            gold_n[item.rubric] += 1
        if pred:
            pred_n[pred] += 1
            if pred in item.acceptable:
                tp[pred] += 1
            else:
                fp[pred] += 1
        if item.rubric and pred not in item.acceptable:
            fn[item.rubric] += 1
        rel["tp"] += bool(item.rubric and pred)
        rel["fp"] += bool(pred and not item.rubric)
        rel["fn"] += bool(item.rubric and not pred)
        if item.rubric and pred:
            found += 1
            acceptable += pred in item.acceptable
        if (pred or None) != item.rubric and pred not in item.acceptable:
            ev.errors.append(
                {
                    "id": item.id,
                    "gold": item.rubric,
                    "predicted": pred,
                    "score": result.score,
                    "title": item.title,
                }
            )
    for name in ev.rubrics:
        ev.per_rubric[name] = _prf(tp[name], fp[name], fn[name]) | {
            "gold": gold_n[name],
            "predicted": pred_n[name],
        }
    ev.relevant = _prf(rel["tp"], rel["fp"], rel["fn"]) | {
        "gold": sum(1 for i in items if i.rubric),
        "predicted": sum(pred_n.values()),
    }
    ev.top_rubric_accuracy = round(acceptable / found, 4) if found else 1.0
    return ev
