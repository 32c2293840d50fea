"""Classification: explanations with offsets, the CLI's JSON Lines contract, and `rules apply`."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from crawler.cli import main
from crawler.rules import load_rules
from crawler.store import open_db
from crawler.store.classifications import reclassify

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"


@pytest.fixture(scope="module")
def rules():
    return load_rules(RULES)


def test_matches_carry_field_and_offsets(rules) -> None:
    title = "Блогера приговорили к четырём годам за «возбуждение розни»"
    text = "Суд Алматы приговорил блогера к четырём годам лишения свободы по статье 174 УК.\nЁлка."
    result = rules.classify(title, text, "ru")
    assert result.rubric == "Политзаключенные"
    assert result.rubrics[0] == {"rubric": "Политзаключенные", "score": result.score}
    assert all(r["score"] > 0 for r in result.rubrics)
    fields = {"title": title, "text": text}
    for m in result.matches:
        fragment = fields[m["field"]][m["start"] : m["end"]].lower().replace("ё", "е")
        first_word = m["term"].split()[0].rstrip("*").lower()
        assert first_word in fragment, (m, fragment)
    assert any(m["field"] == "title" and m["term"] == "розн*" for m in result.matches)
    assert any(m["term"] == "стать* 174" and text[m["start"] : m["end"]] == "статье 174" for m in result.matches)
    assert set(result.as_json()) == {"rubric", "score", "rubrics", "matches", "match_count"}
    assert result.match_count == len(result.matches)


def test_title_counts_more_than_text(rules) -> None:
    in_title = rules.classify("Участников пикета оштрафовали", "Суд назначил штрафы.", "ru")
    in_text = rules.classify("Новости дня", "Участников пикета оштрафовали. Суд назначил штрафы.", "ru")
    assert in_title.score > in_text.score


@pytest.mark.parametrize(
    "title, text",
    [
        (
            "Задержка рейса в Стамбул",
            "Вылет рейса из Астаны задержали на шесть часов, пассажиры ждут в аэропорту.",
        ),
        (
            "Суд арестовал имущество должника",
            "По иску банка о взыскании задолженности по кредиту арестовано имущество.",
        ),
        ("Митинг-концерт ко Дню города", "Акимат приглашает горожан на митинг-концерт и салют на площади."),
        ("Курс тенге", "Доллар подешевел на бирже до 505 тенге."),
        ("", ""),
    ],
)
def test_everyday_news_is_ignored(rules, title: str, text: str) -> None:
    assert rules.classify(title, text, "ru").rubric is None


def test_kazakh_items_are_classified(rules) -> None:
    result = rules.classify(
        "Наразылық акциясына қатысқандар ұсталды",
        "Полиция бейбіт жиналыс туралы заңды бұзды деп бірнеше белсендіні ұстады.",
        "kk",
    )
    assert result.rubric == "Право на свободу мирных собраний"


def _run_classify(monkeypatch, capsys, lines: list[str]) -> tuple[int, list[dict], str]:
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    code = main(["classify", "--rules", str(RULES)])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err


def test_classify_command_json_lines(monkeypatch, capsys) -> None:
    line = {
        "id": 7,
        "title": "ОМОН задержал участников митинга",
        "text": "В Алматы прошёл митинг.",
        "lang": "ru",
    }
    code, rows, err = _run_classify(monkeypatch, capsys, [json.dumps(line, ensure_ascii=False)])
    assert code == 0 and err == ""
    assert rows[0]["id"] == 7
    assert rows[0]["rubric"] == "Право на свободу мирных собраний"
    assert set(rows[0]) >= {"id", "rubric", "score", "rubrics", "matches"}
    assert {"term", "field", "start", "end"} <= set(rows[0]["matches"][0])


def test_classify_command_reports_bad_lines_and_goes_on(monkeypatch, capsys) -> None:
    good = json.dumps({"id": "a", "title": "Курс тенге", "text": "Доллар подешевел."})
    lines = [good, "{not json", json.dumps({"id": "b", "title": "без текста"}), "", good, "[1, 2]"]
    code, rows, err = _run_classify(monkeypatch, capsys, lines)
    assert code == 1
    assert [r["id"] for r in rows] == ["a", "a"]
    assert rows[0]["rubric"] is None
    assert "line 2: not valid JSON" in err
    assert 'line 3: missing "text"' in err
    assert "line 6:" in err
    assert "Traceback" not in err


def test_rules_eval_command(capsys) -> None:
    assert main(["rules", "eval", str(ROOT / "tests/data/dev.jsonl"), "--rules", str(RULES)]) == 0
    out = capsys.readouterr().out
    assert "relevant vs not: precision" in out and "confusion" in out


def test_rules_apply_reclassifies_only_undecided(tmp_path: Path, rules) -> None:
    db = open_db(tmp_path / "c.db")
    texts = {
        "candidate": ("Курс тенге", "Доллар подешевел на бирже."),  # a stale candidate: rules now ignore it
        "ignored": ("Журналиста задержали", "Полиция задержала журналиста, у редакции провели обыск."),
        "approved": ("Курс тенге", "Доллар подешевел."),
        "rejected": ("Курс тенге", "Доллар подешевел."),
        "exported": ("Курс тенге", "Доллар подешевел."),
    }
    for n, (status, (title, text)) in enumerate(texts.items(), 1):
        db["articles"].insert(
            {
                "id": n,
                "key": f"t:{n}",
                "url": f"https://example.kz/{n}",
                "outlet": "orda",
                "title": title,
                "text": text,
                "status": status,
                "rubric": "Пытки",
                "fetched_at": "2025-11-10T00:00:00+00:00",
            }
        )
    counts = reclassify(db, rules.classify)
    assert counts["seen"] == 2 and counts["promoted"] == 1 and counts["demoted"] == 1
    by_id = {r["id"]: r for r in db.query("SELECT id, status, rubric, matches FROM articles")}
    assert by_id[1]["status"] == "ignored" and by_id[1]["rubric"] is None
    assert by_id[2]["status"] == "candidate" and by_id[2]["rubric"] == "Свобода слова"
    assert json.loads(by_id[2]["matches"])
    for n in (3, 4, 5):
        assert by_id[n]["rubric"] == "Пытки"  # a monitor's item is never touched
    moves = list(db.query("SELECT article_id, user, from_status, to_status FROM transitions ORDER BY article_id"))
    assert moves == [
        {"article_id": 1, "user": "rules", "from_status": "candidate", "to_status": "ignored"},
        {"article_id": 2, "user": "rules", "from_status": "ignored", "to_status": "candidate"},
    ]
    assert reclassify(db, rules.classify, since="2030-01-01")["seen"] == 0


def test_rules_apply_command(tmp_path: Path, capsys) -> None:
    db_path = tmp_path / "a.db"
    open_db(db_path)
    assert main(["--db", str(db_path), "rules", "apply", "--rules", str(RULES), "--since", "2025-11-01"]) == 0
    assert "re-classified 0 article(s)" in capsys.readouterr().out
    assert main(["--db", str(db_path), "rules", "apply", "--since", "yesterday"]) == 2
    assert "expected a date" in capsys.readouterr().err
