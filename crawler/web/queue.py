"""The queue page: every undecided candidate, grouped by suggested rubric, best first.

The default view never hides a candidate behind a date: what is left is what the monitor has to
read, whatever day it was published or however long ago a bulletin went out."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask import Blueprint, render_template, request

from crawler.store import review
from crawler.web.database import get_db
from crawler.web.rubrics import rubric_order
from crawler.web.text import ALMATY

bp = Blueprint("queue", __name__)


@bp.get("/")
def index() -> str:
    db = get_db()
    args = request.args
    filters = review.QueueFilters(
        status=args.get("status", "candidate"),
        outlet=args.get("outlet", ""),
        rubric=args.get("rubric", ""),
        lang=args.get("lang", ""),
        date_from=args.get("from", ""),
        date_to=args.get("to", ""),
    )
    total = review.queue_count(db, filters)
    pages = max(1, -(-total // review.PAGE_SIZE))
    page = min(_page_number(args.get("page", "")), pages)
    rows = review.queue_rows(db, filters, limit=review.PAGE_SIZE, offset=(page - 1) * review.PAGE_SIZE)
    order = rubric_order()
    groups = review.group_queue(review.with_originals(db, rows), order)
    return render_template(
        "queue.html",
        groups=groups,
        total=total,
        page=page,
        pages=pages,
        filters=filters,
        filtered=filters != review.QueueFilters(),
        counts=review.counts(db, start_of_today()),
        facets=review.facets(db),
        rubrics=order,
        last_bulletin=review.last_bulletin(db),
    )


def start_of_today() -> str:
    """Midnight in Almaty today, as the UTC ISO 8601 the transitions table stores."""
    now = datetime.now(ALMATY)
    return datetime.combine(now.date(), time(0, 0), tzinfo=ALMATY).astimezone(UTC).isoformat(timespec="seconds")


def _page_number(raw: str) -> int:
    """``?page=N`` as a page number from 1 (the caller clamps it to the last page); not a number: page 1."""
    if not (raw.isascii() and raw.isdigit()):
        return 1
    return max(1, int(raw) if len(raw) <= 9 else 10**9)  # a huge number is just "past the end"
