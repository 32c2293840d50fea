"""crawler classify and crawler rules: check, eval, apply."""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, BinaryIO

from crawler.cli.common import command, open_db, rules_dir

if TYPE_CHECKING:
    from crawler.rules import RuleSet

MAX_ID_CHARS = 1000  # an id is a key, not a text


def add_classify(sub: argparse._SubParsersAction) -> None:
    p = command(
        sub,
        "classify",
        _classify,
        "Classify JSON Lines from stdin ({id, title, text, lang?}) into rubrics, JSON Lines on stdout.",
    )
    p.add_argument("--rules", default=rules_dir(), metavar="DIR", help="rules folder (default: %(default)s)")
    p.epilog = "A bad line is reported on stderr with its number; the others are still classified (exit 1)."


def _classify(args: argparse.Namespace) -> int:
    from crawler.rules import load_rules

    rules = load_rules(args.rules)
    bad = 0
    stream = getattr(sys.stdin, "buffer", None)  # bytes: a line that is not UTF-8 is that line's error
    if stream is None:  # a text stream put in place of stdin (tests, embedding)
        stream = io.BytesIO(sys.stdin.read().encode("utf-8", "surrogateescape"))
    for number, raw in _input_lines(stream):
        output, problem = classify_line(rules, raw)
        if problem:
            print(f"crawler: line {number}: {problem}", file=sys.stderr)
            bad += 1
        elif output:
            sys.stdout.write(output + "\n")
    sys.stdout.flush()
    if bad:
        print(f"crawler: {bad} line(s) could not be classified", file=sys.stderr)
    return 1 if bad else 0


MAX_LINE_BYTES = 16 * 1024 * 1024  # one article per line: far below this; memory stays bounded by it


def _input_lines(stream: BinaryIO, limit: int = MAX_LINE_BYTES) -> Iterator[tuple[int, bytes | None]]:
    """(number, line) for every line of ``stream``; a line longer than ``limit`` comes as None, skipped
    without holding it in memory."""
    number = 0
    while chunk := stream.readline(limit + 1):
        number += 1
        if len(chunk) > limit and not chunk.endswith(b"\n"):
            while (rest := stream.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield number, None
        else:
            yield number, chunk


def classify_line(rules: RuleSet, raw: bytes | None) -> tuple[str | None, str | None]:
    """One input line classified: (the JSON output line, None), (None, the problem), or (None, None)
    for a blank line. Never raises on what the line holds."""
    from crawler import jsonguard

    if raw is None:
        return None, f"longer than {MAX_LINE_BYTES // (1024 * 1024)} MiB"
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, f"not UTF-8 text (byte {exc.start + 1})"
    if not line.strip():
        return None, None
    try:
        obj = jsonguard.loads(line)
    except json.JSONDecodeError as exc:
        return None, f"not valid JSON ({exc.msg}, column {exc.colno})"
    except ValueError as exc:  # nested too deep, or a number too long to read
        return None, f"not usable JSON ({str(exc).split(';')[0]})"
    problem = _classify_problem(obj)
    if problem:
        return None, problem
    result = rules.classify(obj.get("title") or "", obj["text"], obj.get("lang"))
    return json.dumps({"id": obj.get("id"), **result.as_json()}, ensure_ascii=False), None


def _classify_problem(obj: object) -> str | None:
    if not isinstance(obj, dict):
        return "expected a JSON object {id, title, text}"
    ident = obj.get("id")
    if isinstance(ident, bool) or not (ident is None or isinstance(ident, (str, int))):
        return '"id" must be a string or a whole number'
    if isinstance(ident, int) and not -(2**63) <= ident < 2**63:
        return '"id" is out of range (a whole number must fit in 64 bits)'
    if isinstance(ident, str) and len(ident) > MAX_ID_CHARS:
        return f'"id" is longer than {MAX_ID_CHARS} characters'
    if "text" not in obj or obj["text"] is None:
        return 'missing "text"'
    for key in ("text", "title", "lang"):
        if obj.get(key) is not None and not isinstance(obj[key], str):
            return f'"{key}" must be a string'
    return None


def add_rules(sub: argparse._SubParsersAction) -> None:
    rules = sub.add_parser(
        "rules", help="Lint, evaluate and re-apply the rubric rules.", description="The rubric rules."
    )
    rsub = rules.add_subparsers(title="rules commands", metavar="RULES_COMMAND")
    rules.set_defaults(handler=lambda _args: rules.print_help() or 2)
    p = command(rsub, "check", _rules_check, "Lint the rules: every problem with file, line and rubric.")
    p.add_argument(
        "dir",
        nargs="?",
        default=rules_dir(),
        metavar="DIR",
        help="rules folder (default: %(default)s)",
    )
    p = command(
        rsub,
        "eval",
        _rules_eval,
        "Precision, recall, F1 per rubric and a confusion table on a labelled file.",
    )
    p.add_argument("file", metavar="FILE.jsonl", help='labelled JSON Lines: {"title","text","rubric"(or null),...}')
    p.add_argument("--rules", default=rules_dir(), metavar="DIR", help="rules folder (default: %(default)s)")
    p.add_argument("--errors", action="store_true", help="also list every wrong suggestion")
    p.add_argument("--json", action="store_true", help="the figures as one JSON object")
    p = command(rsub, "apply", _rules_apply, "Re-classify stored candidate/ignored articles with the current rules.")
    p.add_argument("--since", metavar="DATE", help="only articles fetched on or after DATE (ISO 8601, e.g. 2025-11-01)")
    p.add_argument("--rules", default=rules_dir(), metavar="DIR", help="rules folder (default: %(default)s)")
    p.epilog = "Approved, rejected and exported articles are never touched."


def _rules_check(args: argparse.Namespace) -> int:
    from crawler.rules import check_rules, load_rules

    problems = check_rules(args.dir)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"crawler: {len(problems)} problem(s) in {args.dir}", file=sys.stderr)
        return 1
    rules = load_rules(args.dir)
    print(f"{args.dir}: ok, {len(rules.rubrics)} rubrics, {rules.term_count} terms")
    return 0


def _rules_eval(args: argparse.Namespace) -> int:
    from crawler.rules import evaluate, load_rules, read_labelled

    rules = load_rules(args.rules)
    result = evaluate(rules, read_labelled(args.file))
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
    else:
        print(result.report(show_errors=args.errors))
    return 0


def _rules_apply(args: argparse.Namespace) -> int:
    from datetime import date

    from crawler.errors import UsageError
    from crawler.progress import bar
    from crawler.rules import load_rules
    from crawler.store.classifications import count_reclassifiable, reclassify

    if args.since:
        try:
            date.fromisoformat(args.since[:10])
        except ValueError:
            raise UsageError(f"--since {args.since!r}: expected a date like 2025-11-01") from None
    rules = load_rules(args.rules)
    db = open_db(args.db, write=True, create=False)
    with bar(count_reclassifiable(db, since=args.since), "rules apply") as shown:
        counts = reclassify(db, rules.classify, since=args.since, progress=shown.update)
    print(
        f"re-classified {counts['seen']} article(s): {counts['candidate']} candidate,"
        f" {counts['ignored']} ignored ({counts['promoted']} promoted, {counts['demoted']} demoted,"
        f" {counts['skipped']} decided meanwhile)"
    )
    return 0
