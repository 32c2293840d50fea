"""Publication dates as the outlets write them, turned into aware datetimes in Asia/Almaty.

Every outlet publishes from Kazakhstan, so a date without an offset is local time (UTC+5, one zone
since 2024). The parser accepts what the pages and feeds actually carry — ISO 8601, RFC 822, Russian
and Kazakh month names, ``DD.MM.YYYY``, "Вчера, 15:30", a bare "15:30" — and returns ``None`` for
anything else rather than guessing.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

ALMATY = ZoneInfo("Asia/Almaty")

# A month is recognised by the start of its word, so one entry covers every case ending:
# "ноябрь"/"ноября", "қараша"/"қарашада", "Nov"/"November".
_MONTH_STEMS: tuple[tuple[str, int], ...] = (
    ("янв", 1), ("фев", 2), ("мар", 3), ("апр", 4), ("мая", 5), ("май", 5), ("июн", 6), ("июл", 7),
    ("авг", 8), ("сен", 9), ("окт", 10), ("ноя", 11), ("дек", 12),
    ("қаң", 1), ("ақп", 2), ("нау", 3), ("сәу", 4), ("мам", 5), ("мау", 6), ("шіл", 7), ("там", 8),
    ("қыр", 9), ("қаз", 10), ("қар", 11), ("жел", 12),
    ("jan", 1), ("feb", 2), ("mar", 3), ("apr", 4), ("may", 5), ("jun", 6), ("jul", 7), ("aug", 8),
    ("sep", 9), ("oct", 10), ("nov", 11), ("dec", 12),
)  # fmt: skip

_TIME = r"(?:(?:,|\s|в|at)+(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?::(?P<second>\d{2}))?)?"
_DAY_MONTH_YEAR = re.compile(
    r"^(?P<day>\d{1,2})\s+(?P<month>[^\W\d_]+)\.?,?\s+(?P<year>\d{4})"
    r"(?:\s*(?:г\.|года|год|ж\.|жылы))?" + _TIME + r"$",
    re.IGNORECASE,
)
_MONTH_DAY_YEAR = re.compile(  # English pages: "November 12, 2025"
    r"^(?P<month>[^\W\d_]+)\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})" + _TIME + r"$", re.IGNORECASE
)
_KAZAKH = re.compile(  # "2025 жылғы 12 қараша", "2025 ж. 12 қараша, 14:05"
    r"^(?P<year>\d{4})\s*(?:жылғы|жыл|ж\.)?\s+(?P<day>\d{1,2})\s+(?P<month>[^\W\d_]+)" + _TIME + r"$",
    re.IGNORECASE,
)
_NUMERIC = re.compile(r"^(?P<day>\d{1,2})[./](?P<month>\d{1,2})[./](?P<year>\d{4})(?:\s*г\.)?" + _TIME + r"$")
_RELATIVE = re.compile(r"^(?P<word>вчера|сегодня|кеше|бүгін|yesterday|today)" + _TIME + r"$", re.IGNORECASE)
_BARE_TIME = re.compile(r"^(?P<hour>\d{1,2}):(?P<minute>\d{2})$")
_RFC822_NO_WEEKDAY = re.compile(r"^\d{1,2} [A-Za-z]{3} \d{4} \d")
_RELATIVE_DAYS = {"вчера": 1, "кеше": 1, "yesterday": 1, "сегодня": 0, "бүгін": 0, "today": 0}

_EARLIEST = datetime(2000, 1, 1, tzinfo=ALMATY)
_FUTURE_SLACK = timedelta(days=1)


def parse_date(raw: str, *, now: datetime | None = None) -> datetime | None:
    """Parse one date string as an outlet or feed writes it; ``None`` when it is not a date we know."""
    text = " ".join(raw.replace("\xa0", " ").split()).strip(" ,|")
    if not text:
        return None
    return _parse_iso(text) or _parse_rfc822(text) or _parse_words(text, now)


def check_date(value: datetime, *, now: datetime | None = None) -> str | None:
    """Say why a parsed date cannot be a publication date (in the future, before 2000), or ``None``."""
    current = _now(now)
    if value > current + _FUTURE_SLACK:
        return f"date in the future ({value.isoformat()})"
    if value < _EARLIEST:
        return f"date before 2000 ({value.isoformat()})"
    return None


def _now(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(ALMATY)
    return now if now.tzinfo else now.replace(tzinfo=ALMATY)


def _localise(value: datetime) -> datetime:
    return value.replace(tzinfo=ALMATY) if value.tzinfo is None else value


def _parse_iso(text: str) -> datetime | None:
    if not text[:4].isdigit() or "-" not in text[:8]:
        return None
    try:
        return _localise(datetime.fromisoformat(text))
    except ValueError:
        return None


def _parse_rfc822(text: str) -> datetime | None:
    looks_rfc822 = (
        text[:3].isascii() and text[:1].isalpha() and "," in text[:5]
    ) or _RFC822_NO_WEEKDAY.match(text)
    if not looks_rfc822:
        return None
    try:
        return _localise(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        return None


def _month_number(word: str) -> int | None:
    word = word.lower()
    return next((number for stem, number in _MONTH_STEMS if word.startswith(stem)), None)


def _build(year: int, month: int | None, day: int, groups: dict[str, str | None]) -> datetime | None:
    if month is None:
        return None
    hour, minute, second = (int(groups.get(key) or 0) for key in ("hour", "minute", "second"))
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=ALMATY)
    except ValueError:
        return None


def _parse_words(text: str, now: datetime | None) -> datetime | None:
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR, _KAZAKH):
        if match := pattern.match(text):
            groups = match.groupdict()
            month = _month_number(groups["month"] or "")
            return _build(int(groups["year"]), month, int(groups["day"]), groups)
    if match := _NUMERIC.match(text):
        groups = match.groupdict()
        return _build(int(groups["year"]), int(groups["month"]), int(groups["day"]), groups)
    today = _now(now).astimezone(ALMATY).date()
    if match := _RELATIVE.match(text):
        groups = match.groupdict()
        day = today - timedelta(days=_RELATIVE_DAYS[groups["word"].lower()])
        return _on_day(day, groups)
    if match := _BARE_TIME.match(text):
        return _on_day(today, match.groupdict())
    return None


def _on_day(day: date, groups: dict[str, str | None]) -> datetime | None:
    try:
        clock = time(int(groups.get("hour") or 0), int(groups.get("minute") or 0))
    except ValueError:
        return None
    return datetime.combine(day, clock, tzinfo=ALMATY)
