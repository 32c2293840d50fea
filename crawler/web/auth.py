"""Login and logout. Every page but the login form and static files needs a logged-in monitor.

Sessions live in the database (crawler/store/sessions.py): Flask's signed cookie (HttpOnly,
SameSite=Lax, Secure behind a TLS proxy) holds only a random token. Logout deletes the session, so a
copied cookie stops working with it; a password change or the account's removal ends its sessions
too. A cookie that fails its signature check is discarded, so a tampered session is simply logged out.

Wrong passwords are throttled per account and per address (crawler/store/logins.py): a growing delay,
then a lock. A blocked attempt is refused before its password is checked, logged, and the monitor is
told in Russian how long to wait; after the next good login the monitor hears how many wrong attempts
were made on the account.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import Flask, current_app, flash, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from crawler.store import logins, sessions, users
from crawler.store.logins import Block
from crawler.web.database import get_db
from crawler.web.text import almaty, plural

logger = logging.getLogger(__name__)
SESSION_KEY = "sid"
MAX_NAME = 100  # a longer name is no account; only this much of it is counted or logged
PUBLIC_ENDPOINTS = frozenset({"login", "static"})


def register(app: Flask) -> None:
    app.before_request(require_login)
    app.add_url_rule("/login", "login", login, methods=["GET", "POST"])
    app.add_url_rule("/logout", "logout", logout, methods=["POST"])


def require_login() -> Response | None:
    """Send an anonymous visitor (or one whose session ended) to the login form."""
    token = session.get(SESSION_KEY)
    name = sessions.session_user(get_db(), token) if token else None
    if name:
        g.user = name
        return None
    g.user = None
    if token or session.get("user"):
        session.clear()  # an ended session (logout elsewhere, new password, account removed), or an old cookie
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None  # public, or no such page: the 404 needs no login
    target = request.full_path if request.method == "GET" else None
    return redirect(url_for("login", next=target) if target and target != "/?" else url_for("login"))


def login() -> Response | str | tuple[str, int]:
    db = get_db()
    next_url = safe_next(request.values.get("next"))
    if request.method == "POST":
        name = request.form.get("name", "").strip()[:MAX_NAME]
        password = request.form.get("password", "")
        address = request.remote_addr or "unknown"
        throttle = current_app.config["LOGIN_THROTTLE"]
        now = datetime.now(UTC)
        block = logins.blocked(db, name, address, now=now, throttle=throttle)
        if block:
            logger.warning("login refused for %r from %s: %s blocked until %s", name, address, block.kind, block.until)
            flash(blocked_message(block, now), "error")
            return render_template("login.html", next=next_url, name=name, no_users=False), 429
        if users.check_user(db, name, password):
            failures, last = logins.record_success(db, name, address)
            session.clear()  # a fresh session on login: nothing planted before it survives
            session[SESSION_KEY] = sessions.open_session(db, name, address=address)
            logger.info("login: %r from %s", name, address)
            if failures:
                tries = plural(failures, "неудачная попытка", "неудачные попытки", "неудачных попыток")
                flash(
                    f"Внимание: перед этим входом было {tries} войти под вашим именем с неверным паролем"
                    f" (последняя — {almaty(last)}). Если это были не вы, смените пароль.",
                    "error",
                )
            return redirect(next_url or url_for("queue.index"))
        block = logins.record_failure(db, name, address, now=now, throttle=throttle)
        logger.warning(
            "login failed for %r from %s%s",
            name,
            address,
            f"; {block.kind} blocked until {block.until}" if block else "",
        )
        flash("Неверное имя или пароль." + (f" {blocked_message(block, now)}" if block else ""), "error")
        return render_template("login.html", next=next_url, name=name, no_users=False), 401
    return render_template("login.html", next=next_url, name="", no_users=users.count_users(db) == 0)


def logout() -> Response:
    sessions.end_session(get_db(), session.get(SESSION_KEY))
    session.clear()
    flash("Вы вышли.", "info")
    return redirect(url_for("login"))


def blocked_message(block: Block, now: datetime) -> str:
    """What the monitor reads while logins are blocked (Russian; the log says it in English)."""
    who = "для этого имени" if block.kind == "user" else "с вашего адреса"
    if block.locked:
        return (
            f"Слишком много неверных паролей: вход {who} заблокирован до {almaty(block.until.isoformat(), '%H:%M')}"
            " (время Алматы). Если вы забыли пароль, попросите администратора сменить его."
        )
    seconds = block.seconds_left(now)
    return f"Слишком много неверных паролей подряд: следующая попытка входа {who} — через {_seconds(seconds)}."


def _seconds(n: int) -> str:
    return plural(n, "секунду", "секунды", "секунд")


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site (never another host, never a scheme, no control
    characters: CR/LF in a redirect's Location would be a 500 or a split header)."""
    if not target or len(target) > 2000:
        return None
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return None
    try:
        parts = urlsplit(target)
    except ValueError:  # e.g. an unbalanced '[' in what urlsplit takes for an IPv6 host
        return None
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target
