"""CSRF protection: one random token per session, required on every state-changing request.

The token lives in the signed session cookie; forms carry it in a hidden ``csrf_token`` field
(templates call ``csrf_token()``). A POST without the matching token gets 403."""

from __future__ import annotations

import hmac
import secrets

from flask import Flask, abort, request, session

FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def register(app: Flask) -> None:
    app.before_request(check_token)
    app.jinja_env.globals["csrf_token"] = token


def token() -> str:
    """This session's token, created on first use."""
    if FIELD not in session:
        session[FIELD] = secrets.token_urlsafe(32)
    return str(session[FIELD])


def check_token() -> None:
    """Reject a state-changing request whose token is missing or wrong."""
    if request.method in SAFE_METHODS:
        return
    expected = session.get(FIELD)
    given = request.form.get(FIELD) or request.headers.get("X-CSRF-Token") or ""
    if not expected or not hmac.compare_digest(str(expected), given):
        abort(403)
