"""The monitors' review page: a small Flask app over the store.

One module per page type (queue, article, search, approved list), plus auth, CSRF and security
headers. Views read through ``crawler.store.review`` and decide through ``crawler.store.decisions``;
no SQL lives here.
"""

from crawler.web.app import create_app

__all__ = ["create_app"]
