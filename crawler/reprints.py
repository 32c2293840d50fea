"""Reprints: a story one outlet publishes again from another is stored, and linked to the original.

SimHash pre-selects recent articles with a close fingerprint; shared word shingles confirm. The
original is the earlier publication, not whichever the crawl met first.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from crawler.fingerprint import containment
from crawler.outlets import names_outlet
from crawler.store.articles import Candidate, NewArticle, mark_duplicate, near_duplicate_candidates, save_article


@dataclass(frozen=True)
class ReprintRules:
    distance: int  # simhash bits: at most this many differ => compared as a possible reprint
    window_days: int  # among articles stored this recently
    containment: float  # share of the shorter text's shingles found in the other => a reprint


def find_copy(db: sqlite_utils.Database, item: NewArticle, rules: ReprintRules) -> Candidate | None:
    """The stored article that ``item`` shares its text with, if any."""
    if item.fingerprint is None:
        return None
    for candidate in near_duplicate_candidates(
        db, item.fingerprint, max_distance=rules.distance, window_days=rules.window_days
    ):
        if containment(item.text, candidate.text) >= rules.containment:
            return candidate
    return None


def published_first(item: NewArticle, stored: Candidate) -> bool:
    """Whether the new ``item`` is the original of the ``stored`` copy: an earlier day wins; on the same
    day (some outlets give no time of day) the copy that names its source is the reprint."""
    if item.published and stored.published and item.published[:10] != stored.published[:10]:
        return item.published[:10] < stored.published[:10]
    return names_outlet(stored.text, item.outlet) and not names_outlet(item.text, stored.outlet)


def save_linking_reprints(db: sqlite_utils.Database, item: NewArticle, rules: ReprintRules) -> int | None:
    """Store ``item`` (see ``save_article``), linked to the article it reprints — or, when it is the
    earlier publication of a stored copy, that copy linked to it."""
    copy = find_copy(db, item, rules)
    new_is_original = copy is not None and published_first(item, copy)
    article_id = save_article(db, item, duplicate_of=copy.id if copy and not new_is_original else None)
    if article_id is not None and copy and new_is_original:
        mark_duplicate(db, copy.id, article_id)
    return article_id
