"""Rubric rules: YAML keyword rules (rules/*.yml) that sort articles into the bulletin's rubrics.

``load_rules(folder)`` validates and compiles them once; ``RuleSet.classify(title, text, lang)`` gives
the suggested rubric, the ranked alternatives and every matched term with its character offsets.
The grammar is taught in rules/README.md.
"""

from crawler.rules.engine import Classification, RuleSet, normalise, normalise_lang
from crawler.rules.evaluation import Evaluation, evaluate, read_labelled
from crawler.rules.loader import check_rules, compile_rules, load_rules

__all__ = [
    "Classification",
    "Evaluation",
    "RuleSet",
    "check_rules",
    "compile_rules",
    "evaluate",
    "load_rules",
    "normalise",
    "normalise_lang",
    "read_labelled",
]
