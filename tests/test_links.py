"""Link check of the built site: every internal link, asset and anchor resolves.

Every HTML file of the real build (PDF and offline zip included, as the Pages workflow
publishes them) is parsed; each ``href``/``src``/``srcset`` that stays on the site must name
a file in the site, and each ``#fragment`` must be an ``id`` (or ``name``) in the target
page. Links to the site's own address (``site_url``, as in the canonical links and the
sitemap) count as internal. External links are collected and written to
``test-artifacts/external-links.txt``, never fetched.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from conftest import ROOT

pytestmark = pytest.mark.build

ARTIFACTS = ROOT / "test-artifacts"
# Attributes that make the browser (or the reader) go somewhere.
_URL_ATTRS = {"href", "src", "poster", "data"}
_SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "blob:", "about:")


@dataclass
class ParsedPage:
    ids: set[str] = field(default_factory=set)
    urls: list[tuple[str, str]] = field(default_factory=list)  # (tag, url)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.page.ids.add(value)
            elif name in _URL_ATTRS:
                self.page.urls.append((tag, value.strip()))
            elif name == "srcset":
                for candidate in value.split(","):
                    if candidate.strip():
                        self.page.urls.append((tag, candidate.split()[0]))


def parse(path: Path) -> ParsedPage:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector.page


@dataclass
class LinkReport:
    broken: list[str]
    external: dict[str, set[str]]  # url -> pages linking to it
    checked: int


def site_address(site: Path) -> str:
    """The site's own address, from the home page's canonical link (ends with /)."""
    html = (site / "index.html").read_text(encoding="utf-8")
    match = re.search(r'<link href="([^"]+)" rel="canonical"', html) or re.search(
        r'<link rel="canonical" href="([^"]+)"', html
    )
    assert match, "the home page has no canonical link"
    address = match.group(1)
    return address if address.endswith("/") else address + "/"


def resolve_target(site: Path, rel_path: str) -> Path | None:
    """The file a site-relative path serves, as a static web server would, or None."""
    rel_path = posixpath.normpath(rel_path) if rel_path else "."
    if rel_path.startswith(".."):
        return None
    target = site / rel_path
    if target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


def check_site(site: Path) -> LinkReport:
    base = site_address(site)
    base_path = urlsplit(base).path
    pages = {p.relative_to(site).as_posix(): parse(p) for p in sorted(site.rglob("*.html"))}
    broken: list[str] = []
    external: dict[str, set[str]] = defaultdict(set)
    checked = 0

    def check(source: str, tag: str, url: str, page_address: str) -> None:
        nonlocal checked
        if not url or url.lower().startswith(_SKIP_SCHEMES):
            return
        absolute = urljoin(page_address, url)
        if not absolute.startswith(base):
            parts = urlsplit(absolute)
            if parts.scheme in ("http", "https") and parts.netloc != urlsplit(base).netloc:
                external[absolute].add(source)
                return
            if parts.netloc == urlsplit(base).netloc and not parts.path.startswith(base_path):
                broken.append(f"{source}: <{tag}> {url} leaves the site's folder ({base_path})")
                return
        checked += 1
        parts = urlsplit(absolute)
        rel_path = unquote(parts.path[len(base_path) :])
        target = resolve_target(site, rel_path)
        if target is None:
            broken.append(f"{source}: <{tag}> {url} -> no file for /{rel_path}")
            return
        fragment = unquote(parts.fragment)
        if not fragment or target.suffix != ".html":
            return
        target_rel = target.relative_to(site).as_posix()
        if fragment not in pages[target_rel].ids:
            broken.append(f"{source}: <{tag}> {url} -> no id {fragment!r} in {target_rel}")

    for rel, page in pages.items():
        # The address the page is served at: folder/index.html is served as folder/.
        served = rel.removesuffix("index.html")
        page_address = base + served
        if rel == "404.html":
            # Served at any depth; MkDocs writes its links from the site root.
            page_address = base
        for tag, url in page.urls:
            check(rel, tag, url, page_address)

    sitemap = site / "sitemap.xml"
    if sitemap.is_file():
        for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap.read_text(encoding="utf-8")):
            check("sitemap.xml", "loc", loc.strip(), base)
    return LinkReport(broken, dict(external), checked)


@pytest.fixture(scope="module")
def link_report(built_site) -> LinkReport:
    # built_site carries downloads/ivig-guide-offline.zip, as `make site` does.
    report = check_site(built_site.path)
    ARTIFACTS.mkdir(exist_ok=True)
    lines = [f"{url}\t{', '.join(sorted(pages))}" for url, pages in sorted(report.external.items())]
    (ARTIFACTS / "external-links.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return report


def test_every_internal_link_and_anchor_resolves(link_report):
    assert link_report.checked > 100, f"only {link_report.checked} internal links found: parser broken?"
    assert not link_report.broken, "broken internal links:\n" + "\n".join(link_report.broken)


def test_external_links_are_listed_not_fetched(link_report, capsys):
    # Listed for a human (and the weekly DOI check); fetching them would make tests flaky.
    assert link_report.external, "no external links at all: the references should link out"
    with capsys.disabled():
        print(
            f"\n{len(link_report.external)} external links (not fetched): test-artifacts/external-links.txt"
        )
    # A source's address is printed as it was read (changing its scheme would be a guess about
    # the host); every other external link the site makes must use https.
    as_read = set(re.findall(r"^\s*url\s*=\s*\{([^}]*)\}", (ROOT / "references.bib").read_text(), re.M))
    plain_http = sorted(
        u
        for u in link_report.external
        if u.startswith("http://")
        and urlsplit(u).hostname not in ("127.0.0.1", "localhost")
        and u not in as_read
    )
    assert not plain_http, "external links without https:\n" + "\n".join(plain_http)


def test_the_checker_catches_a_broken_anchor_and_a_missing_file(tmp_path):
    """The checker itself: a missing page and a missing anchor are both reported."""
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<link href="https://example.org/site/" rel="canonical"/>'
        '<a href="a/#here">ok</a><a href="a/#gone">bad anchor</a><a href="b/">missing</a>'
        '<a href="https://example.org/site/a/">own address</a><a href="https://other.org/">ext</a>'
        '<img src="img.png"><a href="#top" id="top">self</a>',
        encoding="utf-8",
    )
    (tmp_path / "a" / "index.html").write_text('<h2 id="here">x</h2><a href="../">up</a>', encoding="utf-8")
    report = check_site(tmp_path)
    assert len(report.broken) == 3, report.broken
    assert any("'gone'" in b for b in report.broken)
    assert any("/b/" in b for b in report.broken)
    assert any("img.png" in b for b in report.broken)
    assert set(report.external) == {"https://other.org/"}
