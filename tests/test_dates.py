"""Date strings as the outlets and their feeds write them."""

from __future__ import annotations

from datetime import datetime

import pytest

from crawler.dates import ALMATY, check_date, parse_date

NOW = datetime(2025, 11, 15, 12, 0, tzinfo=ALMATY)


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2025-11-14T09:12:00Z", "2025-11-14T14:12:00+05:00"),
        ("2025-11-10T18:40:00+05:00", "2025-11-10T18:40:00+05:00"),
        ("2025-11-10T18:40:00", "2025-11-10T18:40:00+05:00"),  # naive → Almaty
        ("2025-11-12", "2025-11-12T00:00:00+05:00"),
        ("Fri, 14 Nov 2025 09:12:00 +0000", "2025-11-14T14:12:00+05:00"),
        ("Fri, 14 Nov 2025 14:12:00", "2025-11-14T14:12:00+05:00"),
        ("12 ноября 2025", "2025-11-12T00:00:00+05:00"),
        ("12 ноября 2025 г.", "2025-11-12T00:00:00+05:00"),
        ("12 ноября 2025 года, 14:05", "2025-11-12T14:05:00+05:00"),
        ("12\xa0ноября 2025, 14:05", "2025-11-12T14:05:00+05:00"),
        ("1 мая 2025", "2025-05-01T00:00:00+05:00"),
        ("3 марта 2025 в 9:15", "2025-03-03T09:15:00+05:00"),
        ("10.11.2025", "2025-11-10T00:00:00+05:00"),
        ("10.11.2025 15:30", "2025-11-10T15:30:00+05:00"),
        ("Вчера, 15:30", "2025-11-14T15:30:00+05:00"),
        ("Сегодня, 09:00", "2025-11-15T09:00:00+05:00"),
        ("15:30", "2025-11-15T15:30:00+05:00"),
        ("2025 жылғы 12 қараша", "2025-11-12T00:00:00+05:00"),
        ("2025 жылғы 3 маусым, 10:00", "2025-06-03T10:00:00+05:00"),
        ("12 қараша 2025 ж.", "2025-11-12T00:00:00+05:00"),
        ("5 мамыр 2025", "2025-05-05T00:00:00+05:00"),
        ("20 қаңтар 2025", "2025-01-20T00:00:00+05:00"),
        ("1 қазан 2025", "2025-10-01T00:00:00+05:00"),
        ("Кеше, 15:30", "2025-11-14T15:30:00+05:00"),
        ("November 12, 2025", "2025-11-12T00:00:00+05:00"),
    ],
)
def test_parse_date(raw: str, iso: str) -> None:
    value = parse_date(raw, now=NOW)
    assert value is not None
    assert value.astimezone(ALMATY).isoformat() == iso


@pytest.mark.parametrize(
    "raw", ["", "   ", "скоро", "31.02.2025", "12 foo 2025", "25:99", "2025-13-45T00:00"]
)
def test_unparseable_is_none(raw: str) -> None:
    assert parse_date(raw, now=NOW) is None


def test_naive_result_is_almaty() -> None:
    assert parse_date("10.11.2025", now=NOW).utcoffset().total_seconds() == 5 * 3600


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (datetime(2025, 11, 17, tzinfo=ALMATY), "date in the future (2025-11-17T00:00:00+05:00)"),
        (datetime(1999, 12, 31, tzinfo=ALMATY), "date before 2000"),
        (datetime(2025, 11, 16, 11, 0, tzinfo=ALMATY), None),  # within a day: clocks and zones disagree
        (datetime(2000, 1, 1, tzinfo=ALMATY), None),
    ],
)
def test_check_date(value: datetime, problem: str | None) -> None:
    result = check_date(value, now=NOW)
    assert result == problem if problem is None else result.startswith(problem)
