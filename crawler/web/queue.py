"""The queue page: candidates since the last bulletin, grouped by suggested rubric, best first."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, render_template, request

from crawler.store import review
from crawler.web.database import get_db
from crawler.web.rubrics import rubric_order
from crawler.web.text import ALMATY

bp = Blueprint("queue", __name__)


@bp.get("/")
def index() -> str:
    db = get_db()
    last = review.last_bulletin(db)
    args = request.args
    filters = review.QueueFilters(
        status=args.get("status", "candidate"),
        outlet=args.get("outlet", ""),
        rubric=args.get("rubric", ""),
        lang=args.get("lang", ""),
        date_from=args.get("from", default_since(last) if "from" not in args else ""),
        date_to=args.get("to", ""),
    )
    total = review.queue_count(db, filters)
    pages = max(1, -(-total // review.PAGE_SIZE))
    page = min(_page_number(args.get("page", "")), pages)
    rows = review.queue_rows(db, filters, limit=review.PAGE_SIZE, offset=(page - 1) * review.PAGE_SIZE)
    order = rubric_order()
    groups = review.group_queue(rows, order)
    return render_template(
        "queue.html",
        groups=groups,
        total=total,
        page=page,
        pages=pages,
        filters=filters,
        facets=review.facets(db),
        rubrics=order,
        last_bulletin=last,
    )


def _page_number(raw: str) -> int:
    """``?page=N`` as a page number from 1 (the caller clamps it to the last page); not a number: page 1."""
    if not (raw.isascii() and raw.isdigit()):
        return 1
    return max(1, int(raw) if len(raw) <= 9 else 10**9)  # a huge number is just "past the end"


def default_since(last: dict | None) -> str:
    """The queue starts at the last bulletin's day (Almaty); before the first bulletin, it shows all."""
    if not last:
        return ""
    return datetime.fromisoformat(last["created_at"]).astimezone(ALMATY).date().isoformat()
