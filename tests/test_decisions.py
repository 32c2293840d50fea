"""Monitors' decisions: allowed transitions, audit trail, ordering and optimistic concurrency."""

from __future__ import annotations

import pytest

from crawler.errors import InvalidTransition, NotFound, UsageError
from crawler.store import decisions
from crawler.store.articles import get_article
from tests.test_export_support import add_article, fresh_db


@pytest.fixture
def db(tmp_path):
    return fresh_db(tmp_path)


def test_approve_records_who_when_from_to(db):
    article = add_article(db)
    row = decisions.approve(db, article, user="aigerim", expected="candidate")
    assert row["status"] == "approved"
    assert row["approved_rubric"] == "Политзаключенные"
    assert row["decided_by"] == "aigerim"
    last = decisions.history(db, article)[-1]
    assert (last["user"], last["from_status"], last["to_status"], last["rubric"]) == (
        "aigerim",
        "candidate",
        "approved",
        "Политзаключенные",
    )
    assert last["at"]


def test_approve_under_another_rubric_and_unknown_rubric_refused(db):
    article = add_article(db)
    rubrics = ["Политзаключенные", "Пытки"]
    row = decisions.approve(db, article, user="a", expected="candidate", rubric="Пытки", rubrics=rubrics)
    assert row["approved_rubric"] == "Пытки"
    other = add_article(db)
    with pytest.raises(UsageError, match="unknown rubric 'Нет такой'"):
        decisions.approve(db, other, user="a", expected="candidate", rubric="Нет такой", rubrics=rubrics)
    assert get_article(db, other)["status"] == "candidate"


def test_ignored_without_suggestion_needs_a_rubric(db):
    article = add_article(db, rubric=None)
    with pytest.raises(InvalidTransition, match="no suggested rubric"):
        decisions.approve(db, article, user="a", expected="ignored")
    row = decisions.approve(db, article, user="a", expected="ignored", rubric="Пытки")
    assert row["status"] == "approved"


def test_unknown_id_is_not_found(db):
    with pytest.raises(NotFound, match="no article with id 999"):
        decisions.approve(db, 999, user="a", expected="candidate")


def test_conflict_names_who_decided_and_when(db):
    article = add_article(db)
    decisions.approve(db, article, user="aigerim", expected="candidate")
    with pytest.raises(decisions.AlreadyDecided, match=r"already decided by aigerim at \d{4}-.*now approved"):
        decisions.reject(db, article, user="daniyar", expected="candidate", reason="не по теме")
    assert get_article(db, article)["status"] == "approved"
    assert len(decisions.history(db, article)) == 2  # crawl + approval, nothing from the refused reject


def test_invalid_transitions_are_refused(db):
    article = add_article(db)
    with pytest.raises(InvalidTransition, match="cannot unapprove"):
        decisions.unapprove(db, article, user="a", expected="candidate")
    with pytest.raises(InvalidTransition, match="cannot move"):
        decisions.move(db, article, 1, user="a", expected="candidate")
    decisions.approve(db, article, user="a", expected="candidate")
    with pytest.raises(InvalidTransition, match="cannot approve"):
        decisions.approve(db, article, user="a", expected="approved")
    db.execute("UPDATE articles SET status = 'exported' WHERE id = ?", [article])
    db.conn.commit()
    for call in (
        lambda: decisions.reject(db, article, user="a", expected="exported"),
        lambda: decisions.edit(db, article, user="a", expected="exported", title="x"),
        lambda: decisions.unapprove(db, article, user="a", expected="exported"),
    ):
        with pytest.raises(InvalidTransition):
            call()


def test_reject_restore_unapprove_round_trip(db):
    article = add_article(db)
    row = decisions.reject(db, article, user="a", expected="candidate", reason="реклама")
    assert (row["status"], row["reject_reason"]) == ("rejected", "реклама")
    assert decisions.restore(db, article, user="b", expected="rejected")["status"] == "candidate"
    decisions.approve(db, article, user="a", expected="candidate")
    row = decisions.unapprove(db, article, user="a", expected="approved")
    assert (row["status"], row["approved_rubric"], row["position"]) == ("candidate", None, None)
    steps = [(t["from_status"], t["to_status"]) for t in decisions.history(db, article)]
    assert steps == [
        (None, "candidate"),
        ("candidate", "rejected"),
        ("rejected", "candidate"),
        ("candidate", "approved"),
        ("approved", "candidate"),
    ]


def test_unapprove_of_ignored_item_returns_to_ignored(db):
    article = add_article(db, rubric=None)
    decisions.approve(db, article, user="a", expected="ignored", rubric="Пытки")
    assert decisions.unapprove(db, article, user="a", expected="approved")["status"] == "ignored"


def test_edit_keeps_original_and_is_recorded(db):
    article = add_article(db, title="Исходный заголовок")
    row = decisions.edit(db, article, user="a", expected="candidate", title="  Новый   заголовок ", text="А\n\n\n\nБ  ")
    assert (row["title"], row["edited_title"], row["edited_text"]) == (
        "Исходный заголовок",
        "Новый заголовок",
        "А\n\nБ",
    )
    assert decisions.history(db, article)[-1]["note"] == "title edited; text edited"
    row = decisions.edit(db, article, user="a", expected="candidate", title="")
    assert row["edited_title"] is None
    with pytest.raises(UsageError):
        decisions.edit(db, article, user="a", expected="candidate")


def _order(db, rubric):
    return [
        r[0]
        for r in db.execute(
            "SELECT id FROM articles WHERE status='approved' AND approved_rubric=? ORDER BY position", [rubric]
        ).fetchall()
    ]


def test_default_order_is_approval_order_and_moves_change_it(db):
    a, b, c = (add_article(db) for _ in range(3))
    for article in (b, a, c):
        decisions.approve(db, article, user="m", expected="candidate")
    assert _order(db, "Политзаключенные") == [b, a, c]
    decisions.move_up(db, c, user="m")
    assert _order(db, "Политзаключенные") == [b, c, a]
    decisions.move_up(db, b, user="m")  # already first: stays
    decisions.move_down(db, b, user="m")
    assert _order(db, "Политзаключенные") == [c, b, a]
    assert decisions.history(db, b)[-1]["note"] == "moved from place 1 to 2"


def test_change_rubric_puts_item_last_there(db):
    a, b = add_article(db), add_article(db, rubric="Пытки")
    decisions.approve(db, b, user="m", expected="candidate")
    decisions.approve(db, a, user="m", expected="candidate")
    row = decisions.change_rubric(db, a, "Пытки", user="m")
    assert row["approved_rubric"] == "Пытки"
    assert _order(db, "Пытки") == [b, a]
    assert decisions.history(db, a)[-1]["note"] == "rubric was Политзаключенные"
