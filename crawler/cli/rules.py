"""crawler classify and crawler rules: check, eval, apply."""

from __future__ import annotations

import argparse
import json
import sys

from crawler.cli.common import command, open_db, rules_dir


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
    for number, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            print(f"crawler: line {number}: not valid JSON ({exc.msg}, column {exc.colno})", file=sys.stderr)
            bad += 1
            continue
        problem = _classify_problem(obj)
        if problem:
            print(f"crawler: line {number}: {problem}", file=sys.stderr)
            bad += 1
            continue
        result = rules.classify(obj.get("title") or "", obj["text"], obj.get("lang"))
        sys.stdout.write(json.dumps({"id": obj.get("id"), **result.as_json()}, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    if bad:
        print(f"crawler: {bad} line(s) could not be classified", file=sys.stderr)
    return 1 if bad else 0


def _classify_problem(obj: object) -> str | None:
    if not isinstance(obj, dict):
        return "expected a JSON object {id, title, text}"
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
    db = open_db(args.db)
    with bar(count_reclassifiable(db, since=args.since), "rules apply") as shown:
        counts = reclassify(db, rules.classify, since=args.since, progress=shown.update)
    print(
        f"re-classified {counts['seen']} article(s): {counts['candidate']} candidate,"
        f" {counts['ignored']} ignored ({counts['promoted']} promoted, {counts['demoted']} demoted,"
        f" {counts['skipped']} decided meanwhile)"
    )
    return 0
