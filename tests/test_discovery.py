"""Discovery from the site itself, as plain functions: robots.txt, advertised feeds, sitemaps newest
first, listing pagination in the forms real sites use."""

from crawler import discovery


def test_robots_txt_sitemap_lines_are_found_in_any_case_and_made_absolute() -> None:
    text = "User-agent: *\nDisallow: /wp-admin/\nSitemap: https://bureau.kz/sitemap_index.xml\nsitemap: /news.xml\n"
    assert discovery.robots_sitemaps(text, "https://bureau.kz/robots.txt") == [
        "https://bureau.kz/sitemap_index.xml",
        "https://bureau.kz/news.xml",
    ]


def test_robots_txt_without_sitemaps_names_none() -> None:
    assert discovery.robots_sitemaps("User-agent: *\nDisallow: /\n", "https://vlast.kz/robots.txt") == []


def test_advertised_feeds_come_from_link_alternate_and_a_json_rss_url() -> None:
    html = """<html><head>
    <link rel="stylesheet" href="/a.css">
    <link rel="alternate" type="application/rss+xml" title="Новости" href="/api/zmqoqveqpo">
    <link rel="alternate" hreflang="kk" href="https://kaz.orda.kz/">
    <link rel="Alternate" type="application/atom+xml" href="https://example.kz/atom.xml">
    </head><body><script>var cfg = {"rssUrl":"https:\\/\\/www.azattyqasia.org\\/api\\/zgkqrjepqp"};</script>
    </body></html>"""
    assert discovery.advertised_feeds(html, "https://www.azattyqasia.org/") == [
        "https://www.azattyqasia.org/api/zmqoqveqpo",
        "https://example.kz/atom.xml",
        "https://www.azattyqasia.org/api/zgkqrjepqp",
    ]


def test_a_sitemap_index_is_read_newest_first_by_lastmod() -> None:
    xml = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <sitemap><loc>https://x.kz/post-sitemap1.xml</loc><lastmod>2024-01-01T10:00:00+05:00</lastmod></sitemap>
    <sitemap><loc>https://x.kz/post-sitemap3.xml</loc><lastmod>2025-11-19T10:00:00+05:00</lastmod></sitemap>
    <sitemap><loc>https://x.kz/page-sitemap.xml</loc></sitemap>
    <sitemap><loc>https://x.kz/post-sitemap2.xml</loc><lastmod>2025-03-01</lastmod></sitemap>
    </sitemapindex>"""
    root, problem = discovery.parse_xml(xml)
    assert problem is None
    sitemap = discovery.read_sitemap(root)
    assert sitemap is not None and sitemap.kind == "index"
    assert [url.rsplit("/", 1)[1] for url, _ in sitemap.children] == [
        "post-sitemap3.xml",
        "post-sitemap2.xml",
        "post-sitemap1.xml",
        "page-sitemap.xml",
    ]


def test_a_news_sitemap_prefers_the_publication_date_and_sorts_newest_first() -> None:
    xml = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
      xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
    <url><loc>https://orda.kz/a-1/</loc><lastmod>2025-11-20T00:00:00+05:00</lastmod>
      <news:news><news:publication_date>2025-10-01T10:00:00+05:00</news:publication_date></news:news></url>
    <url><loc>https://orda.kz/b-2/</loc><lastmod>2025-11-18T10:00:00+05:00</lastmod></url>
    </urlset>"""
    root, _ = discovery.parse_xml(xml)
    sitemap = discovery.read_sitemap(root)
    assert [url for url, _ in sitemap.links] == ["https://orda.kz/b-2/", "https://orda.kz/a-1/"]


def test_html_and_malformed_xml_are_named() -> None:
    assert discovery.parse_xml(b"<!DOCTYPE html><html><body>front<br>page</body></html>")[1] == "an HTML page, not XML"
    root, problem = discovery.parse_xml(b"<html><body>well-formed</body></html>")
    assert problem is None and discovery.root_name(root) == "html" and discovery.read_sitemap(root) is None
    assert discovery.parse_xml(b"<rss><channel><item>&</item></channel></rss>")[1].startswith("malformed XML")


