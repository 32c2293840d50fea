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
    fmt = request.form.get("format", "txt")
    draft = request.form.get("final") != "1"
    if fmt not in MIMETYPES:
        raise UsageError(f"неизвестный формат {fmt!r}")
    with tempfile.TemporaryDirectory(prefix="bulletin-") as folder:
        try:
            result = export_bulletin(
                get_db(),
                fmt,
                user=g.user,
                out=folder,
                draft=draft,
                rules_dir=current_app.config["RULES_DIR"],
                heading=current_app.config["BULLETIN_HEADING"],
                filename=current_app.config["BULLETIN_FILENAME"],
            )
        except ExportError as exc:
            flash(str(exc), "error")
            return redirect(url_for("approved.index"))
        content = Path(result.path).read_bytes()
        name = Path(result.path).name
    if result.recorded:
        count = plural(len(result.bulletin.items), "материал", "материала", "материалов")
        flash(f"Бюллетень №{result.bulletin.number} выпущен: {count}.", "info")
    return send_file(io.BytesIO(content), mimetype=MIMETYPES[fmt], as_attachment=True, download_name=name, max_age=0)
