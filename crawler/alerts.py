"""Alerts: one message when health changes (healthy → unhealthy, and back), through apprise.

The state last notified is remembered in the database (``ops_state``), so a message goes out once per
change, not once per pass. A target that is down is logged and the change stays pending: the next
check tries again. Sending never raises — the crawl must not stop because an alert could not go out.
"""

from __future__ import annotations

import logging
import socket
import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from crawler.health import StatusReport
from crawler.store import health as store

if TYPE_CHECKING:  # the store hands in a sqlite_utils.Database or a light reader (store.db.open_reader)
    import sqlite_utils

logger = logging.getLogger(__name__)
STATE_KEY = "alert"


def notify_change(db: sqlite_utils.Database, report: StatusReport, config: Mapping[str, Any]) -> str | None:
    """Send an alert if ``report`` differs from the health last notified; returns what was sent
    ("unhealthy" or "recovered"), or None when nothing changed, nothing is configured or sending failed."""
    urls = list(config.get("alert_urls") or [])
    last = store.get_state(db, STATE_KEY) or {"healthy": True}
    if report.healthy == last["healthy"] or not urls:
        return None
    title, body = message(report, last)
    if not send(urls, title, body, timeout=float(config.get("alert_timeout_seconds", 15))):
        logger.warning("alert not delivered (%s); will retry after the next pass", title)
        return None
    store.set_state(
        db,
        STATE_KEY,
        {"healthy": report.healthy, "since": report.generated_at, "warnings": [str(w) for w in report.warnings]},
    )
    logger.info("alert sent: %s", title)
    return "recovered" if report.healthy else "unhealthy"


def message(report: StatusReport, last: Mapping[str, Any]) -> tuple[str, str]:
    """Title and body of the alert for this change."""
    host = socket.gethostname()
    if report.healthy:
        since = last.get("since") or "?"
        body = f"Every outlet is crawled as usual again (at {report.generated_at}; unhealthy since {since})."
        return f"bulletin crawler on {host}: recovered", body
    lines = [f"{len(report.warnings)} warning(s) at {report.generated_at}:", *(f"- {w}" for w in report.warnings)]
    lines.append("Run `crawler status` on the server for the full report.")
    return f"bulletin crawler on {host}: UNHEALTHY", "\n".join(lines)


def send(urls: Sequence[str], title: str, body: str, *, timeout: float) -> bool:
    """Deliver to each URL; True when at least one target accepted it (so a target that stays down
    does not make the others receive the same change again every pass). Never raises."""
    with warnings.catch_warnings():
        # apprise's plugins still import modules Python deprecates (imghdr); not ours to fix, and an
        # alert must not fail where warnings are errors
        warnings.simplefilter("ignore", DeprecationWarning)
        return _send(urls, title, body, timeout=timeout)


def _send(urls: Sequence[str], title: str, body: str, *, timeout: float) -> bool:
    import apprise

    delivered = 0
    for url in urls:
        try:
            target = apprise.Apprise()
            if not target.add(url):
                logger.warning("alert URL not understood by apprise: %s", _redacted(url))
                continue
            if target.notify(body=body, title=title, timeout=timeout):
                delivered += 1
            else:
                logger.warning("alert target %s did not accept the message", _redacted(url))
        except Exception as exc:  # a notification library failing in any way must not stop the crawl
            logger.warning("alert to %s failed: %s: %s", _redacted(url), exc.__class__.__name__, exc)
    return delivered > 0


def _redacted(url: str) -> str:
    """The scheme and host only: alert URLs carry passwords and tokens."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/')[0].rsplit('@', 1)[-1]}/…"
