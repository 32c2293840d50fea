"""The compiled matcher: tokenise each field once, look words up in dicts, score rubrics.

Why not one regex per term: with ~300 terms that is ~6 ms per 4,000-character article. Here each
field is scanned by one regex into lower-cased tokens (ё→е); every distinct token is resolved once
(memoised across articles) to the word patterns it satisfies — exact words through a dict, wildcard
stems through a dict keyed by stem length. Phrases and proximity then work on token positions.
"""

from __future__ import annotations

import math
import re
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, compress
from typing import Any

TOKEN_SPLIT_RE = re.compile(r"([^\W_]+)")
FIELDS = ("title", "text")
TOKEN_CACHE_LIMIT = 300_000  # distinct tokens remembered; the cache is dropped when it grows past this
MAX_MATCHES = 500  # matches kept per article (the evidence a monitor reads); ``match_count`` counts them all


def normalise(text: str) -> str:
    """Lower-case and fold ё→е without changing the string's length (offsets must stay valid)."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters (e.g. 'İ') lower-case into two
        lowered = "".join(ch if len(low := ch.lower()) != 1 else low for ch in text)
    return lowered.replace("ё", "е")


def split_pattern(pattern: str) -> list[str]:
    """The words of a term as the tokeniser would see them (the '*' kept on a word's end)."""
    return re.findall(r"[^\W_]+\*?", normalise(pattern))


# --- compiled rule nodes ------------------------------------------------------------------------


@dataclass(frozen=True)
class Leaf:
    """A word or a phrase: consecutive words, each exact or a stem ending in '*'."""

    display: str
    atoms: tuple[int, ...]


@dataclass(frozen=True)
class Near:
    """Two or more words/phrases within ``within`` words of the first one, in the same field."""

    display: str
    parts: tuple[Leaf, ...]
    within: int


@dataclass(frozen=True)
class Group:
    """Boolean group over the whole article: every ``all``, at least one ``any``, no ``none``."""

    display: str
    all: tuple[Node, ...] = ()
    any: tuple[Node, ...] = ()
    none: tuple[Node, ...] = ()


Node = Leaf | Near | Group


@dataclass(frozen=True)
class Entry:
    """One weighted line of a rubric's ``terms`` (or, with a negative weight, of ``exclude``)."""

    node: Node
    weight: float
    langs: frozenset[str] | None = None


@dataclass
class Rubric:
    name: str
    order: int
    threshold: float
    entries: list[Entry]
    langs: frozenset[str] | None = None
    source: str = ""


Occurrence = tuple[str, int, int, str]  # field, start, end, term
# A node's occurrences: those kept (at most the classify call's limit), how many in all, how many in the title
Found = tuple[list[Occurrence], int, int]
NOT_FOUND: Found = ([], 0, 0)


@dataclass
class Classification:
    """What the rules say about one article, with the evidence."""

    rubric: str | None
    score: float
    rubrics: list[dict[str, Any]] = field(default_factory=list)
    matches: list[dict[str, Any]] = field(default_factory=list)
    match_count: int = 0  # every distinct match, also those beyond the ``matches`` kept

    def as_json(self) -> dict[str, Any]:
        """The ``crawler classify`` output object, without ``id``."""
        return {
            "rubric": self.rubric,
            "score": self.score,
            "rubrics": self.rubrics,
            "matches": self.matches,
            "match_count": self.match_count,
        }


# --- the article as tokens ----------------------------------------------------------------------


class _Field:
    """One field as tokens: where each word pattern occurs (token positions) and token offsets."""

    __slots__ = ("ends", "hits", "name")

    def __init__(self, name: str, text: str, ruleset: RuleSet) -> None:
        self.name = name
        # split() with a capturing group alternates separator, token, separator, ...: every offset is a
        # running sum of lengths, computed in C rather than by a Python loop over match objects
        parts = TOKEN_SPLIT_RE.split(normalise(text))
        tokens = parts[1::2]
        # an array of machine integers: a fifth of the memory of a list of int objects on a huge page
        self.ends = array("q", accumulate(map(len, parts)))
        del parts
        cache = ruleset._cache
        new = set(tokens).difference(cache)
        if len(cache) + len(new) > TOKEN_CACHE_LIMIT:  # dropped before, never while this field is read
            cache.clear()
            new = set(tokens)
        for token in new:
            ruleset._lookup(token)
        looked = list(map(cache.__getitem__, tokens))
        del tokens
        hits: dict[int, list[int]] = {}
        for pos in compress(range(len(looked)), looked):
            for atom in looked[pos]:
                found = hits.get(atom)
                if found is None:
                    hits[atom] = [pos]
                else:
                    found.append(pos)
        self.hits = hits

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Character offsets from the start of token ``first`` to the end of token ``last``."""
        return self.ends[2 * first], self.ends[2 * last + 1]

    def leaf_positions(self, leaf: Leaf) -> list[int]:
        first = self.hits.get(leaf.atoms[0])
        if not first or len(leaf.atoms) == 1:
            return first or []
        rest = []
        for atom in leaf.atoms[1:]:
            found = self.hits.get(atom)
            if not found:
                return []
            rest.append(set(found))
        return [p for p in first if all(p + k in s for k, s in enumerate(rest, 1))]


class RuleSet:
    """Compiled rubric rules. Build with :func:`crawler.rules.load_rules`; classify many articles."""

    def __init__(
        self,
        rubrics: Sequence[Rubric],
        words: Sequence[tuple[str, bool]],
        *,
        title_weight: float,
        exclude: Sequence[Entry] = (),
        term_count: int = 0,
    ) -> None:
        self._rubrics = sorted(rubrics, key=lambda r: r.order)
        self.rubrics: list[str] = [r.name for r in self._rubrics]
        self.title_weight = title_weight
        self.exclude = list(exclude)
        self.term_count = term_count
        self._exact: dict[str, list[int]] = {}
        self._stems: dict[int, dict[str, list[int]]] = {}
        for atom, (text, is_stem) in enumerate(words):
            if is_stem:
                self._stems.setdefault(len(text), {}).setdefault(text, []).append(atom)
            else:
                self._exact.setdefault(text, []).append(atom)
        self._stem_lengths = sorted(self._stems)
        # the first three letters of every stem (MIN_STEM is 3): most new tokens (names, numbers) share
        # none, and skip the per-length probes
        self._stem_heads = {stem[:3] for stems in self._stems.values() for stem in stems}
        self._short_stems = bool(self._stem_lengths) and self._stem_lengths[0] < 3
        self._cache: dict[str, tuple[int, ...]] = {}
        self._limit = MAX_MATCHES  # occurrences kept per node, set by each classify call
        # Which entries could match when a word pattern occurs: an article only evaluates the entries
        # triggered by the few patterns it contains, not all of them.
        self._owners: list[list[Entry]] = [self.exclude, *(r.entries for r in self._rubrics)]
        self._trigger: dict[int, set[tuple[int, int]]] = {}
        for owner, entries in enumerate(self._owners):
            for index, entry in enumerate(entries):
                for atom in _triggers(entry.node):
                    self._trigger.setdefault(atom, set()).add((owner, index))

    def _lookup(self, token: str) -> tuple[int, ...]:
        atoms = list(self._exact.get(token, ()))
        if self._short_stems or token[:3] in self._stem_heads:
            for length in self._stem_lengths:
                if length > len(token):
                    break
                found = self._stems[length].get(token[:length])
                if found:
                    atoms.extend(found)
        result = tuple(atoms)
        self._cache[token] = result
        return result

    # --- evaluation -----------------------------------------------------------------------------

    def _occurrences(self, node: Node, fields: Sequence[_Field], memo: dict[int, Found], present: set[int]) -> Found:
        if type(node) is Leaf and node.atoms[0] not in present:  # fast path: most listed words are absent
            return NOT_FOUND
        key = id(node)
        cached = memo.get(key)
        if cached is not None:
            return cached
        limit = self._limit
        out: list[Occurrence] = []
        total = in_title = 0
        if isinstance(node, Leaf):
            n = len(node.atoms)
            for f in fields:
                positions = f.leaf_positions(node)
                total += len(positions)
                in_title += len(positions) if f.name == "title" else 0
                for p in positions[: limit - len(out)]:
                    out.append((f.name, *f.span(p, p + n - 1), node.display))
        elif isinstance(node, Near):
            for f in fields:
                kept, count = _near(node, f, limit - len(out))
                out.extend(kept)
                total += count
                in_title += count if f.name == "title" else 0
        else:
            parts: list[Found] = []
            for child in node.all:
                found = self._occurrences(child, fields, memo, present)
                if not found[1]:
                    parts = []
                    break
                parts.append(found)
            if (parts or not node.all) and node.any:
                some = [
                    found
                    for child in node.any
                    # skip the call for an absent word
                    if not (type(child) is Leaf and child.atoms[0] not in present)
                    and (found := self._occurrences(child, fields, memo, present))[1]
                ]
                parts = parts + some if some else []
            if parts and any(self._occurrences(child, fields, memo, present)[1] for child in node.none):
                parts = []
            for kept, count, title_count in parts:
                out.extend(kept)
                total += count
                in_title += title_count
            if len(out) > limit:  # keep the first ones in reading order, as the article lists them
                out = sorted(out, key=_reading_order)[:limit]
        result = (out, total, in_title)
        memo[key] = result
        return result

    def _score(self, entries: Iterable[Entry], fields, memo, lang, present) -> tuple[float, list[Occurrence], int]:
        """A rubric's score, its evidence (at most ``_limit`` per entry) and how many occurrences in all."""
        total = 0.0
        evidence: list[Occurrence] = []
        count = 0
        for entry in entries:
            if lang and entry.langs and lang not in entry.langs:
                continue
            occ, found, in_title = self._occurrences(entry.node, fields, memo, present)
            if not found:
                continue
            strength = (self.title_weight if in_title else 0.0) + _repeat(found - in_title)
            total += entry.weight * strength
            if entry.weight > 0:
                evidence.extend(occ)
                count += found
        return total, evidence, count

    def classify(
        self, title: str | None, text: str | None, lang: str | None = None, *, max_matches: int = MAX_MATCHES
    ) -> Classification:
        """Score every rubric for one article; the best one above its threshold is the suggestion.

        At most ``max_matches`` matches are listed (title first, then by offset, best rubric first);
        ``match_count`` counts them all. Time and memory are linear in the text's length, and each
        term keeps at most ``max_matches`` occurrences however often it repeats."""
        lang = normalise_lang(lang)
        self._limit = max(max_matches, 1)
        fields = (_Field("title", title or "", self), _Field("text", text or "", self))
        memo: dict[int, Found] = {}
        present = set(fields[0].hits) | set(fields[1].hits)
        active: list[list[Entry]] = [[] for _ in self._owners]
        for owner, index in sorted(set().union(*(self._trigger.get(a, ()) for a in present))):
            active[owner].append(self._owners[owner][index])
        penalty, _, _ = self._score(active[0], fields, memo, lang, present)
        scored: list[tuple[float, Rubric, list[Occurrence]]] = []
        beyond = 0  # occurrences not kept as evidence (only on pages repeating a term hundreds of times)
        for owner, rubric in enumerate(self._rubrics, 1):
            if not active[owner] or (lang and rubric.langs and lang not in rubric.langs):
                continue
            score, evidence, count = self._score(active[owner], fields, memo, lang, present)
            if score <= 0 or not evidence:
                continue
            score = round(score + penalty, 2)
            if score > 0:
                scored.append((score, rubric, evidence))
                beyond += count - len(evidence)
        scored.sort(key=lambda item: (-item[0], item[1].order))
        best = next((item for item in scored if item[0] >= item[1].threshold), None)
        matches: list[dict[str, Any]] = []
        seen: set[tuple[str, int, int, str]] = set()
        for _score, rubric, evidence in scored:
            for fname, start, end, term in sorted(evidence, key=_reading_order):
                key = (fname, start, end, rubric.name)
                if key not in seen:
                    seen.add(key)
                    if len(matches) < max_matches:
                        matches.append(
                            {"term": term, "field": fname, "start": start, "end": end, "rubric": rubric.name}
                        )
        return Classification(
            rubric=best[1].name if best else None,
            score=best[0] if best else (scored[0][0] if scored else 0.0),
            rubrics=[{"rubric": r.name, "score": s} for s, r, _ in scored],
            matches=matches,
            match_count=len(seen) + beyond,
        )


def _reading_order(occurrence: Occurrence) -> tuple[bool, int, int]:
    return occurrence[0] != "title", occurrence[1], occurrence[2]


def _triggers(node: Node) -> set[int]:
    """Word patterns of which at least one must occur for ``node`` to match."""
    if isinstance(node, Leaf):
        return {node.atoms[0]}
    if isinstance(node, Near):
        return {node.parts[0].atoms[0]}
    if node.all:
        return _triggers(node.all[0])
    return set().union(*(_triggers(child) for child in node.any))


def _repeat(count: int) -> float:
    """Weight of ``count`` occurrences in the body: 1 for one, growing slowly, at most 2."""
    if count <= 0:
        return 0.0
    return min(1.0 + 0.5 * math.log(count), 2.0)


def _near(node: Near, f: _Field, keep: int) -> tuple[list[Occurrence], int]:
    """The first ``keep`` occurrences of ``node`` in ``f``, and how many there are."""
    anchors = f.leaf_positions(node.parts[0])
    if not anchors:
        return [], 0
    others = []
    for part in node.parts[1:]:
        found = f.leaf_positions(part)
        if not found:
            return [], 0
        others.append((found, len(part.atoms)))
    out: list[Occurrence] = []
    count = 0
    first_len = len(node.parts[0].atoms)
    within = node.within
    for a in anchors:
        lo, hi = a, a + first_len - 1
        ok = True
        for positions, length in others:
            # the closest occurrence (the earlier one on a tie) through a binary search of the sorted
            # positions: linear in the text overall, where scanning every position was quadratic
            i = bisect_left(positions, a)
            best = positions[i] if i < len(positions) and positions[i] - a <= within else None
            if i and a - positions[i - 1] <= within and (best is None or a - positions[i - 1] <= best - a):
                best = positions[i - 1]
            if best is None:
                ok = False
                break
            lo, hi = min(lo, best), max(hi, best + length - 1)
        if ok:
            count += 1
            if count <= keep:
                out.append((f.name, *f.span(lo, hi), node.display))
    return out, count


def normalise_lang(lang: str | None) -> str | None:
    """'kk', 'kz', 'kk-KZ', 'KAZ' → 'kk'; 'ru-RU' → 'ru'; empty → None."""
    if not lang:
        return None
    code = lang.strip().lower().replace("_", "-").split("-")[0]
    return {"kz": "kk", "kaz": "kk", "rus": "ru"}.get(code, code) or None
