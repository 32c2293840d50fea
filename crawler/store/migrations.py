"""The recorded schema changes, applied in order by ``open_db``. Never edit an applied migration:
add a new one."""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

migrations = Migrations("bulletin-crawler")

STATUSES = ("candidate", "ignored", "approved", "rejected", "exported")


def status_for(rubric: str | None) -> str:
    """Where an undecided article sits: a suggested rubric makes it a candidate, none leaves it ignored."""
    return "candidate" if rubric else "ignored"


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,          -- canonical identity, e.g. 'rus.azattyq.org/33591001'
            url TEXT NOT NULL,                 -- canonical URL of the page
            outlet TEXT NOT NULL,
            title TEXT,
            author TEXT,
            published TEXT,                    -- ISO 8601 with offset, Asia/Almaty; NULL if unknown
            published_raw TEXT,                -- the string the date was read from
            lang TEXT,
            text TEXT NOT NULL DEFAULT '',
            skip_reason TEXT,                  -- set when the page is not an article (media page, ...)
            status TEXT NOT NULL DEFAULT 'ignored'
                CHECK (status IN ('candidate','ignored','approved','rejected','exported')),
            rubric TEXT,                       -- the rules' suggestion
            score REAL,
            rubrics TEXT,                      -- JSON: ranked [{rubric, score}]
            matches TEXT,                      -- JSON: [{term, field, start, end, rubric}]
            classified_at TEXT,
            approved_rubric TEXT,              -- the monitor's final rubric
            position INTEGER,                  -- order inside the rubric in the next bulletin
            reject_reason TEXT,
            edited_title TEXT,
            edited_text TEXT,
            bulletin INTEGER,
            decided_by TEXT,
            decided_at TEXT,
            fingerprint INTEGER,               -- 64-bit simhash of the text (signed)
            duplicate_of INTEGER REFERENCES articles(id),
            discovered_via TEXT,               -- the discovery strategy that found it
            run_id INTEGER,
            fetched_at TEXT NOT NULL
        );
        CREATE INDEX articles_status ON articles(status);
        CREATE INDEX articles_outlet_fetched ON articles(outlet, fetched_at);
        CREATE INDEX articles_published ON articles(published);
        CREATE INDEX articles_duplicate_of ON articles(duplicate_of);

        CREATE TABLE url_keys (                -- every identity an article was reached by (short links, AMP, ...)
            key TEXT PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id)
        );

        CREATE TABLE pages (                   -- the raw page, kept as evidence
            article_id INTEGER PRIMARY KEY REFERENCES articles(id),
            html_gz BLOB NOT NULL,
            http_status INTEGER,
            content_type TEXT,
            encoding TEXT,
            fetched_url TEXT
        );

        CREATE TABLE failures (                -- article URLs that could not be fetched (yet)
            key TEXT PRIMARY KEY,
            url TEXT NOT NULL,
            outlet TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 1,
            last_status INTEGER,
            last_error TEXT,
            last_attempt_at TEXT NOT NULL,
            next_attempt_at TEXT               -- NULL: do not retry
        );

        CREATE TABLE transitions (             -- every change of state: who, when, from, to
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            at TEXT NOT NULL,
            user TEXT NOT NULL,
            from_status TEXT,
            to_status TEXT NOT NULL,
            rubric TEXT,
            note TEXT
        );
        CREATE INDEX transitions_article ON transitions(article_id);

        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            status TEXT NOT NULL DEFAULT 'running',   -- running, ok, failed (a killed run stays running)
            replay INTEGER NOT NULL DEFAULT 0,
            pid INTEGER
        );

        CREATE TABLE run_outlets (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            outlet TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            requests INTEGER NOT NULL DEFAULT 0,
            article_requests INTEGER NOT NULL DEFAULT 0,
            new_articles INTEGER NOT NULL DEFAULT 0,
            candidates INTEGER NOT NULL DEFAULT 0,
            errors INTEGER NOT NULL DEFAULT 0,
            finish_reason TEXT,
            ok INTEGER,
            strategies TEXT,                   -- JSON: {strategy url: {"status": .., "links": n}}
            http_statuses TEXT                 -- JSON: {"200": n, "404": n, ...}
        );
        CREATE INDEX run_outlets_outlet ON run_outlets(outlet, started_at);

        CREATE TABLE bulletins (
            number INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL,
            items TEXT NOT NULL                -- JSON: article ids in bulletin order
        );

        CREATE TABLE users (
            name TEXT PRIMARY KEY,
            password_hash TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        """
    )
    db["articles"].enable_fts(["title", "text", "edited_title", "edited_text"], create_triggers=True)


@migrations()
def m004_ops(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE ops_state (               -- small facts operations remember between passes
            key TEXT PRIMARY KEY,              -- e.g. 'alert' (the health state last notified)
            value TEXT NOT NULL,               -- JSON
            updated_at TEXT NOT NULL
        );
        CREATE INDEX runs_started ON runs(started_at);
        CREATE INDEX run_outlets_run ON run_outlets(run_id);
        """
    )


