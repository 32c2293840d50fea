"""Building the effective settings: defaults, then the ops settings file, then the environment.

Scrapy's own settings and the crawler's internal ones live in ``crawler.settings``. What ops set lives
in ``crawler/defaults.toml`` (packaged, commented); a user file named by ``--config`` or
``CRAWLER_CONFIG`` overrides it key by key, and ``CRAWLER_<KEY>`` environment variables override both.
Key ``interval_minutes`` becomes the setting ``CRAWLER_INTERVAL_MINUTES``. A malformed file is a
``ConfigError`` naming the file, key and line, raised before any work starts.
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crawler import __version__
from crawler import settings as defaults
from crawler.errors import ConfigError

if TYPE_CHECKING:  # Scrapy is imported only by what builds Scrapy settings: other commands start faster
    from scrapy.settings import Settings

DEFAULTS_FILE = Path(__file__).with_name("defaults.toml")
CONFIG_ENV = "CRAWLER_CONFIG"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
QUIET_HOURS = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$")


def _positive(value: Any) -> str | None:
    return None if value > 0 else "must be greater than 0"


def _between(low: float, high: float) -> Callable[[Any], str | None]:
    """A number above ``low`` (exclusive) and at most ``high``: a huge value (1e20 minutes) is a typo,
    and would overflow the clock arithmetic it feeds."""

    def check(value: Any) -> str | None:
        return None if low < value <= high else f"must be greater than {low:g} and at most {high:g}"

    return check


HOUR, DAY, YEAR = 60, 24 * 60, 365 * 24


def _share(value: Any) -> str | None:
    return None if 0 < value <= 1 else "must be between 0 and 1"


def _quiet_hours(value: Any) -> str | None:
    return None if value == "" or QUIET_HOURS.match(value) else 'must look like "23:00-06:00" (or be empty)'


def _log_level(value: Any) -> str | None:
    return None if value.upper() in LOG_LEVELS else f"must be one of {', '.join(LOG_LEVELS)}"


def _urls(value: Any) -> str | None:
    bad = [url for url in value if "://" not in url]
    return f"not a URL: {bad[0]!r}" if bad else None


CHECKS: dict[str, Callable[[Any], str | None]] = {
    "interval_minutes": _between(0, 7 * DAY),
    "first_pass_days": _between(0, 3650),
    "max_article_requests": _between(0, 1_000_000),
    "max_text_chars": _between(0, 100_000_000),
    "pass_timeout_minutes": _between(0, 7 * DAY),
    "alert_timeout_seconds": _between(0, HOUR * 60),
    "silence_floor_hours": _between(0, YEAR),
    "silence_factor": _between(0, 1000),
    "coverage_window": _between(0, 10_000),
    "coverage_min_body": _between(-1, 1_000_000),
    "strategy_failures": _between(0, 10_000),
    "failed_runs": _between(0, 10_000),
    "stale_hours": _between(0, YEAR),
    "silence_quantile": _share,
    "coverage_floor": _share,
    "coverage_drop": _share,
    "error_rate_floor": _share,
    "quiet_hours": _quiet_hours,
    "log_level": _log_level,
    "alert_urls": _urls,
}


def setting_name(key: str) -> str:
    """The crawler setting (and environment variable) a settings-file key stands for."""
    return f"CRAWLER_{key.upper()}"


def default_values() -> dict[str, Any]:
    """The packaged defaults, keyed as in the settings file."""
    return _read(DEFAULTS_FILE)


def load_config(path: str | Path | None = None, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The effective ops settings: defaults ← the file (``path`` or ``$CRAWLER_CONFIG``) ← ``CRAWLER_<KEY>``."""
    environ = os.environ if environ is None else environ
    values = default_values()
    path = path or environ.get(CONFIG_ENV) or None
    if path:
        user_file = Path(path)
        text = _text(user_file)
        for key, value in _parse(user_file, text).items():
            where = f"{user_file} line {_line_of(text, key)}"
            if key not in values:
                raise ConfigError(f"{where}: unknown key {key!r} (known: {', '.join(sorted(values))})")
            values[key] = _checked(key, value, values[key], where)
    for key, default in list(values.items()):
        raw = environ.get(setting_name(key))
        if raw is not None:
            values[key] = _checked(key, _from_env(raw, default), default, f"environment {setting_name(key)}")
    return values


# Internal settings of crawler/settings.py (not in the ops file) that the environment may still set:
# the wait for a locked database, and the hidden page limit that simulates a full disk in tests.
STORE_SETTINGS = {"CRAWLER_BUSY_TIMEOUT_SECONDS": float, "CRAWLER_MAX_PAGE_COUNT": int}
STORE_LIMITS = {"CRAWLER_BUSY_TIMEOUT_SECONDS": 3600.0, "CRAWLER_MAX_PAGE_COUNT": 2**31 - 2}  # nan fails too


