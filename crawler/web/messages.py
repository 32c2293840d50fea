"""Russian messages for the decision errors the page can meet.

``crawler.store.decisions`` raises its errors with English messages, which the CLI prints as they
are. The page says the same thing in Russian, built from the error's type and what the page knows
(the action, the article, the rubric asked for) plus the article's state as it is now — never by
parsing the English text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlite_utils

from crawler.errors import AlreadyDecided, InvalidTransition, NotFound, UsageError
from crawler.store import articles, decisions
from crawler.web.text import STATUS_NAMES, almaty

ACTIONS = {
    "approve": "одобрить статью №{n}",
    "reject": "отклонить статью №{n}",
    "restore": "вернуть в очередь статью №{n}",
    "unapprove": "снять одобрение со статьи №{n}",
    "edit": "править статью №{n}",
    "up": "переместить статью №{n}",
    "down": "переместить статью №{n}",
    "rubric": "перенести в другую рубрику статью №{n}",
}


def decision_error(
    exc: Exception,
    db: sqlite_utils.Database,
    *,
    verb: str,
    article_id: int,
    expected: str = "",
    rubric: str | None = None,
    rubrics: Sequence[str] = (),
) -> str:
    """What the page says when ``verb`` on article ``article_id`` failed with ``exc``."""
    row = articles.get_article(db, article_id)
    if isinstance(exc, NotFound) or row is None:
        return f"Статьи №{article_id} нет."
    status = _status(row["status"])
    if isinstance(exc, AlreadyDecided):
        who, when = _last_change(db, article_id, row)
        now = (
            f"Статья №{article_id} изменилась после того, как вы открыли страницу"
            if row["status"] == expected  # same state, newer version: an edit or a decision in between
            else f"Статья №{article_id} теперь «{status}», а не «{_status(expected)}», как было у вас на странице"
        )
        return f"Уже решено другим монитором: {who}, {when}. {now}. Обновите страницу и решите заново."
    if isinstance(exc, InvalidTransition):
        if verb == "approve" and row["status"] in decisions.APPROVABLE:
            return f"У статьи №{article_id} нет предложенной рубрики: выберите рубрику, чтобы одобрить её."
        action = ACTIONS.get(verb, "изменить статью №{n}").format(n=article_id)
        return f"Нельзя {action}: она сейчас «{status}»."
    if isinstance(exc, UsageError) and verb in ("approve", "rubric"):
        # approving without a choice means the suggested rubric, which the rules may no longer have
        asked = (rubric or (row["rubric"] if verb == "approve" else "") or "").strip()
        if not asked:
            return "Выберите рубрику."
        if rubrics and asked not in rubrics:
            return f"Рубрики «{asked}» нет в правилах. Выберите одну из: {', '.join(rubrics)}."
    return f"Действие не выполнено: {exc}"  # not a known decision error: its own words are all we have


def _status(status: str | None) -> str:
    return STATUS_NAMES.get(status or "", status or "—")


def _last_change(db: sqlite_utils.Database, article_id: int, row: dict[str, Any]) -> tuple[str, str]:
    """Who changed the article last and when (Almaty time), as the decision check itself sees it."""
    history = decisions.history(db, article_id)
    if history:
        return history[-1]["user"], almaty(history[-1]["at"])
    return row.get("decided_by") or "кто-то", almaty(row.get("decided_at")) if row.get("decided_at") else "недавно"