@migrations()
def m005_run_findings(db: sqlite_utils.Database) -> None:
    # What a pass found beyond its counters: article links seen, links left out as too old or over the
    # cap, hosts that pages redirected to (a moved site). JSON, read by `crawler status`.
    db.execute("ALTER TABLE run_outlets ADD COLUMN findings TEXT")


@migrations()
def m006_stemmed_search(db: sqlite_utils.Database) -> None:
    """Search by word form: the prefix-only FTS table gives way to a table of Snowball stems
    (crawler/store/search_index.py), filled here for every stored article."""
    from crawler.store import search_index

    db["articles"].disable_fts()
    search_index.create(db)
    search_index.refresh(db)


@migrations()
def m007_sessions_and_login_throttle(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE sessions (                -- review-page logins; the cookie holds only a random token
            id TEXT PRIMARY KEY,               -- sha256 of that token (a stolen database holds no live cookie)
            user TEXT NOT NULL,
            password_tag TEXT NOT NULL,        -- ties the session to the password it was opened with
            created_at TEXT NOT NULL,
            address TEXT
        );
        CREATE INDEX sessions_user ON sessions(user);

        CREATE TABLE login_failures (          -- wrong passwords in a row, per account and per address
            kind TEXT NOT NULL CHECK (kind IN ('user', 'address')),
            subject TEXT NOT NULL,
            failures INTEGER NOT NULL,
            first_at TEXT NOT NULL,
            last_at TEXT NOT NULL,
            blocked_until TEXT,                -- no login attempt is checked before this moment
            PRIMARY KEY (kind, subject)
        );
        """
    )


@migrations()
def m008_article_version(db: sqlite_utils.Database) -> None:
    # Every decision and edit bumps it: an edit made from an older version is refused (lost update).
    db.execute("ALTER TABLE articles ADD COLUMN version INTEGER NOT NULL DEFAULT 0")


@migrations()
def m009_scale(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        -- how many matches the rules found; `matches` keeps at most a bounded number of them
        ALTER TABLE articles ADD COLUMN match_count INTEGER;
        -- the reprint check reads recent originals' fingerprints from this index alone, never the rows
        -- (whose text makes each one kilobytes): its cost stays flat as the store grows
        CREATE INDEX articles_recent_originals ON articles(fetched_at, fingerprint)
            WHERE duplicate_of IS NULL AND fingerprint IS NOT NULL;
        -- the review queue: one status (or all) in queue order, a page at a time without sorting the table
        CREATE INDEX articles_queue ON articles(status, score IS NULL, score DESC, published DESC, id);
        CREATE INDEX articles_queue_all ON articles(score IS NULL, score DESC, published DESC, id);
        -- the filter lists: each distinct value found by a few index seeks, not a scan of the table
        CREATE INDEX articles_lang ON articles(lang);
        CREATE INDEX articles_final_rubric ON articles(coalesce(approved_rubric, rubric));
        -- the queue's "decided today" count: a range of today's decisions, not a scan of the table
        CREATE INDEX articles_decided_at ON articles(decided_at) WHERE decided_at IS NOT NULL;
        """
    )