def db_options(settings: Settings | None = None, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """``open_db``'s keyword arguments: from Scrapy ``settings`` when given, else from
    crawler/settings.py overridden by the environment (commands that build no Scrapy settings)."""
    values: dict[str, Any] = {}
    environ = os.environ if environ is None else environ
    for name, kind in STORE_SETTINGS.items():
        if settings is not None:
            values[name] = kind(settings.get(name))
            continue
        raw = environ.get(name, "").strip()
        try:
            values[name] = kind(raw) if raw else getattr(defaults, name)
        except ValueError:
            raise ConfigError(f"environment {name}: must be a number, not {raw!r}") from None
        if not 0 <= values[name] <= STORE_LIMITS[name]:
            raise ConfigError(f"environment {name}: must be from 0 to {STORE_LIMITS[name]:g}, not {raw!r}")
    return {
        "busy_timeout": values["CRAWLER_BUSY_TIMEOUT_SECONDS"],
        "max_page_count": values["CRAWLER_MAX_PAGE_COUNT"],
    }


def scrapy_settings(config: Mapping[str, Any] | None = None) -> Settings:
    """Scrapy ``Settings``: the settings module, then the ops settings (file and environment)."""
    from scrapy.settings import Settings

    config = load_config() if config is None else config
    settings = Settings()
    settings.setmodule(defaults, priority="project")
    for key, value in config.items():
        settings.set(setting_name(key), value, priority="project")
    for name, value in zip(STORE_SETTINGS, db_options().values(), strict=True):
        settings.set(name, value, priority="project")
    settings.set("USER_AGENT", f"{defaults.BOT_NAME}/{__version__} (+{config['contact_url']})", priority="project")
    settings.set("LOG_LEVEL", config["log_level"].upper(), priority="project")
    if config["log_file"]:
        settings.set("LOG_FILE", config["log_file"], priority="project")
        settings.set("LOG_FILE_APPEND", True, priority="project")
    return settings


# --- reading and checking ---------------------------------------------------------------------------


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"settings file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read settings file {path}: {exc}") from None


def _read(path: Path) -> dict[str, Any]:
    return _parse(path, _text(path))


def _parse(path: Path, text: str) -> dict[str, Any]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _line_from_message(str(exc))
        key = _key_on_line(text, line)
        about = f" (key {key!r})" if key else ""
        reason = getattr(exc, "msg", str(exc)).split(" (at line")[0]
        raise ConfigError(f"{path} line {line}{about}: {reason}") from None
    for key, value in data.items():
        if isinstance(value, dict):
            raise ConfigError(f"{path} line {_line_of(text, key)}: [{key}] sections are not used; the file is flat")
    return data


def _checked(key: str, value: Any, default: Any, where: str) -> Any:
    expected = type(default)
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if expected is list:
        ok = isinstance(value, list) and all(isinstance(item, str) for item in value)
    else:
        ok = isinstance(value, expected) and not (expected is int and isinstance(value, bool))
    if ok and expected is float and not math.isfinite(value):
        raise ConfigError(f"{where}: {key} must be a finite number, not {value!r}")
    if not ok:
        kind = {int: "a whole number", float: "a number", str: "a string", bool: "true or false"}.get(
            expected, "a list of strings"
        )
        raise ConfigError(f"{where}: {key} must be {kind}, not {value!r}")
    problem = CHECKS[key](value) if key in CHECKS else None
    if problem:
        raise ConfigError(f"{where}: {key} {problem}, not {value!r}")
    return value


def _from_env(raw: str, default: Any) -> Any:
    """An environment string read as the default's type; a wrong one is left for ``_checked`` to report."""
    raw = raw.strip()
    if isinstance(default, list):
        return [item.strip() for item in raw.split(",") if item.strip()]
    if isinstance(default, bool):
        return {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}.get(raw.lower(), raw)
    for kind in (int, float):
        if isinstance(default, kind):
            try:
                return kind(raw)
            except ValueError:
                return raw
    return raw


def _line_of(text: str, key: str) -> int:
    match = re.search(rf"^[ \t]*(\[[ \t]*)?[\"']?{re.escape(key)}[\"']?[ \t]*[=\]]", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 0


def _line_from_message(message: str) -> int:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else 0


def _key_on_line(text: str, line: int) -> str | None:
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return None
    match = re.match(r"\s*([A-Za-z0-9_\-\"']+)\s*=", lines[line - 1])
    return match.group(1).strip("\"'") if match else None
