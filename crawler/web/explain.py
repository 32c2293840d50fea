"""Why an article was suggested, in words: its matched terms grouped by rubric (the rubric the rules
scored highest first), the strongest terms first (title hits, then most occurrences), rule syntax
turned into plain Russian: «подписал* ~3 закон*» → «подписал… рядом с закон…»."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

TERMS_PER_RUBRIC = 4  # the strongest few; the rest are counted, not listed (no wall of 50 chips)
RUBRICS_SHOWN = 3


@dataclass
class Term:
    words: str
    count: int = 0
    in_title: bool = False


@dataclass
class Reason:
    rubric: str
    colour: int  # the rubric's place in bulletin order: its colour class rcN
    terms: list[Term] = field(default_factory=list)
    more: int = 0


def in_words(term: str) -> str:
    """A rule term as a monitor reads it: ``*`` is «…», ``~N`` is «рядом с», quotes dropped."""
    text = term.replace('"', "").replace("*", "…")
    text = re.sub(r"\s*~\d+\s*", " рядом с ", text)
    return " ".join(text.split())


def explain(matches: Iterable[Mapping[str, Any]], rubric_order: Sequence[str]) -> list[Reason]:
    """The reasons of one article, at most RUBRICS_SHOWN rubrics, each with its strongest terms."""
    groups: dict[str, dict[str, Term]] = {}
    for match in matches:
        rubric = str(match.get("rubric") or "")
        if not rubric:
            continue
        term = groups.setdefault(rubric, {}).setdefault(str(match.get("term", "")), Term(in_words(str(match["term"]))))
        term.count += 1
        term.in_title = term.in_title or match.get("field") == "title"
    rank = {name: index for index, name in enumerate(rubric_order)}
    reasons = []
    for rubric, terms in list(groups.items())[:RUBRICS_SHOWN]:
        ordered = sorted(terms.values(), key=lambda t: (not t.in_title, -t.count, t.words))
        reasons.append(
            Reason(
                rubric=rubric,
                colour=rank.get(rubric, len(rank)) % 10,
                terms=ordered[:TERMS_PER_RUBRIC],
                more=max(0, len(ordered) - TERMS_PER_RUBRIC),
            )
        )
    return reasons
