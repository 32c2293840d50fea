"""crawler review and crawler user: the monitors' web page and their accounts."""

from __future__ import annotations

import argparse
import sys

from crawler.cli.common import command, flush_db_notes, open_db, port_number, rules_dir


def add_review(sub: argparse._SubParsersAction) -> None:
    p = command(sub, "review", _review, "The monitors' web page (binds 127.0.0.1 unless told otherwise).")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
    p.add_argument("--port", type=port_number, default=8080, help="port (default: %(default)s)")


def _review(args: argparse.Namespace) -> int:
    from werkzeug.serving import make_server

    from crawler.errors import UsageError
    from crawler.store import users
    from crawler.web import create_app

    # Exposed beyond this machine, the page must never run without accounts: it changes the bulletin.
    db = open_db(args.db, write=True)  # the page records decisions; says which database it serves
    if not _is_loopback(args.host) and users.count_users(db) == 0:
        raise UsageError(
            f"refusing to listen on {args.host}: no account exists yet; create one with `crawler user add NAME`"
            " or bind 127.0.0.1"
        )
    app = create_app(args.db, rules_dir=rules_dir())
    try:
        server = make_server(args.host, args.port, app, threaded=True)
    except OSError as exc:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from exc
    flush_db_notes()
    print(f"review page on http://{args.host}:{args.port}/ (Ctrl-C stops it)", file=sys.stderr)
    server.serve_forever()
    return 0


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def add_user(sub: argparse._SubParsersAction) -> None:
    user = sub.add_parser("user", help="Monitor accounts.", description="Monitor accounts for the review page.")
    usub = user.add_subparsers(title="user commands", metavar="USER_COMMAND")
    user.set_defaults(handler=lambda _args: user.print_help() or 2)
    p = command(usub, "add", _user_add, "Create a monitor account (password from stdin when it is not a terminal).")
    p.add_argument("name", help="login name")
    p = command(usub, "remove", _user_remove, "Delete a monitor account; its open sessions end at once.")
    p.add_argument("name", help="login name")
    p = command(
        usub,
        "passwd",
        _user_passwd,
        "Set a new password (from stdin when it is not a terminal); sessions with the old one end at once.",
    )
    p.add_argument("name", help="login name")


def _user_add(args: argparse.Namespace) -> int:
    from crawler.store import users

    password = _read_password()
    users.add_user(open_db(args.db, write=True), args.name, password)
    print(f"user {args.name} added")
    return 0


def _user_remove(args: argparse.Namespace) -> int:
    from crawler.store import users

    users.remove_user(open_db(args.db, write=True, create=False), args.name)
    print(f"user {args.name} removed; their sessions are ended")
    return 0


def _user_passwd(args: argparse.Namespace) -> int:
    from crawler.store import users

    db = open_db(args.db, write=True, create=False)
    if not users.user_exists(db, args.name):
        from crawler.errors import NotFound

        raise NotFound(f"no user {args.name!r}")
    users.change_password(db, args.name, _read_password())
    print(f"password of {args.name} changed; sessions with the old one are ended")
    return 0


def _read_password() -> str:
    import getpass

    from crawler.errors import UsageError

    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            raise UsageError("the passwords differ")
        return password
    return sys.stdin.readline().rstrip("\r\n")
