"""``crawler snapshot check``: replay a snapshot into a throw-away database and show what it stored.

Per outlet, each stored article's title, date, author, text length and first line, the pages it skipped
and the article URLs that failed, so a person can confirm a recording at a glance. The same replay is
the golden check the test suite runs over every recorded snapshot (``article_problems``): a title, a
date, a body of at least ``MIN_TEXT`` characters and no line of page chrome.
"""

from __future__ import annotations

import re
import sqlite3
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from crawler.errors import ReplayError

MEDIA_PAGE = "media page"  # the one skip reason that is not a fault: a page with a player and no text
MIN_TEXT = 200  # characters: shorter is a teaser or a page the extraction got wrong
CHROME_LINE_MAX = 200  # chrome is short; a longer paragraph that mentions cookies is the article's
# Lines that are page chrome, not article text: what a news page puts around the article.
CHROME_LINES = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"^\W*(читайте|смотрите|см\.) (также|еще|ещё)\b",
        r"^\W*(оқыңыз|сондай-ақ оқыңыз)\b",
        r"\bфайл\w* cookie|\bcookies?\b.*\b(используем|принять|accept|согласи)",
        r"^\W*(RU|KZ|EN|ҚАЗ|РУС|ENG|QAZ)(\s*[|/·]\s*(RU|KZ|EN|ҚАЗ|РУС|ENG|QAZ))+\W*$",
        r"^\W*(поделиться|share)\b",
        r"\b(подписывайтесь|подпишитесь)\b.*\b(на наш|канал|telegram|рассылк)",
        r"\bсвидетельств\w* о (постановке на уч[её]т|регистрации|перепостановке)",
        r"\bвсе права защищены\b|^\W*©",
        r"^\W*(зарегистрируйтесь|войдите в свой аккаунт)\b",
        r"^\W*(реклама|advertisement)\W*$",
        r"^\W*(теги|метки|tags)\s*:",
        r"^\W*(комментарии|оставить комментарий|добавить комментарий)\b",
        r"\bпри (использовании|цитировании|перепечатке) материал\w*.*ссылк",
        r"^\W*(главная|home)\s*[›»/>|]",
    )
)


@dataclass
class CheckedArticle:
    url: str
    title: str | None
    published: str | None
    author: str | None
    chars: int
    first_line: str
    skip_reason: str | None
    problems: list[str]


@dataclass
class OutletCheck:
    outlet: str
    finish_reason: str
    articles: list[CheckedArticle] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)

    @property
    def stored(self) -> int:
        """Articles with text (a skipped media page is stored but is not one)."""
        return sum(1 for article in self.articles if not article.skip_reason)


def chrome_lines(text: str) -> list[str]:
    """The short lines of ``text`` that are page chrome (navigation, share, cookie, "read also" …)."""
    lines = [" ".join(line.split()) for line in re.split(r"\n+", text)]
    return [
        line
        for line in lines
        if line and len(line) <= CHROME_LINE_MAX and any(pattern.search(line) for pattern in CHROME_LINES)
    ]


def article_problems(row: dict[str, Any]) -> list[str]:
    """Why a stored article is not a good one: no title, no date, a short body, page chrome in it."""
    skipped = row.get("skip_reason")
    if skipped == MEDIA_PAGE:
        return []  # not an article (audio, video) and stored as such: nothing to check
    if skipped:
        return [f"skipped: {skipped}"]  # "no text", "too short": the extraction missed the article
    problems = []
    if not (row.get("title") or "").strip():
        problems.append("no title")
    if not row.get("published"):
        problems.append("no date")
    text = row.get("text") or ""
    if len(text) < MIN_TEXT:
        problems.append(f"text only {len(text)} characters")
    problems.extend(f"chrome line: {line[:60]!r}" for line in chrome_lines(text))
    return problems


def _first_line(text: str, width: int = 100) -> str:
    line = next((" ".join(p.split()) for p in text.split("\n") if p.strip()), "")
    return line if len(line) <= width else line[: width - 1] + "…"


