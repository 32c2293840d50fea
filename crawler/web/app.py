"""The app factory: configuration, the per-request database, error pages, blueprints."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, jsonify, render_template, request
from werkzeug.routing import IntegerConverter, Map

from crawler.bulletin.export import DEFAULT_FILENAME
from crawler.config import load_config, scrapy_settings
from crawler.errors import CrawlerError, NotFound, StoreError
from crawler.store import open_db, users
from crawler.store.logins import Throttle
from crawler.web import approved, article, auth, csrf, decide, health, queue, rubrics, search, security, text
from crawler.web.database import close_db
from crawler.web.messages import russian_error


def create_app(
    db_path: str | Path,
    *,
    rules_dir: str | None = None,
    secret_key: str | None = None,
    testing: bool = False,
) -> Flask:
    """The review app over the database at ``db_path`` (migrated once here, opened per request);
    the rubric order is read from the rules once, at start."""
    config = load_config()
    settings = scrapy_settings(config)
    rules_dir = rules_dir or str(settings.get("CRAWLER_RULES_DIR", "rules"))
    app = Flask(__name__)
    app.url_map.converters["int"] = RowIdConverter  # before any route: /article/<huge id> is a 404, not a 500
    app.config.update(
        DB_PATH=str(db_path),
        RULES_DIR=rules_dir,
        RUBRICS=rubrics.load(rules_dir),
        BULLETIN_HEADING=str(settings.get("CRAWLER_BULLETIN_HEADING", "") or ""),
        BULLETIN_FILENAME=str(settings.get("CRAWLER_BULLETIN_FILENAME", DEFAULT_FILENAME)),
        BARE_URL_OUTLETS=tuple(settings.getlist("CRAWLER_BULLETIN_BARE_URL_OUTLETS")),
        HEALTH_CONFIG=config,  # the health thresholds, as `crawler status` reads them
        SECRET_KEY=secret_key or _session_secret(db_path),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=bool(config["session_cookie_secure"]),  # behind a TLS proxy: https only
        LOGIN_THROTTLE=Throttle(
            free_attempts=settings.getint("CRAWLER_LOGIN_FREE_ATTEMPTS"),
            delay_seconds=settings.getfloat("CRAWLER_LOGIN_DELAY_SECONDS"),
            max_delay_seconds=settings.getfloat("CRAWLER_LOGIN_MAX_DELAY_SECONDS"),
            lock_after=settings.getint("CRAWLER_LOGIN_LOCK_AFTER"),
            lock_minutes=settings.getfloat("CRAWLER_LOGIN_LOCK_MINUTES"),
        ),
        SESSION_COOKIE_NAME="crawler_session",
        TESTING=testing,
        MAX_CONTENT_LENGTH=4 * 1024 * 1024,  # an edited article text is far below this
    )
    app.jinja_env.autoescape = True  # every template, whatever its extension
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    open_db(db_path).close()  # create/migrate once, so requests can open without migrating

    text.register(app)
    security.register(app)
    csrf.register(app)
    auth.register(app)
    for blueprint in (queue.bp, article.bp, search.bp, decide.bp, approved.bp, health.bp):
        app.register_blueprint(blueprint)

    app.teardown_appcontext(close_db)
    app.register_error_handler(404, _not_found)
    app.register_error_handler(NotFound, _not_found)
    app.register_error_handler(403, _forbidden)
    app.register_error_handler(400, _bad_request)
    app.register_error_handler(CrawlerError, _crawler_error)
    return app


class RowIdConverter(IntegerConverter):
    """``<int:...>`` in every route: a whole number SQLite can hold; a bigger one matches no page (404)."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(url_map, *args, **kwargs)


def _session_secret(db_path: str | Path) -> str:
    db = open_db(db_path)
    try:
        return users.session_secret(db)
    finally:
        db.close()


def _not_found(_exc: Any) -> tuple[str, int]:
    return render_template("error.html", title="Не найдено", message="Такой страницы или статьи нет."), 404


def _forbidden(_exc: Any) -> tuple[str, int]:
    message = "Запрос отклонён: форма устарела или пришла не с этой страницы. Обновите страницу и повторите."
    return render_template("error.html", title="Запрещено", message=message), 403


def _bad_request(_exc: Any) -> tuple[str, int]:
    return render_template("error.html", title="Неверный запрос", message="Запрос не удалось разобрать."), 400


def _crawler_error(exc: CrawlerError) -> tuple[Any, int]:
    """A store or export error, in Russian; JSON for the page's script, which shows it in place."""
    message = russian_error(exc)
    status = 503 if isinstance(exc, StoreError) else 400
    if request.headers.get("X-Requested-With") == "fetch":
        html = render_template("_flash.html", category="error", message=message)
        return jsonify(ok=False, message=html), status
    return render_template("error.html", title="Ошибка", message=message), status
