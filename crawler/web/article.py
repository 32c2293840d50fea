"""The article page: full text with highlights, metadata, decisions, history, and the raw page as
evidence (in a sandboxed frame with no scripts, or as plain text)."""

from __future__ import annotations

import codecs

from flask import Blueprint, Response, abort, render_template

from crawler.store import review
from crawler.web.database import get_db
from crawler.web.rubrics import rubric_order
from crawler.web.security import RAW_PAGE_CSP

bp = Blueprint("article", __name__)


@bp.get("/article/<int:article_id>")
def show(article_id: int) -> str:
    db = get_db()
    article = review.article_detail(db, article_id)
    if article is None:
        abort(404)
    return render_template(
        "article.html",
        a=article,
        history=review.history(db, article_id),
        rubrics=rubric_order(),
    )


@bp.get("/article/<int:article_id>/raw")
def raw(article_id: int) -> Response:
    """The stored page as HTML, for the sandboxed frame only: its CSP forbids scripts and every load."""
    html, encoding = _raw(article_id)
    response = Response(html, content_type=f"text/html; charset={_charset(encoding)}")
    response.headers["Content-Security-Policy"] = RAW_PAGE_CSP
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Content-Disposition"] = "inline"
    return response


@bp.get("/article/<int:article_id>/source")
def source(article_id: int) -> Response:
    """The stored page's source as plain text."""
    html, encoding = _raw(article_id)
    text = html.decode(_charset(encoding), errors="replace")
    response = Response(text, content_type="text/plain; charset=utf-8")
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'; frame-ancestors 'none'"
    response.headers["X-Frame-Options"] = "DENY"
    return response


def _raw(article_id: int) -> tuple[bytes, str | None]:
    page = review.raw_page(get_db(), article_id)
    if page is None:
        abort(404)
    return page


def _charset(encoding: str | None) -> str:
    try:
        return codecs.lookup(encoding or "utf-8").name
    except LookupError:
        return "utf-8"