def snapshot_outlets(folder: Path) -> list[str]:
    """The outlets a snapshot folder holds; a folder that is not an outlet is a ReplayError."""
    from crawler.outlets import load_outlets

    known = list(load_outlets())
    names = sorted(path.parent.name for path in folder.glob("*/routes.yml"))
    unknown = [name for name in names if name not in known]
    if unknown:
        raise ReplayError(f"{folder}/{unknown[0]}: not an outlet (known: {', '.join(known)})")
    return names


def check_snapshot(folder: str | Path, outlets: list[str] | None = None) -> list[OutletCheck]:
    """Replay ``folder`` (every outlet in it, or ``outlets``) into a temporary database and read back
    what each outlet stored."""
    from crawler.outlets import select_outlets
    from crawler.replay import resolve_snapshot
    from crawler.run import run_pass

    path = resolve_snapshot(folder)
    present = snapshot_outlets(path)
    selected = select_outlets(outlets) if outlets else present
    missing = [name for name in selected if name not in present]
    if missing:
        raise ReplayError(f"{path} has no recording of {', '.join(missing)} (it holds {', '.join(present)})")
    with tempfile.TemporaryDirectory(prefix="crawler-check-") as scratch:
        db_path = Path(scratch) / "check.db"
        result = run_pass(
            str(db_path),
            outlets=selected,
            replay=True,
            snapshot=path,
            progress=False,
            overrides={"LOG_LEVEL": "ERROR"},
        )
        conn = sqlite3.connect(db_path)
        conn.row_factory = sqlite3.Row
        try:
            articles = [dict(row) for row in conn.execute("SELECT * FROM articles ORDER BY outlet, published, url")]
            failures = [dict(row) for row in conn.execute("SELECT * FROM failures ORDER BY outlet, url")]
        finally:
            conn.close()
    checks = {name: OutletCheck(name, str(result.outlets[name]["finish_reason"])) for name in selected}
    for row in articles:
        checks[row["outlet"]].articles.append(
            CheckedArticle(
                url=row["url"],
                title=row["title"],
                published=row["published"],
                author=row["author"],
                chars=len(row["text"] or ""),
                first_line=_first_line(row["text"] or ""),
                skip_reason=row["skip_reason"],
                problems=article_problems(row),
            )
        )
    for row in failures:
        checks[row["outlet"]].failures.append(
            {"url": row["url"], "status": row["last_status"], "error": row["last_error"]}
        )
    return list(checks.values())


def as_json(checks: list[OutletCheck]) -> dict[str, Any]:
    return {
        check.outlet: {
            "stored": check.stored,
            "finish_reason": check.finish_reason,
            "articles": [asdict(article) for article in check.articles],
            "failures": check.failures,
        }
        for check in checks
    }


def text(checks: list[OutletCheck]) -> str:
    """For a person: per outlet, one block per article, then what failed."""
    lines: list[str] = []
    for check in checks:
        flagged = sum(1 for article in check.articles if article.problems)
        summary = f"{check.stored} articles stored, {flagged} flagged, {len(check.failures)} failed"
        lines += [f"== {check.outlet}: {summary} ({check.finish_reason})", ""]
        for article in check.articles:
            if article.skip_reason:
                lines.append(f"  skipped ({article.skip_reason}): {article.url}")
                lines.extend(f"    ! {problem}" for problem in article.problems)
                lines.append("")
                continue
            date = article.published or "NO DATE"
            lines.append(f"  {article.title or 'NO TITLE'}")
            lines.append(f"    {date} · {article.author or 'no author'} · {article.chars} characters")
            lines.append(f"    «{article.first_line}»")
            lines.append(f"    {article.url}")
            lines.extend(f"    ! {problem}" for problem in article.problems)
            lines.append("")
        for failure in check.failures:
            lines.append(f"  failed: {failure['url']} — {failure['error']}")
        if check.failures:
            lines.append("")
        if not check.stored:
            lines += [f"  {check.outlet} STORED NOTHING", ""]
    return "\n".join(lines).rstrip()
