"""Issue 3's "measure, then choose": hand-written stems with wildcards (what rules/ uses) against
stemming or lemmatising both sides, on the words of our labelled texts.

    .venv/bin/pip install snowballstemmer pymorphy3     # measurement only: not dependencies
    .venv/bin/python scripts/measure_morphology.py

Reports, for every single-word wildcard term in rules/*.yml: the word forms in the corpus it matches,
and the forms a Snowball stem (or a pymorphy3 lemma) of the same word would match; then the cost of
stemming / lemmatising an article's words against our dictionary look-ups.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

import pymorphy3
import snowballstemmer

ROOT = Path(__file__).resolve().parent.parent
WORD = re.compile(r"\w+")


def corpus_words() -> tuple[set[str], list[str]]:
    texts = []
    for name in ("dev", "holdout"):  # blind2 stays unread: it is the honest estimate
        for line in (ROOT / "tests/data" / f"{name}.jsonl").read_text("utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                texts.append(f"{item['title']} {item['text']}")
    words = {w for text in texts for w in WORD.findall(text.lower().replace("ё", "е")) if not w.isdigit()}
    return words, texts


def wildcard_terms() -> set[str]:
    terms: set[str] = set()
    for path in (ROOT / "rules").glob("*.yml"):
        for stem in re.findall(r"(?<![\w*])(\w{3,})\*(?!\w)", path.read_text("utf-8")):
            terms.add(stem.lower())
    return terms


def main() -> int:
    words, texts = corpus_words()
    terms = sorted(wildcard_terms())
    snow = snowballstemmer.stemmer("russian")
    morph = pymorphy3.MorphAnalyzer()
    stem_of = {w: snow.stemWord(w) for w in words}
    lemma_of = {w: morph.parse(w)[0].normal_form for w in words}

    only_wild = only_snow = same = 0
    examples: list[str] = []
    for term in terms:
        wild = {w for w in words if w.startswith(term)}
        if not wild:
            continue
        # the monitor would write one word form; take the commonest matched form as that word
        anchor = min(wild, key=len)
        by_stem = {w for w in words if stem_of[w] == stem_of[anchor]}
        by_lemma = {w for w in words if lemma_of[w] == lemma_of[anchor]}
        if wild == by_stem:
            same += 1
        if wild - by_stem:
            only_wild += 1
            if len(examples) < 6:
                examples.append(
                    f"{term}*: wildcard also finds {sorted(wild - by_stem)[:4]}; lemma finds {sorted(by_lemma)[:4]}"
                )
        if by_stem - wild:
            only_snow += 1
    print(f"corpus: {len(texts)} texts, {len(words)} distinct words; {len(terms)} wildcard terms in rules/")
    print(f"stem of the same word matches exactly the wildcard's forms: {same}")
    print(f"wildcard finds forms the Snowball stem misses: {only_wild} terms")
    print(f"Snowball stem finds forms the wildcard misses:  {only_snow} terms")
    for line in examples:
        print("  e.g.", line)

    sample = [t for t in texts if len(t) > 1500][:50] or texts[:50]
    tokens = [WORD.findall(t.lower()) for t in sample]
    started = time.perf_counter()
    for toks in tokens:
        {w: snow.stemWord(w) for w in set(toks)}
    snow_ms = 1000 * (time.perf_counter() - started) / len(tokens)
    started = time.perf_counter()
    for toks in tokens:
        {w: morph.parse(w)[0].normal_form for w in set(toks)}
    morph_ms = 1000 * (time.perf_counter() - started) / len(tokens)
    print(
        f"per article (cold cache): Snowball {snow_ms:.2f} ms, pymorphy3 {morph_ms:.2f} ms"
        " — against ~0.7-0.9 ms for our whole classification (benchmarks/bench_classify.py)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
