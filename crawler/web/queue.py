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
    rows = review.queue_rows(db, filters)
    order = rubric_order()
    groups = review.group_queue(rows, order)
    return render_template(
        "queue.html",
        groups=groups,
        total=len(rows),
        filters=filters,
        facets=review.facets(db),
        rubrics=order,
        last_bulletin=last,
    )


def default_since(last: dict | None) -> str:
    """The queue starts at the last bulletin's day (Almaty); before the first bulletin, it shows all."""
    if not last:
        return ""
    return datetime.fromisoformat(last["created_at"]).astimezone(ALMATY).date().isoformat()
