"""The decision endpoints (POST only). Thin adapters over ``crawler.store.decisions``: the rules of
who may do what, the audit trail and the "already decided by X" check all live there.

Each form carries the status the monitor saw (``expected``); if another monitor decided meanwhile,
the store refuses and the page says who did it — nothing is overwritten.

Every form works without JavaScript (POST, then a redirect back). The page's script sends the same
form with ``X-Requested-With: fetch`` and gets JSON instead: the message (as HTML, naming the article,
with its undo button) and the counts, so a decision never reloads the page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, flash, g, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from crawler.errors import InvalidTransition, NotFound, UsageError
from crawler.store import articles, decisions, review
from crawler.web.auth import safe_next
from crawler.web.database import get_db
from crawler.web.messages import decision_error
from crawler.web.rubrics import rubric_order

bp = Blueprint("decide", __name__, url_prefix="/article/<int:article_id>")

DONE = {
    "approve": "Одобрено: «{rubric}» — «{title}».",
    "reject": "Отклонено: «{title}».",
    "restore": "Возвращено в очередь: «{title}».",
    "unapprove": "Одобрение снято: «{title}».",
    "undo": "Отменено: «{title}» снова в очереди.",
    "edit": "Правка сохранена: «{title}».",
    "up": "Перемещено выше: «{title}».",
    "down": "Перемещено ниже: «{title}».",
    "rubric": "Перенесено в «{rubric}»: «{title}».",
}
UNDOABLE = ("approve", "reject")  # a decision out of the queue; its message carries an undo button
TITLE_CHARS = 90


@bp.post("/approve")
def approve(article_id: int) -> Response:
    rubric = request.form.get("rubric", "").strip() or None
    return _decide("approve", article_id, decisions.approve, rubric=rubric, rubrics=rubric_order())


@bp.post("/reject")
def reject(article_id: int) -> Response:
    reason = request.form.get("reason", "").strip() or None
    return _decide("reject", article_id, decisions.reject, reason=reason)


@bp.post("/restore")
def restore(article_id: int) -> Response:
    return _decide("restore", article_id, decisions.restore)


@bp.post("/unapprove")
def unapprove(article_id: int) -> Response:
    return _decide("unapprove", article_id, decisions.unapprove)


@bp.post("/undo")
def undo(article_id: int) -> Response:
    """Take back the decision the message offered to undo: an approval or a rejection."""
    expected = request.form.get("expected", "")
    action = decisions.unapprove if expected == "approved" else decisions.restore
    return _decide("undo", article_id, action)


@bp.post("/edit")
def edit(article_id: int) -> Response:
    title = request.form.get("title")
    text = request.form.get("text")
    article = _article(article_id)
    # Only a field the monitor changed becomes an edit: saving the form untouched adds nothing.
    shown_title = article["edited_title"] or article["title"] or ""
    if title is not None and title.split() == shown_title.split():
        title = None
    if text is not None and _same_text(text, article["edited_text"] or article["text"] or ""):
        text = None
    if title is None and text is None:
        return _answer(article_id, "Ничего не изменилось.", "info", ok=True, status=article["status"])
    version = request.form.get("version", "")
    if not version.isdigit() or len(version) > 18:  # the version the page was made from: no lost updates
        return _answer(article_id, "Форма без версии статьи: обновите страницу.", "error", ok=False)
    return _decide("edit", article_id, decisions.edit, title=title, text=text, version=int(version))


@bp.post("/up")
def up(article_id: int) -> Response:
    return _decide("up", article_id, decisions.move_up)


@bp.post("/down")
def down(article_id: int) -> Response:
    return _decide("down", article_id, decisions.move_down)


@bp.post("/rubric")
def rubric(article_id: int) -> Response:
    name = request.form.get("rubric", "")
    return _decide("rubric", article_id, decisions.change_rubric, name, rubrics=rubric_order())


def _article(article_id: int) -> dict[str, Any]:
    row = articles.get_article(get_db(), article_id)
    if row is None:
        raise NotFound(f"нет статьи №{article_id}")
    return row


def _decide(verb: str, article_id: int, action: Callable[..., dict[str, Any]], *args: Any, **kwargs: Any) -> Response:
    expected = request.form.get("expected", "")
    if not expected:
        return _answer(article_id, "Форма без состояния статьи: обновите страницу.", "error", ok=False)
    try:
        row = action(get_db(), article_id, *args, user=g.user, expected=expected, **kwargs)
    except NotFound:
        raise  # the 404 page
    except (InvalidTransition, UsageError) as exc:  # AlreadyDecided is an InvalidTransition
        rubric = args[0] if verb == "rubric" and args else kwargs.get("rubric")
        message = decision_error(
            exc, get_db(), verb=verb, article_id=article_id, expected=expected, rubric=rubric, rubrics=rubric_order()
        )
        return _answer(article_id, message, "error", ok=False)
    title = _short(row.get("edited_title") or row.get("title") or f"статья №{article_id}")
    text = DONE[verb].format(rubric=row.get("approved_rubric") or "", title=title)
    undo = {"id": article_id, "expected": row["status"]} if verb in UNDOABLE else None
    return _answer(article_id, text, "info", ok=True, undo=undo, status=row["status"])


def _answer(
    article_id: int, text: str, category: str, *, ok: bool, undo: dict | None = None, status: str | None = None
) -> Response:
    """JSON for the page's script, else a flashed message and a redirect back (the page without JS)."""
    message = {"text": text, "undo": undo}
    if request.headers.get("X-Requested-With") == "fetch":
        from crawler.web.queue import start_of_today  # the queue's day, counted the same way

        html = render_template("_flash.html", category=category, message=message)
        counts = review.counts(get_db(), start_of_today())
        return jsonify(ok=ok, id=article_id, status=status, message=html, counts=counts)
    flash(message, category)
    return _back(article_id)


def _short(title: str) -> str:
    title = " ".join(title.split())
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1].rstrip() + "…"


def _back(article_id: int) -> Response:
    return redirect(safe_next(request.form.get("next")) or url_for("article.show", article_id=article_id))


def _same_text(a: str, b: str) -> bool:
    return [line.strip() for line in a.strip().splitlines() if line.strip()] == [
        line.strip() for line in b.strip().splitlines() if line.strip()
    ]
