"""Every error a user can cause or meet. The CLI prints ``str(error)`` as one line and exits non-zero.

A shallow hierarchy grouped by kind; each class names a state, not a place in the code.
"""


class CrawlerError(Exception):
    """Base class: something the user or the environment got wrong, reported without a traceback."""

    exit_code = 2


class UsageError(CrawlerError):
    """A command-line argument or option value that cannot be used."""


class ConfigError(CrawlerError):
    """The settings file or an environment override is malformed."""


class RulesError(CrawlerError):
    """The rubric rules in rules/*.yml are invalid; the message names file, line and rubric."""


class StoreError(CrawlerError):
    """The database cannot be used."""


class DatabaseLocked(StoreError):
    """Another process holds the database (or the crawl lock) longer than we are willing to wait."""


class DatabaseCorrupt(StoreError):
    """The database file is not a usable SQLite database."""


class DatabaseFull(StoreError):
    """A write failed for lack of space: the disk (or the database's size limit) is full."""


class RunLocked(CrawlerError):
    """Another crawl pass is already running on this database."""

    exit_code = 3


class NotFound(CrawlerError):
    """An article, bulletin, user or rubric that does not exist."""


class InvalidTransition(CrawlerError):
    """A decision that the article's current state does not allow (e.g. approving an exported item)."""


class AlreadyDecided(InvalidTransition):
    """Someone else changed the article between the moment the caller saw it and the decision."""


class ExportError(CrawlerError):
    """The bulletin cannot be produced or written."""


class NothingToExport(ExportError):
    """No approved items: there is no next bulletin to export."""


class BulletinTaken(ExportError):
    """The bulletin's number was recorded meanwhile (another export, or the same one clicked twice)."""

    def __init__(self, message: str, number: int) -> None:
        super().__init__(message)
        self.number = number


class ItemsChanged(ExportError):
    """An item of the bulletin stopped being approved while it was exported; nothing was recorded."""


class ReplayError(CrawlerError):
    """The bundled offline snapshot is missing or malformed."""


class OnboardingError(CrawlerError):
    """A site `crawler outlet add` cannot declare: unreachable, closed by robots.txt, no article found,
    or an article pattern that would also take its home or tag pages."""


class NoNetwork(CrawlerError):
    """The outlets cannot be reached at all (no network on this machine)."""


class NodeError(CrawlerError):
    """A Scrapyd node cannot be reached or refused a request; the message names the node."""
