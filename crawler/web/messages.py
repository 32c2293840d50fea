"""Russian messages for the decision errors the page can meet.

``crawler.store.decisions`` raises its errors with English messages, which the CLI prints as they
are. The page says the same thing in Russian, built from the error's type and what the page knows
(the action, the article, the rubric asked for) plus the article's state as it is now — never by
parsing the English text."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import sqlite_utils

from crawler.errors import (
    AlreadyDecided,
    BulletinTaken,
    CrawlerError,
    DatabaseCorrupt,
    DatabaseFull,
    DatabaseLocked,
    ExportError,
    InvalidTransition,
    ItemsChanged,
    NotFound,
    NothingToExport,
    StoreError,
    UsageError,
)
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


def russian_error(exc: CrawlerError) -> str:
    """What the page says for an error of the store or the export (their own texts are English, for
    the CLI and the logs); an error the page raised itself is already in Russian."""
    if isinstance(exc, DatabaseLocked):
        return (
            "База данных занята другим процессом (идёт обход или выгрузка): действие не выполнено."
            " Повторите через несколько секунд — ничего не потеряно."
        )
    if isinstance(exc, DatabaseFull):
        return "На диске нет места для базы данных: действие не сохранено. Сообщите администратору."
    if isinstance(exc, DatabaseCorrupt):
        return "База данных повреждена: действие не сохранено. Сообщите администратору (нужна резервная копия)."
    if isinstance(exc, StoreError):
        return "База данных недоступна: действие не сохранено. Сообщите администратору."
    if isinstance(exc, NothingToExport):
        return "Нечего выпускать: одобренных материалов нет."
    if isinstance(exc, BulletinTaken):
        return f"Бюллетень №{exc.number} уже выпущен."
    if isinstance(exc, ItemsChanged):
        return "Пока шла выгрузка, кто-то изменил одобренные материалы: бюллетень не выпущен. Выгрузите ещё раз."
    if isinstance(exc, ExportError):
        return "Не удалось записать файл бюллетеня. Сообщите администратору."
    return str(exc)


NOTES = (
    (re.compile(r"^title edited$"), "заголовок изменён"),
    (re.compile(r"^text edited$"), "текст изменён"),
    (re.compile(r"^title edit dropped$"), "правка заголовка снята"),
    (re.compile(r"^text edit dropped$"), "правка текста снята"),
    (re.compile(r"^moved from place (\d+) to (\d+)$"), r"перемещена с места \1 на \2"),
    (re.compile(r"^rubric was (.*)$"), r"прежняя рубрика: «\1»"),
    (re.compile(r"^unapproved$"), "одобрение снято"),
    (re.compile(r"^restored$"), "возвращена в очередь"),
)


def note_in_russian(note: str | None) -> str:
    """A history note as the page shows it: the store's fixed English notes in Russian, each part of
    a '; '-joined note on its own; a monitor's free text (a reject reason) as it was written."""
    if not note:
        return ""
    parts = []
    for part in note.split("; "):
        for pattern, russian in NOTES:
            if pattern.match(part):
                part = pattern.sub(russian, part)
                break
        parts.append(part)
    return "; ".join(parts)
