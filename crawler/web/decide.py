"""The decision endpoints (POST only). Thin adapters over ``crawler.store.decisions``: the rules of
who may do what, the audit trail and the "already decided by X" check all live there.

Each form carries the status the monitor saw (``expected``); if another monitor decided meanwhile,
the store refuses and the page says who did it — nothing is overwritten."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, flash, g, redirect, request, url_for
from werkzeug.wrappers import Response

from crawler.errors import InvalidTransition, NotFound, UsageError
from crawler.store import articles, decisions
from crawler.web.auth import safe_next
from crawler.web.database import get_db
from crawler.web.messages import decision_error
from crawler.web.rubrics import rubric_order

bp = Blueprint("decide", __name__, url_prefix="/article/<int:article_id>")

DONE = {
    "approve": "Одобрено: «{rubric}».",
    "reject": "Отклонено.",
    "restore": "Возвращено в очередь.",
    "unapprove": "Одобрение снято.",
    "edit": "Правка сохранена.",
    "up": "Перемещено выше.",
    "down": "Перемещено ниже.",
    "rubric": "Перенесено в «{rubric}».",
}


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
        flash("Ничего не изменилось.", "info")
        return _back(article_id)
    version = request.form.get("version", "")
    if not version.isdigit() or len(version) > 18:  # the version the page was made from: no lost updates
        flash("Форма без версии статьи: обновите страницу.", "error")
        return _back(article_id)
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
        flash("Форма без состояния статьи: обновите страницу.", "error")
        return _back(article_id)
    try:
        row = action(get_db(), article_id, *args, user=g.user, expected=expected, **kwargs)
    except NotFound:
        raise  # the 404 page
    except (InvalidTransition, UsageError) as exc:  # AlreadyDecided is an InvalidTransition
        rubric = args[0] if verb == "rubric" and args else kwargs.get("rubric")
        message = decision_error(
            exc, get_db(), verb=verb, article_id=article_id, expected=expected, rubric=rubric, rubrics=rubric_order()
        )
        flash(message, "error")
    else:
        flash(DONE[verb].format(rubric=row.get("approved_rubric") or ""), "info")
    return _back(article_id)


def _back(article_id: int) -> Response:
    return redirect(safe_next(request.form.get("next")) or url_for("article.show", article_id=article_id))


def _same_text(a: str, b: str) -> bool:
    return [line.strip() for line in a.strip().splitlines() if line.strip()] == [
        line.strip() for line in b.strip().splitlines() if line.strip()
    ]