def test_feed_links_of_rss_and_atom() -> None:
    rss, _ = discovery.parse_xml(
        b"<rss><channel><item><link> https://vlast.kz/novosti/1-a.html </link><pubDate>Wed, 12 Nov 2025 09:05:00"
        b" +0000</pubDate></item><item><guid>https://vlast.kz/novosti/2-b.html</guid></item></channel></rss>"
    )
    assert discovery.feed_links(rss) == [
        ("https://vlast.kz/novosti/1-a.html", "Wed, 12 Nov 2025 09:05:00 +0000"),
        ("https://vlast.kz/novosti/2-b.html", None),
    ]
    atom, _ = discovery.parse_xml(
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="replies" href="https://x.kz/c"/>'
        b'<link href="https://x.kz/a"/><published>2025-11-12T10:00:00Z</published></entry></feed>'
    )
    assert discovery.feed_links(atom) == [("https://x.kz/a", "2025-11-12T10:00:00Z")]


def test_json_answers_wordpress_posts_and_json_feed_and_deep_nesting() -> None:
    posts = b'[{"link": "https://bureau.kz/novosti/a/", "date": "2025-11-10T12:00:00"}, {"id": 3}]'
    assert discovery.json_feed_links(posts) == [("https://bureau.kz/novosti/a/", "2025-11-10T12:00:00")]
    feed = b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"url": "https://x.kz/a"}]}'
    assert discovery.json_feed_links(feed) == [("https://x.kz/a", None)]
    assert discovery.json_feed_links(b"<html>") is None
    assert discovery.json_feed_links(b"[" * 100_000 + b"]" * 100_000) in (None, [])  # never a crash


def test_pagination_by_rel_next_wins() -> None:
    html = '<link rel="next" href="/z/360?p=1"><a href="/z/360?p=5">5</a>'
    assert discovery.next_page(html, "https://www.azattyqasia.org/z/360") == "https://www.azattyqasia.org/z/360?p=1"


def test_pagination_by_numbered_links_without_rel_next() -> None:
    """vlast's archive: rel=self, rel=last, plain numbered links, no rel=next."""
    html = """<link rel="self" href="/novosti/?archive=1"><link rel="last" href="/novosti/27/?archive=1">
    <ul class="pagination"><li><a href="/novosti/?archive=1">1</a></li><li><a href="/novosti/2/?archive=1">2</a></li>
    <li><a href="/novosti/3/?archive=1">3</a></li><li><a href="/novosti/27/?archive=1">27</a></li></ul>
    <a href="/novosti/67168-mazilis-prinal.html">article</a>"""
    assert discovery.next_page(html, "https://vlast.kz/novosti/?archive=1") == "https://vlast.kz/novosti/2/?archive=1"
    assert discovery.next_page(html, "https://vlast.kz/novosti/3/?archive=1") == "https://vlast.kz/novosti/4/?archive=1"
    assert discovery.next_page(html, "https://vlast.kz/novosti/27/?archive=1") is None


def test_pagination_by_page_parameter() -> None:
    html = '<div class="pager"><a href="/news/?page=2">2</a> <a href="/news/?page=3">3</a></div>'
    assert discovery.next_page(html, "https://ulysmedia.kz/news/") == "https://ulysmedia.kz/news/?page=2"
    assert discovery.next_page(html, "https://ulysmedia.kz/news/?page=2") == "https://ulysmedia.kz/news/?page=3"
    assert discovery.next_page(html, "https://ulysmedia.kz/news/?page=3") is None


def test_a_link_to_another_section_is_not_a_next_page() -> None:
    html = (
        '<a href="/politika/">Политика</a> <a href="/novosti/?archive=1&amp;tag=sud">суд</a> <a href="/tags/2/">2</a>'
    )
    assert discovery.next_page(html, "https://vlast.kz/novosti/?archive=1") is None


def test_the_usual_paths_are_on_the_home_pages_host() -> None:
    feeds, sitemaps = discovery.usual_paths("https://www.azattyqasia.org/")
    assert "https://www.azattyqasia.org/feed/" in feeds
    assert "https://www.azattyqasia.org/sitemap.xml" in sitemaps
