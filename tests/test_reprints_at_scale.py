"""The reprint check among thousands of stored articles: the in-memory fingerprint comparison finds
exactly what reading every row did, including articles another connection stored meanwhile."""

from __future__ import annotations

import random
from pathlib import Path

from benchmarks.corpus import fill
from crawler.fingerprint import hamming, simhash
from crawler.reprints import ReprintRules, save_linking_reprints
from crawler.store import open_db
from crawler.store.articles import NewArticle, near_duplicate_candidates

RULES = ReprintRules(distance=16, window_days=30, containment=0.6)
STORY = (
    "Суд Алматы приговорил гражданского активиста к пяти годам лишения свободы по статье о распространении"
    " заведомо ложной информации. Защита назвала приговор политически мотивированным и намерена его"
    " обжаловать. Правозащитники заявили, что дело основано на публикациях в социальных сетях, а"
    " свидетели обвинения путались в показаниях. В зале суда присутствовали дипломаты и журналисты."
)


def article(key: str, outlet: str, text: str, published: str) -> NewArticle:
    return NewArticle(
        key=key, url=f"https://{outlet}.kz/{key}", outlet=outlet, text=text, published=published,
        fingerprint=simhash(text),
    )  # fmt: skip


def brute_force(db, fingerprint: int, distance: int) -> list[int]:
    """The reprint pre-selection as it was: every recent original's fingerprint, read row by row."""
    rows = db.execute("SELECT id, fingerprint FROM articles WHERE fingerprint IS NOT NULL AND duplicate_of IS NULL")
    return sorted(article_id for article_id, other in rows if hamming(fingerprint, other) <= distance)


def test_a_reprint_is_found_among_thousands_of_stored_articles(tmp_path: Path) -> None:
    path = tmp_path / "many.db"
    db = open_db(path)
    fill(db, 1_000, seed=3)
    assert near_duplicate_candidates(db, simhash(STORY), max_distance=16, window_days=30) == []  # index loaded

    other = open_db(path)  # the original arrives through another connection, after the index was loaded
    original = save_linking_reprints(other, article("orda/1", "orda", STORY, "2025-11-10T09:00:00+05:00"), RULES)
    fill(other, 1_000, seed=4)

    reprint_text = "Алматы. " + STORY.replace("В зале суда", "На заседании") + " Источник: Orda.kz"
    reprint = save_linking_reprints(db, article("vlast/9", "vlast", reprint_text, "2025-11-11T10:00:00+05:00"), RULES)
    assert reprint is not None and original is not None
    assert db.execute("SELECT duplicate_of FROM articles WHERE id = ?", [reprint]).fetchone()[0] == original
    unrelated = save_linking_reprints(
        db, article("bureau/2", "bureau", "Погода в Астане: дожди и ветер. " * 20, "2025-11-11T10:00:00+05:00"), RULES
    )
    assert db.execute("SELECT duplicate_of FROM articles WHERE id = ?", [unrelated]).fetchone()[0] is None


def test_the_pre_selection_equals_reading_every_row(tmp_path: Path) -> None:
    db = open_db(tmp_path / "many.db")
    fill(db, 1_500, seed=5)
    stored = [value for (value,) in db.execute("SELECT fingerprint FROM articles ORDER BY id LIMIT 50")]
    db.execute("UPDATE articles SET duplicate_of = 1 WHERE id BETWEEN 2 AND 40")  # reprints are never candidates
    db.conn.commit()
    rng = random.Random(9)
    probes = [rng.getrandbits(64) - (1 << 63) for _ in range(20)]
    for value in stored:  # fingerprints a few bits from stored ones, originals and reprints alike
        flipped = value
        for bit in rng.sample(range(64), rng.randint(0, 16)):
            flipped ^= 1 << bit
        probes.append(flipped - (1 << 64) if flipped >= 1 << 63 else flipped)
    found_any = False
    for probe in probes:
        candidates = [c.id for c in near_duplicate_candidates(db, probe, max_distance=16, window_days=30)]
        assert candidates == brute_force(db, probe, 16)
        found_any = found_any or bool(candidates)
    assert found_any


def test_packed_fingerprints_agree_with_hamming() -> None:
    from crawler.fingerprint import PackedFingerprints

    rng = random.Random(11)
    values = [rng.getrandbits(64) - (1 << 63) for _ in range(3_000)]
    query = values[17] ^ 0b1011  # three bits from one stored value
    packed = PackedFingerprints()
    packed.extend(values[:1_000])
    for value in values[1_000:]:  # one by one, as the crawl adds them
        packed.extend([value])
    for distance in (0, 3, 16, 30, 64):
        assert packed.close(query, distance) == [i for i, v in enumerate(values) if hamming(query, v) <= distance]
