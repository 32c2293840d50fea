"""Login and logout. Every page but the login form and static files needs a logged-in monitor.

The session (Flask's signed cookie, HttpOnly, SameSite=Lax) holds the user's name; a cookie that
fails its signature check is discarded, so a tampered session is simply logged out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, flash, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from crawler.store import users
from crawler.web.database import get_db

PUBLIC_ENDPOINTS = frozenset({"login", "static"})


def register(app: Flask) -> None:
    app.before_request(require_login)
    app.add_url_rule("/login", "login", login, methods=["GET", "POST"])
    app.add_url_rule("/logout", "logout", logout, methods=["POST"])


def require_login() -> Response | None:
    """Send an anonymous visitor (or one whose account is gone) to the login form."""
    name = session.get("user")
    # the account still exists and its password is the one this session logged in with
    if name and users.generation(get_db(), name) == session.get("generation", 0):
        g.user = name
        return None
    g.user = None
    if name:
        session.clear()
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None  # public, or no such page: the 404 needs no login
    target = request.full_path if request.method == "GET" else None
    return redirect(url_for("login", next=target) if target and target != "/?" else url_for("login"))


def login() -> Response | str | tuple[str, int]:
    db = get_db()
    next_url = safe_next(request.values.get("next"))
    if request.method == "POST":
        name = request.form.get("name", "").strip()
        password = request.form.get("password", "")
        if users.check_user(db, name, password):
            session.clear()  # a fresh session on login: nothing planted before it survives
            session["user"] = name
            session["generation"] = users.generation(db, name)
            return redirect(next_url or url_for("queue.index"))
        flash("Неверное имя или пароль.", "error")
        return render_template("login.html", next=next_url, name=name, no_users=False), 401
    return render_template("login.html", next=next_url, name="", no_users=users.count_users(db) == 0)


def logout() -> Response:
    session.clear()
    flash("Вы вышли.", "info")
    return redirect(url_for("login"))


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site (never another host, never a scheme)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target
