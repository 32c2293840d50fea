"""Search over every stored article, ignored ones included, so a monitor can promote what the rules missed."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from crawler.store import review
from crawler.web.database import get_db
from crawler.web.rubrics import rubric_order

bp = Blueprint("search", __name__)


@bp.get("/search")
def index() -> str:
    db = get_db()
    query = request.args.get("q", "").strip()
    status = request.args.get("status", "all")
    outlet = request.args.get("outlet", "")
    results = review.search(db, query, status=status, outlet=outlet) if query else []
    return render_template(
        "search.html",
        q=query,
        status=status,
        outlet=outlet,
        results=results,
        facets=review.facets(db),
        rubrics=rubric_order(),
        limit=review.SEARCH_LIMIT,
    )
