"""The approved list: the next bulletin in its real order, with reorder / move / unapprove buttons,
its plain-text preview, and the export (draft or final) as a download."""

from __future__ import annotations

import io
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, send_file, url_for
from werkzeug.wrappers import Response

from crawler.bulletin import FORMATS, build_bulletin, export_bulletin
from crawler.bulletin import txt as txt_renderer
from crawler.bulletin.model import ALMATY
from crawler.errors import ExportError, UsageError
from crawler.store import bulletins
from crawler.web.database import get_db
from crawler.web.messages import russian_error
from crawler.web.rubrics import rubric_order
from crawler.web.text import plural

bp = Blueprint("approved", __name__)

MIMETYPES = {  # werkzeug adds "; charset=utf-8" to every text/* type itself: naming it here doubled it
    "txt": "text/plain",
    "md": "text/markdown",
    "html": "text/html",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@bp.get("/approved")
def index() -> str:
    db = get_db()
    rows = bulletins.approved_items(db)
    bulletin = build_bulletin(
        rows,
        number=bulletins.next_number(db),
        on=datetime.now(UTC).astimezone(ALMATY).date(),
        order=rubric_order(),
        heading_template=current_app.config["BULLETIN_HEADING"],
        draft=True,
        bare_url_outlets=current_app.config["BARE_URL_OUTLETS"],
    )
    preview = txt_renderer.render(bulletin).decode("utf-8") if rows else ""
    return render_template(
        "approved.html",
        bulletin=bulletin,
        preview=preview,
        rubrics=rubric_order(),
        formats=[f for f in FORMATS if f in MIMETYPES],
    )


@bp.post("/approved/export")
def export() -> Response:
    """A draft comes back as the file itself; issuing records the bulletin, then shows the page as it
    now is (the next, empty bulletin) with the issued one's download links. Issuing the number that is
    already out (a second click, a stale tab) only points to those links."""
    fmt = request.form.get("format", "txt")
    draft = request.form.get("final") != "1"
    if fmt not in MIMETYPES:
        raise UsageError(f"неизвестный формат {fmt!r}")
    db = get_db()
    if not draft:
        shown = request.form.get("number", "")
        if shown.isdigit() and bulletins.next_number(db) > int(shown):
            flash(_issued_message(int(shown), fmt, again=True), "info")
            return redirect(url_for("approved.index"))
    with tempfile.TemporaryDirectory(prefix="bulletin-") as folder:
        try:
            result = export_bulletin(
                db,
                fmt,
                user=g.user,
                out=folder,
                draft=draft,
                rules_dir=current_app.config["RULES_DIR"],
                heading=current_app.config["BULLETIN_HEADING"],
                filename=current_app.config["BULLETIN_FILENAME"],
                bare_url_outlets=current_app.config["BARE_URL_OUTLETS"],
            )
        except ExportError as exc:
            flash(russian_error(exc), "error")
            return redirect(url_for("approved.index"))
        if result.recorded:
            flash(_issued_message(result.bulletin.number, fmt, count=len(result.bulletin.items)), "info")
            return redirect(url_for("approved.index", issued=result.bulletin.number, format=fmt))
        content = Path(result.path).read_bytes()
        name = Path(result.path).name
    return send_file(io.BytesIO(content), mimetype=MIMETYPES[fmt], as_attachment=True, download_name=name, max_age=0)


@bp.get("/bulletins/<int:number>.<fmt>")
def download(number: int, fmt: str) -> Response:
    """An issued bulletin, rendered again from the store (the same items, order and date)."""
    if fmt not in MIMETYPES:
        raise UsageError(f"неизвестный формат {fmt!r}")
    with tempfile.TemporaryDirectory(prefix="bulletin-") as folder:
        result = export_bulletin(
            get_db(),
            fmt,
            user=g.user,
            out=folder,
            number=number,
            heading=current_app.config["BULLETIN_HEADING"],
            filename=current_app.config["BULLETIN_FILENAME"],
            bare_url_outlets=current_app.config["BARE_URL_OUTLETS"],
        )
        content = Path(result.path).read_bytes()
        name = Path(result.path).name
    return send_file(io.BytesIO(content), mimetype=MIMETYPES[fmt], as_attachment=True, download_name=name, max_age=0)


def _issued_message(number: int, fmt: str, *, count: int = 0, again: bool = False) -> dict:
    text = (
        f"Бюллетень №{number} уже выпущен — повторно ничего не помечено."
        if again
        else f"Бюллетень №{number} выпущен: {plural(count, 'материал', 'материала', 'материалов')}."
    )
    formats = [fmt, *(f for f in MIMETYPES if f != fmt)]
    return {"text": text, "undo": None, "downloads": {"number": number, "formats": formats}}
