"""What a reader meets, proven in headless Chromium against the real built site.

The site (built once by the ``built_site`` fixture, PDF included, plus the offline zip)
is served on 127.0.0.1 by a threaded ``http.server``; Playwright's Python package drives
Debian's ``/usr/bin/chromium`` (``executable_path``: never a browser download). When
chromium is missing these tests fail, they do not skip: CI installs it
(``scripts/ensure-chromium.sh``).

Every page is watched: console errors, page errors, failed requests, HTTP errors and any
request to a host other than the loopback server fail the test (requests off the machine
are aborted before they leave, then reported).

Screenshots of the key views go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import re
import threading
import zipfile
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import yaml
from chromium import CHROMIUM_FLAGS, INSTALL_HINT
from chromium import chromium_path as find_chromium
from conftest import ROOT, content_pages, page_url

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 900}
PAGES = content_pages()
# The citation the hover/jump test follows, and what the searches must find.
CITING_PAGE = "side-effects.md"
# (query, page it must find, a word the matching result must show)
SEARCHES = [("anaphylaxis", "side-effects/", "anaphylaxis"), ("CIDP", "does-it-work/", "trial")]
BLOCKING_IMPACTS = ("serious", "critical")


def chromium_path() -> str:
    """Debian's chromium, or a clear failure (CI installs it; these tests never skip)."""
    path = find_chromium()
    if path is None:
        pytest.fail(
            f"Debian's chromium is not installed, so the browser tests cannot run: {INSTALL_HINT}; "
            "these tests never download a browser of their own.",
            pytrace=False,
        )
    return path


def repo_url() -> str:
    from mkdocs.utils.yaml import get_yaml_loader

    with (ROOT / "mkdocs.yml").open(encoding="utf-8") as f:
        config = yaml.load(f, Loader=get_yaml_loader())  # MkDocs' own loader (!ENV)
    return config["repo_url"].rstrip("/")


# --- Serving and driving ---------------------------------------------------------------


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # http.server's signature
        pass


@contextlib.contextmanager
def serve(folder):
    """A folder served on a random loopback port, for as long as the block runs."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_url(built_site) -> str:
    """The built site (with the offline zip in downloads/) on a random loopback port."""
    with serve(built_site.path) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS, headless=True)
        yield browser
        browser.close()


@dataclass
class Watch:
    """Everything that went wrong while a context was open."""

    allowed: tuple[str, ...]
    problems: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    reported: set[str] = field(default_factory=set)

    def attach(self, context) -> None:
        context.route("**/*", self._route)
        context.on("page", self._watch_page)
        context.on("requestfailed", self._failed)
        context.on("response", self._response)

    def _route(self, route):
        url = route.request.url
        if url.startswith(self.allowed):
            route.continue_()
        else:
            self.blocked.append(url)
            self.reported.add(url)
            self.problems.append(f"request off the site: {route.request.method} {url}")
            route.abort("blockedbyclient")

    def _watch_page(self, page):
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))

    def _console(self, msg):
        if msg.type == "error":
            where = msg.location.get("url", "") if msg.location else ""
            text = msg.text
            if where in self.reported or any(b in text for b in self.blocked):
                return  # "Failed to load resource": already reported with its cause
            self.problems.append(f"console error: {text} ({where})")

    def _failed(self, request):
        if request.url in self.reported:
            return
        self.reported.add(request.url)
        self.problems.append(f"failed request: {request.url} ({request.failure})")

    def _response(self, response):
        if response.status >= 400:
            self.reported.add(response.url)
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def assert_clean(self) -> None:
        problems = list(dict.fromkeys(self.problems))
        assert not problems, "the page was not clean:\n" + "\n".join(problems)


@pytest.fixture
def open_site(browser, site_url):
    """Open a watched browser context; every context opened is checked when the test ends."""
    contexts = []

    def _open(*, viewport=DESKTOP, allowed=(site_url,), **options):
        context = browser.new_context(viewport=viewport, accept_downloads=True, **options)
        watch = Watch(allowed=(*allowed, "data:", "blob:", "about:"))
        watch.attach(context)
        contexts.append((context, watch))
        return context.new_page(), watch

    yield _open
    for context, _watch in contexts:
        context.close()


def goto(page, url: str) -> None:
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")


def shot(page, name: str, **options) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), **options)
    return path


def in_viewport(locator) -> bool:
    return locator.evaluate(
        "el => { const r = el.getBoundingClientRect();"
        " return r.bottom > 0 && r.top < window.innerHeight && r.right > 0 && r.left < window.innerWidth"
        " && r.height > 0; }"
    )


def on_top(locator) -> bool:
    """The element is what a reader sees (and taps) at its centre: on screen, not covered."""
    return locator.evaluate(
        "el => { const r = el.getBoundingClientRect();"
        " const x = r.left + r.width / 2, y = r.top + r.height / 2;"
        " if (x < 0 || y < 0 || x > window.innerWidth || y > window.innerHeight) return false;"
        " const hit = document.elementFromPoint(x, y); return !!hit && el.contains(hit); }"
    )


def search(page, query: str) -> None:
    """Type into Material's search box (behind a button on narrow screens)."""
    button = page.locator("label.md-header__button[for='__search']")
    box = page.locator("input.md-search__input")
    if button.is_visible():
        button.click()
    else:
        box.click()
    # Material reads key presses, so type as a reader does (fill() alone finds nothing).
    box.press_sequentially(query, delay=20)


def by_id(page, element_id: str):
    return page.locator(f'[id="{element_id}"]')


# --- The home page and every page ------------------------------------------------------


def test_home_page_renders_with_title_navigation_and_pdf_link(open_site, site_url):
    page, watch = open_site()
    goto(page, site_url)
    assert "IVIG guide" in page.title()
    assert page.locator("article h1").first.is_visible()
    nav = page.locator("nav.md-nav--primary")
    for label in ("What IVIG is", "Side effects and safety", "References"):
        assert nav.get_by_role("link", name=label, exact=True).count() >= 1, f"no {label!r} in the navigation"
    assert page.locator("nav.md-nav--primary a.md-nav__link").count() >= len(PAGES) - len(NOT_IN_NAV)
    pdf = page.locator("a.ivig-pdf-link")
    pdf.scroll_into_view_if_needed()
    assert pdf.is_visible()
    assert urljoin(page.url, pdf.get_attribute("href")) == urljoin(site_url, "pdf/ivig-guide.pdf")
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "home-light")
    watch.assert_clean()


@pytest.mark.parametrize("src_uri", PAGES)
def test_page_loads_without_errors_or_external_requests(open_site, site_url, src_uri):
    page, watch = open_site()
    goto(page, site_url + page_url(src_uri) + ("/" if page_url(src_uri) else ""))
    assert page.locator("article h1").count() >= 1
    # Late requests (a repository widget, say) come after load: give them a moment.
    page.wait_for_timeout(500)
    if src_uri == CITING_PAGE:
        shot(page, "content-page")
    if src_uri == "references.md":
        shot(page, "references-page")
    watch.assert_clean()


# --- Search ----------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "expected", "word"), SEARCHES)
def test_search_finds_the_page(open_site, site_url, query, expected, word):
    page, watch = open_site()
    goto(page, site_url)
    search(page, query)
    results = page.locator(".md-search-result__list a.md-search-result__link")
    results.first.wait_for(state="visible", timeout=10_000)
    hrefs = [urljoin(page.url, h) for h in results.evaluate_all("els => els.map(e => e.href)")]
    targets = {urlsplit(h).path for h in hrefs}
    assert f"/{expected}" in targets, f"search {query!r} found {sorted(targets)}"
    if query == "anaphylaxis":
        shot(page, "search-results")
    found = page.locator(
        f".md-search-result__list a.md-search-result__link[href*='/{expected}?h={query.lower()}']"
    )
    assert found.count() >= 1
    texts = " ".join(found.all_inner_texts()).lower()
    assert word in texts, f"the results on {expected} do not mention {word!r}: {texts[:300]}"
    # Following the result opens the page with the term highlighted (search.highlight).
    found.first.click()
    page.wait_for_url(re.compile(re.escape(expected)))
    page.wait_for_load_state("networkidle")
    marks = page.locator("article mark").all_inner_texts()
    assert any(query.lower() in m.lower() for m in marks), f"{query!r} not highlighted on {page.url}"
    watch.assert_clean()


# --- Citations -------------------------------------------------------------------------


def test_citation_shows_reference_on_hover_jumps_to_it_and_back(open_site, site_url):
    page, watch = open_site()
    goto(page, site_url + page_url(CITING_PAGE) + "/")
    ref = page.locator("sup[id^='fnref:cite-'] a.footnote-ref").first
    ref.scroll_into_view_if_needed()
    target_id = ref.get_attribute("href").removeprefix("#")
    assert target_id.startswith("fn:cite-")
    key = target_id.removeprefix("fn:cite-")
    entry_text = by_id(page, target_id).inner_text().strip()
    assert len(entry_text) > 20, f"footnote {target_id} is nearly empty: {entry_text!r}"

    # Hover: Material (content.footnote.tooltips) appends a .md-tooltip2 to <body>.
    ref.hover()
    tooltip = page.locator(".md-tooltip2.md-tooltip2--active")
    tooltip.wait_for(state="visible", timeout=5_000)
    tip = tooltip.inner_text()
    assert entry_text.split("\n")[0][:40] in tip, f"tooltip {tip!r} does not show {entry_text!r}"
    page.wait_for_timeout(400)  # let the fade-in finish before the screenshot
    shot(page, "citation-tooltip")

    page.mouse.move(0, 0)
    ref.click()
    page.wait_for_function(f"location.hash === '#{target_id}'")
    assert in_viewport(by_id(page, target_id)), "the footnote is not on screen after the jump"

    back = by_id(page, target_id).locator("a.footnote-backref").first
    back_id = back.get_attribute("href").removeprefix("#")
    assert back_id.startswith("fnref") and back_id.endswith(f"cite-{key}")
    back.click()
    page.wait_for_function(f"location.hash === '#{back_id}'")
    assert in_viewport(by_id(page, back_id)), "the back link did not return to the citation"
    watch.assert_clean()


def test_references_entry_links_back_to_the_citing_pages(open_site, site_url):
    page, watch = open_site()
    goto(page, site_url + "references/")
    entries = page.locator("div.ivig-references li")
    assert entries.count() >= 5
    checked = 0
    for i in range(entries.count()):
        entry = entries.nth(i)
        key = entry.locator("span[id^='ref-']").first.get_attribute("id").removeprefix("ref-")
        for link in entry.locator(".ivig-ref-cited a").all():
            href = urljoin(page.url, link.get_attribute("href"))
            fragment = urlsplit(href).fragment
            assert fragment in ("", f"fnref:cite-{key}"), f"{key}: cited-in link {href}"
            checked += 1
    assert checked >= 5, "the References page has hardly any 'Cited in' links"

    # Follow one for real: the reader lands on the citation itself.
    link = page.locator(
        f"div.ivig-references .ivig-ref-cited a[href*='{page_url(CITING_PAGE)}/#fnref']"
    ).first
    href = link.get_attribute("href")
    link.click()
    page.wait_for_url(re.compile(re.escape(page_url(CITING_PAGE)) + r"/#fnref:cite-"))
    target = urlsplit(page.url).fragment
    assert target == urlsplit(urljoin(site_url + "references/", href)).fragment
    assert by_id(page, target).count() == 1
    assert in_viewport(by_id(page, target)), "the citation is not on screen after following the link"
    watch.assert_clean()


# --- Palette ---------------------------------------------------------------------------


def test_palette_toggle_switches_to_dark_and_survives_reload(open_site, site_url):
    page, watch = open_site(color_scheme="light")
    goto(page, site_url)
    body = page.locator("body")
    assert body.get_attribute("data-md-color-scheme") == "default"
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
    shot(page, "home-dark")
    page.reload()
    page.wait_for_load_state("networkidle")
    assert body.get_attribute("data-md-color-scheme") == "slate", "the dark choice was lost on reload"
    goto(page, site_url + page_url(CITING_PAGE) + "/")
    assert body.get_attribute("data-md-color-scheme") == "slate", "the dark choice was lost on another page"
    watch.assert_clean()


# --- Phone -----------------------------------------------------------------------------


@pytest.mark.parametrize("src_uri", PAGES)
def test_phone_view_does_not_scroll_sideways(open_site, site_url, src_uri):
    page, watch = open_site(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    goto(page, site_url + page_url(src_uri) + ("/" if page_url(src_uri) else ""))
    widths = page.evaluate("({scroll: document.scrollingElement.scrollWidth, inner: window.innerWidth})")
    if widths["scroll"] > widths["inner"]:
        wide = page.evaluate(
            """() => Array.from(document.querySelectorAll('body *'))
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                .filter(e => !e.closest('.md-sidebar, .md-search, .md-typeset__scrollwrap, .md-tooltip2'))
                .slice(0, 8)
                .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                     + (typeof e.className === 'string' && e.className
                        ? '.' + e.className.split(' ').join('.') : '')
                     + ' right=' + Math.round(e.getBoundingClientRect().right))"""
        )
        pytest.fail(f"{src_uri} scrolls sideways at 375 px ({widths}); too wide: {wide}")
    watch.assert_clean()


def test_phone_navigation_drawer_opens(open_site, site_url):
    page, watch = open_site(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    goto(page, site_url + page_url(CITING_PAGE) + "/")
    nav = page.locator("nav.md-nav--primary")
    # The drawer opens on the current page's section (Treatment), as Material does.
    link = nav.get_by_role("link", name="Does it work?", exact=True)
    assert not on_top(link), "the navigation is showing before the menu button was pressed"
    page.locator("label.md-header__button[for='__drawer']").click()
    page.wait_for_function("document.getElementById('__drawer').checked")
    link.wait_for(state="visible")
    page.wait_for_timeout(400)  # the drawer slides in
    assert on_top(link), "the navigation link is not on screen (or covered) with the drawer open"
    shot(page, "phone-nav-open")
    link.click()
    page.wait_for_url(re.compile(r"/does-it-work/$"))
    watch.assert_clean()


# --- Downloads and repository links ----------------------------------------------------


def test_pdf_link_downloads_a_valid_pdf(open_site, site_url):
    from pypdf import PdfReader

    # Without a `download` attribute Chromium shows the PDF in its own viewer (an extension).
    page, watch = open_site(allowed=(site_url, "chrome-extension://", "chrome://"))
    goto(page, site_url)
    link = page.locator("a.ivig-pdf-link")
    link.scroll_into_view_if_needed()
    pdf_url = urljoin(page.url, link.get_attribute("href"))
    assert pdf_url == urljoin(site_url, "pdf/ivig-guide.pdf")
    downloads = []
    # Playwright wants a Python function here, not a bound builtin.
    page.on("download", lambda d: downloads.append(d))  # noqa: PLW0108
    link.click()
    for _ in range(75):  # a download, or the PDF shown in the tab
        if downloads or page.url == pdf_url:
            break
        page.wait_for_timeout(200)
    assert downloads or page.url == pdf_url, f"clicking the PDF link neither downloaded nor opened {pdf_url}"
    if downloads:  # saved by the browser
        data = Path(downloads[0].path()).read_bytes()
    else:  # shown by the browser: fetch the same address through the same context
        response = page.context.request.get(pdf_url)
        assert response.ok
        assert response.headers["content-type"].startswith("application/pdf"), response.headers
        data = response.body()
    assert data.startswith(b"%PDF-"), f"not a PDF: {data[:20]!r}"
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= len(PAGES), f"the PDF has only {len(reader.pages)} pages"
    assert "IVIG" in (reader.pages[0].extract_text() or "")
    watch.assert_clean()


@pytest.mark.parametrize("src_uri", PAGES)
def test_edit_and_report_links_point_at_the_repository(open_site, site_url, src_uri):
    repo = repo_url()
    page, watch = open_site()
    address = site_url + page_url(src_uri) + ("/" if page_url(src_uri) else "")
    goto(page, address)
    edit = page.locator("article a[rel='edit']")
    assert edit.is_visible()
    assert edit.inner_text().strip() == "Edit this page"
    assert edit.get_attribute("href") == f"{repo}/edit/main/docs/{src_uri}"
    report = page.locator("article a.ivig-report-error")
    assert report.is_visible()
    assert report.inner_text().strip() == "Report an error"
    href = report.get_attribute("href")
    assert href.startswith(f"{repo}/issues/new?"), href
    query = parse_qs(urlsplit(href).query)
    assert query.get("template") == ["report-error.yml"]
    assert (ROOT / ".github" / "ISSUE_TEMPLATE" / "report-error.yml").is_file()
    canonical = page.locator("link[rel='canonical']").get_attribute("href")
    assert query.get("page") == [canonical], f"report link names {query.get('page')}, page is {canonical}"
    watch.assert_clean()


# --- The offline copy ------------------------------------------------------------------


@pytest.fixture(scope="session")
def offline_unzipped(offline_copy, tmp_path_factory) -> Path:
    """The offline zip as a reader unpacks it."""
    folder = tmp_path_factory.mktemp("offline-unzipped")
    with zipfile.ZipFile(offline_copy.zip_path) as zf:
        zf.extractall(folder)
    index = next(folder.glob("*/index.html"), None) or folder / "index.html"
    assert index.is_file(), f"no index.html in {offline_copy.zip_path.name}"
    return index.parent


def test_offline_copy_from_file_shows_pages_and_search_works(open_site, offline_unzipped):
    root = offline_unzipped.as_uri() + "/"
    page, watch = open_site(allowed=("file://",))
    goto(page, root + "index.html")
    assert "IVIG guide" in page.title()
    page.locator("nav.md-nav--primary").get_by_role(
        "link", name="Side effects and safety", exact=True
    ).first.click()
    page.wait_for_load_state("load")
    assert page.url.startswith("file://")
    assert page.locator("article h1").first.is_visible()
    assert "side-effects" in page.url
    search(page, "anaphylaxis")
    results = page.locator(".md-search-result__list a.md-search-result__link")
    results.first.wait_for(state="visible", timeout=15_000)
    hrefs = results.evaluate_all("els => els.map(e => e.href)")
    assert any("side-effects" in h for h in hrefs), hrefs
    shot(page, "offline-search")
    watch.assert_clean()


# --- Accessibility ---------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("src_uri", PAGES)
def test_axe_finds_no_serious_or_critical_violations(open_site, site_url, src_uri, scheme):
    from axe_playwright_python.sync_playwright import Axe

    page, _watch = open_site(color_scheme=scheme)
    goto(page, site_url + page_url(src_uri) + ("/" if page_url(src_uri) else ""))
    expected = "slate" if scheme == "dark" else "default"
    assert page.locator("body").get_attribute("data-md-color-scheme") == expected
    results = Axe().run(page).response
    out = ARTIFACTS / "axe" / f"{page_url(src_uri) or 'index'}-{scheme}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results["violations"], indent=1), encoding="utf-8")
    blocking = [v for v in results["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    lines = [
        f"{v['id']} ({v['impact']}): {v['help']} -- "
        + "; ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:6])
        for v in blocking
    ]
    assert not blocking, f"axe on {src_uri} ({scheme}):\n" + "\n".join(lines)


# --- Citation touch targets (WCAG 2.2 SC 2.5.8), phone width, both palettes --------------

_CITATION_GEOMETRY_JS = """() => {
  const links = [...document.querySelectorAll('article a.footnote-ref')];
  return links.map((a) => {
    a.scrollIntoView({block: 'center'});
    const r = a.getBoundingClientRect();
    const points = [[r.left + 1, r.top + 1], [r.right - 1, r.top + 1], [r.left + 1, r.bottom - 1],
                    [r.right - 1, r.bottom - 1], [r.left + r.width / 2, r.top + r.height / 2]];
    const hits = points.filter(([x, y]) => {
      const e = document.elementFromPoint(x, y);
      return e && a.contains(e);
    });
    return {text: a.textContent, label: a.getAttribute('aria-label') || '', width: r.width,
            height: r.height, hits: hits.length, top: r.top + window.scrollY, left: r.left,
            right: r.right};
  });
}"""
_CITED_PARAGRAPH_HEIGHTS_JS = """() => [...document.querySelectorAll('article p, article li')]
  .filter((el) => el.querySelector(':scope > sup > a.footnote-ref, :scope > p > sup > a.footnote-ref'))
  .map((el) => el.getBoundingClientRect().height)"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("src_uri", ["side-effects.md", "does-it-work.md"])
def test_citation_numbers_are_24px_touch_targets_at_phone_width(open_site, site_url, src_uri, scheme):
    page, watch = open_site(viewport={"width": 390, "height": 844}, color_scheme=scheme)
    goto(page, site_url + page_url(src_uri) + "/")
    links = page.evaluate(_CITATION_GEOMETRY_JS)
    assert len(links) >= 3, f"{src_uri} has hardly any citations"
    for link in links:
        where = f"{src_uri} ({scheme}) citation {link['text']}"
        assert link["width"] >= 24 and link["height"] >= 24, f"{where}: {link['width']}x{link['height']} px"
        # The whole box takes the tap: its corners and centre hit the link, not the text around it.
        assert link["hits"] == 5, f"{where}: only {link['hits']} of 5 points of its box reach the link"
        assert link["label"].startswith(f"Source {link['text']}: "), (
            f"{where}: accessible name {link['label']!r}"
        )
    # Neighbouring citations ("2,3") do not share any of their 24 px.
    import itertools

    for a, b in itertools.pairwise(links):
        same_line = abs(a["top"] - b["top"]) < 4
        if same_line:
            assert a["right"] <= b["left"] + 0.5 or b["right"] <= a["left"] + 0.5, (
                f"{src_uri}: {a} overlaps {b}"
            )
    # ...and the lines of text are exactly as tall as without the larger targets. (The space
    # after the comma stays: it makes a long run of citations wider, which may wrap a line
    # sooner, but it does not make any line taller.)
    heights = page.evaluate(_CITED_PARAGRAPH_HEIGHTS_JS)
    page.add_style_tag(
        content=".md-typeset a.footnote-ref{padding:0!important;margin:0!important;position:static!important}"
    )
    assert page.evaluate(_CITED_PARAGRAPH_HEIGHTS_JS) == heights, "the touch targets changed the line height"
    # The source list: a visible heading and labelled back-links, not a row of arrows.
    heading = page.locator("h2.ivig-sources-heading")
    heading.scroll_into_view_if_needed()
    assert heading.is_visible() and heading.inner_text().strip() == "Sources for this page"
    back = page.locator("div.footnote li a.footnote-backref")
    assert back.count() == page.locator("div.footnote li").count()
    assert back.first.is_visible() and back.first.inner_text() in ("Back to text", "Back to first citation")
    shot(page, f"sources-{page_url(src_uri)}-390-{scheme}")
    watch.assert_clean()


def test_citation_preview_shows_the_source_without_its_back_link(open_site, site_url):
    page, watch = open_site()
    goto(page, site_url + "side-effects/")
    ref = page.locator("article sup > a.footnote-ref").first
    ref.scroll_into_view_if_needed()
    ref.hover()
    tooltip = page.locator(".md-tooltip2.md-tooltip2--active")
    tooltip.wait_for(state="visible", timeout=5_000)
    assert "Back to" not in tooltip.inner_text()
    assert tooltip.locator(".ivig-backref").evaluate_all("els => els.every(e => e.offsetWidth === 0)")
    watch.assert_clean()


# --- The web reader's page (issues 11, 13, 18) ------------------------------------------

PHONE_390 = {"width": 390, "height": 844}
VIEWPORTS = {"phone": PHONE_390, "desktop": DESKTOP}
SCHEMES = ["light", "dark"]
# Pages built but kept out of the navigation (mkdocs.yml `not_in_nav`).
NOT_IN_NAV = {"contributing.md"}
WCAG_AA_TEXT = 4.5

# The contrast of an element's text against what is painted behind it (WCAG 2 formula):
# its colour blended over the stack of ancestor backgrounds down to the first opaque one.
CONTRAST_JS = """
el => {
  const parse = c => {
    let m = c.match(/^rgba?\\(([^)]+)\\)$/);
    if (m) {
      const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    }
    m = c.match(/^color\\(srgb ([^)]+)\\)$/);
    if (m) {
      const p = m[1].split(/[\\s\\/]+/).filter(Boolean).map(Number);
      return [p[0] * 255, p[1] * 255, p[2] * 255, p.length > 3 ? p[3] : 1];
    }
    throw new Error('unknown colour ' + c);
  };
  const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
  const layers = [];
  for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
    const bg = parse(getComputedStyle(n).backgroundColor);
    if (bg[3] > 0) layers.push(bg);
    if (bg[3] >= 1) break;
  }
  let bg = [255, 255, 255, 1];
  for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
  const fg = over(parse(getComputedStyle(el).color), bg);
  const lum = c => {
    const s = c.slice(0, 3).map(v => {
      v /= 255;
      return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * s[0] + 0.7152 * s[1] + 0.0722 * s[2];
  };
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}
"""


def contrast(locator) -> float:
    return locator.evaluate(CONTRAST_JS)


def open_styled(open_site, scheme: str, width: str, **options):
    viewport = VIEWPORTS[width]
    mobile = {"is_mobile": True, "has_touch": True} if width == "phone" else {}
    return open_site(viewport=viewport, color_scheme=scheme, **mobile, **options)


def url_of(base: str, src_uri: str) -> str:
    return base + page_url(src_uri) + ("/" if page_url(src_uri) else "")


@pytest.fixture(scope="session")
def cards_url(tmp_path_factory):
    """The one-page fixture site with a care card of each level (tests/fixtures/web), served."""
    from test_web import build_fixture_site

    site = build_fixture_site(tmp_path_factory.mktemp("web-fixture"))
    with serve(site) as url:
        yield url


@pytest.mark.parametrize("width", VIEWPORTS)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_care_cards_say_their_level_in_words_with_enough_contrast(open_site, cards_url, scheme, width):
    from ivig_tools.carecards import CARE_LEVELS

    page, watch = open_styled(open_site, scheme, width, allowed=(cards_url,))
    goto(page, cards_url)
    expected = "slate" if scheme == "dark" else "default"
    assert page.locator("body").get_attribute("data-md-color-scheme") == expected
    cards = page.locator("article div.ivig-care")
    assert cards.count() == 4
    for i in range(cards.count()):
        card = cards.nth(i)
        kind = next(k for k in CARE_LEVELS if f"ivig-care--{k}" in card.get_attribute("class"))
        label = card.locator(".admonition-title .ivig-care__level")
        label.scroll_into_view_if_needed()
        assert label.inner_text().strip() == CARE_LEVELS[kind].label
        assert on_top(label), f"the {kind} label is hidden or covered"
        ratio = contrast(label)
        assert ratio >= WCAG_AA_TEXT, f"{kind} label contrast {ratio:.2f} ({scheme}, {width})"
        title = card.locator(".ivig-care__title")
        if title.count():
            assert contrast(title) >= WCAG_AA_TEXT, f"{kind} title contrast ({scheme}, {width})"
        icon = card.locator(".admonition-title").evaluate(
            "el => { const s = getComputedStyle(el, '::before'); return s.maskImage || s.webkitMaskImage; }"
        )
        assert icon.startswith("url("), f"{kind} has no icon"
        body = card.locator("p:not(.admonition-title)").first
        assert contrast(body) >= WCAG_AA_TEXT
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, f"care-cards-{width}-{scheme}", full_page=True)
    watch.assert_clean()


@pytest.mark.parametrize("width", VIEWPORTS)
def test_a_link_to_a_care_card_lands_on_it_below_the_header(open_site, cards_url, width):
    page, watch = open_styled(open_site, "light", width, allowed=(cards_url,))
    goto(page, cards_url)
    page.locator("article a[href='#care-signs-of-a-severe-allergic-reaction']").click()
    page.wait_for_function("location.hash === '#care-signs-of-a-severe-allergic-reaction'")
    goto(page, cards_url + "#care-mild-headache-after-an-infusion")
    label = page.locator("#care-mild-headache-after-an-infusion .ivig-care__level")
    page.wait_for_timeout(300)
    assert in_viewport(label) and on_top(label), "the linked card is off screen or under the header"
    watch.assert_clean()


@pytest.mark.parametrize("width", VIEWPORTS)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_review_line_and_page_actions_read_in_words(open_site, site_url, scheme, width):
    page, watch = open_styled(open_site, scheme, width)
    goto(page, url_of(site_url, CITING_PAGE))
    actions = page.locator("article .ivig-page-actions a")
    assert [" ".join(t.split()) for t in actions.all_inner_texts()] == ["Report an error", "Edit this page"]
    for i in range(actions.count()):
        link = actions.nth(i)
        assert on_top(link)
        box = link.bounding_box()
        assert box["height"] >= 24, f"{link.inner_text()!r} is {box['height']:.0f} px high"
        assert contrast(link.locator("span").last) >= WCAG_AA_TEXT
    if scheme == "light":
        shot(page, f"page-top-{width}")
    line = page.locator("aside.ivig-page-meta .ivig-reviewed")
    line.scroll_into_view_if_needed()
    text = " ".join(line.inner_text().split())
    assert re.search(r"Page last reviewed: \d{1,2} \w+ \d{4} · Next review due: \d{1,2} \w+ \d{4}", text), (
        text
    )
    assert "checked against its sources by the editors" in text
    for part in line.locator("span").all():
        if part.get_attribute("aria-hidden") != "true":
            ratio = contrast(part)
            assert ratio >= WCAG_AA_TEXT, f"review line {part.inner_text()!r}: {ratio:.2f} ({scheme})"
    shot(page, f"review-line-{width}-{scheme}")
    watch.assert_clean()


@pytest.mark.parametrize("width", VIEWPORTS)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_footer_words_and_separators_have_enough_contrast(open_site, site_url, scheme, width):
    page, watch = open_styled(open_site, scheme, width)
    goto(page, url_of(site_url, CITING_PAGE))
    parts = page.locator(".md-footer-meta .md-copyright").locator("a, .ivig-sep, .md-copyright__highlight")
    assert page.locator(".md-footer-meta .ivig-sep").count() >= 1
    for i in range(parts.count()):
        part = parts.nth(i)
        ratio = contrast(part)
        assert ratio >= WCAG_AA_TEXT, f"footer {part.inner_text()!r}: {ratio:.2f} ({scheme})"
    footer = page.locator(".md-footer-meta")
    footer.scroll_into_view_if_needed()
    shot(page, f"footer-{width}-{scheme}")
    watch.assert_clean()


@pytest.mark.parametrize("width", VIEWPORTS)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_glossary_letter_links_jump_to_their_terms(open_site, site_url, scheme, width):
    page, watch = open_styled(open_site, scheme, width)
    goto(page, site_url + "glossary/")
    article = page.locator("article")
    assert article.locator("h2, h3, h4").count() == 0, "terms or letters became headings"
    assert article.locator("dl > dt[id^='term-']").count() >= 20
    letters = page.locator("nav.ivig-az a")
    assert letters.count() >= 10
    for i in range(letters.count()):
        box = letters.nth(i).bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, f"letter {i}: {box}"
        assert contrast(letters.nth(i)) >= WCAG_AA_TEXT
    link = letters.filter(has_text=re.compile(r"^I$"))
    link.click()
    page.wait_for_function("location.hash === '#glossary-i'")
    page.wait_for_timeout(300)
    first = page.locator("#glossary-i dt").first
    assert first.inner_text().startswith("I")
    assert in_viewport(first) and on_top(first), "the letter's first term is off screen or under the header"
    assert contrast(first) >= WCAG_AA_TEXT
    assert contrast(page.locator("#glossary-i dd").first) >= WCAG_AA_TEXT
    shot(page, f"glossary-{width}-{scheme}")
    watch.assert_clean()


@pytest.mark.parametrize("width", VIEWPORTS)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_abbreviations_show_one_tooltip_at_their_first_use(open_site, site_url, scheme, width):
    page, watch = open_styled(open_site, scheme, width)
    goto(page, site_url + "does-it-work/")
    marks = page.locator("article abbr")
    texts = marks.all_inner_texts()
    assert "CIDP" in texts and len(texts) == len(set(texts)), texts
    assert page.locator("article :is(h1, h2, h3, h4, a, .footnote) abbr").count() == 0
    first = marks.filter(has_text=re.compile(r"^CIDP$")).first
    assert first.get_attribute("title") == "chronic inflammatory demyelinating polyneuropathy"
    assert contrast(first) >= WCAG_AA_TEXT
    watch.assert_clean()


@pytest.mark.parametrize("width", VIEWPORTS)
def test_contributing_is_reached_from_the_footer_not_the_navigation(open_site, site_url, width):
    page, watch = open_styled(open_site, "light", width)
    goto(page, url_of(site_url, CITING_PAGE))
    nav = page.locator("nav.md-nav--primary")
    assert nav.get_by_role("link", name="Contributing").count() == 0
    link = page.locator("footer a.ivig-contributing-link")
    link.scroll_into_view_if_needed()
    assert on_top(link)
    link.click()
    page.wait_for_url(re.compile(r"/contributing/$"))
    assert "Contributing" in page.locator("article h1").first.inner_text()
    watch.assert_clean()


def test_printing_a_page_keeps_disclaimer_review_and_sources_not_navigation(open_site, site_url):
    from pypdf import PdfReader

    page, watch = open_site()
    goto(page, url_of(site_url, CITING_PAGE))
    page.emulate_media(media="print")
    for selector in (".ivig-disclaimer", ".ivig-reviewed", "div.footnote", "article h1"):
        assert page.locator(selector).first.is_visible(), f"{selector} does not print"
    for selector in (".md-header", ".md-sidebar--primary", ".md-footer", ".ivig-page-actions"):
        assert not page.locator(selector).first.is_visible(), f"{selector} prints"
    text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(page.pdf())).pages)
    flat = " ".join(text.split())
    assert "Medical disclaimer" in flat and "Page last reviewed" in flat and "Next review due" in flat
    assert "doi" in flat.lower(), "the sources did not print"
    for nav_only in (
        "Report an error",
        "Edit this page",
        "Help improve this guide",
        "Download the whole guide",
    ):
        assert nav_only not in flat, f"{nav_only!r} printed"
    watch.assert_clean()


def test_offline_404_page_is_styled(open_site, offline_unzipped):
    root = offline_unzipped.as_uri() + "/"
    page, watch = open_site(allowed=("file://",))
    goto(page, root + "404.html")
    assert page.locator("article h1").inner_text() == "Page not found"
    sheets = page.evaluate("Array.from(document.styleSheets).map(s => s.href || '')")
    assert any("/assets/stylesheets/main." in s for s in sheets), sheets
    assert page.locator(".md-header").evaluate("el => getComputedStyle(el).position") == "sticky"
    page.locator("article a", has_text="Go to the start of the guide").click()
    page.wait_for_load_state("load")
    assert page.url.startswith(root) and page.url.endswith("index.html")
    shot(page, "offline-404")
    watch.assert_clean()


# --- Figures (issue 17) ------------------------------------------------------------------
# The three figures on the fixture site of tests/test_figures.py (built here without the
# PDF), so these checks run before the blocks are pasted into the real pages. The real
# pages' figures are asserted by tests/test_figures.py::test_real_site_shows_the_figure.

FIGURE_SHOTS = Path(os.environ.get("FIGURE_SHOTS", SCREENSHOTS / "figures"))
FIGURE_VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": DESKTOP}
# WCAG 2.1: 4.5:1 for text (1.4.3), 3:1 for the parts of a drawing one must see (1.4.11).
TEXT_CONTRAST = 4.5
GRAPHIC_CONTRAST = 3.0

# What the browser reports about one figure: every text's rendered size, its box in the
# drawing's own units, its colour and what it is drawn on; the drawing's parts and colours.
_MEASURE_FIGURE = """fig => {
  const svg = fig.querySelector('svg');
  const vb = svg.viewBox.baseVal;
  const box = el => { const b = el.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height]; };
  const group = el => (el.closest('g') && el.closest('g').getAttribute('class')) || '';
  const texts = Array.from(svg.querySelectorAll('text')).map(t => ({
    text: t.textContent,
    px: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a,
    box: box(t),
    fill: getComputedStyle(t).fill,
    group: group(t),
  }));
  const shapes = Array.from(svg.querySelectorAll('rect, circle, line, polygon, path')).map(s => ({
    group: group(s) || s.getAttribute('class') || '',
    box: box(s),
    fill: getComputedStyle(s).fill,
    stroke: getComputedStyle(s).stroke,
  }));
  const r = svg.getBoundingClientRect();
  let bg = null;
  for (let el = fig; el && !bg; el = el.parentElement) {
    const c = getComputedStyle(el).backgroundColor;
    if (c && c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') bg = c;
  }
  return {
    viewBox: [vb.width, vb.height], left: r.left, right: r.right, innerWidth: window.innerWidth,
    scrollWidth: document.scrollingElement.scrollWidth, bg: bg || 'rgb(255, 255, 255)',
    texts, shapes,
  };
}"""


def _rgba(css: str) -> tuple[float, float, float, float]:
    parts = [float(p) for p in re.findall(r"[\d.]+", css)]
    assert len(parts) in (3, 4), f"not a colour: {css!r}"
    return (*parts[:3], parts[3] if len(parts) == 4 else 1.0)


def _over(top: str, under: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b, a = _rgba(top)
    return (r * a + under[0] * (1 - a), g * a + under[1] * (1 - a), b * a + under[2] * (1 - a))


def _contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    def luminance(rgb):
        c = [v / 255 for v in rgb]
        c = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.fixture(scope="session")
def figures_site_url(tmp_path_factory):
    """The figures fixture site on a random loopback port."""
    from test_figures import build_figure_fixture_site

    site = build_figure_fixture_site(tmp_path_factory.mktemp("figures-browser") / "src", pdf=False)
    with serve(site) as url:
        yield url


@pytest.fixture
def open_figures(browser, figures_site_url):
    """A watched context on the figures site (no request may leave the loopback server)."""
    contexts = []

    def _open(*, viewport, scheme, phone=False):
        options = {"is_mobile": True, "has_touch": True, "device_scale_factor": 2} if phone else {}
        context = browser.new_context(viewport=viewport, color_scheme=scheme, **options)
        watch = Watch(allowed=(figures_site_url, "data:", "blob:", "about:"))
        watch.attach(context)
        contexts.append(context)
        return context.new_page(), watch

    yield _open
    for context in contexts:
        context.close()


def _check_figure(fig, m: dict) -> list[str]:
    """Every problem with one measured figure, as sentences."""
    problems = []
    width, _height = m["viewBox"]
    bg = _over(m["bg"], (255, 255, 255))
    if m["left"] < 0 or m["right"] > m["innerWidth"] + 0.5:
        problems.append(f"the drawing runs off the screen ({m['left']:.0f} to {m['right']:.0f} px)")
    if m["scrollWidth"] > m["innerWidth"]:
        problems.append(f"the page scrolls sideways ({m['scrollWidth']} > {m['innerWidth']} px)")
    fills = {s["group"]: s["fill"] for s in m["shapes"]}
    for t in m["texts"]:
        if t["px"] < 16 - 0.01:
            problems.append(f"{t['text']!r} is drawn at {t['px']:.1f} px, under the 16 px body size")
        x0, _y0, x1, _y1 = t["box"]
        if x0 < 0 or x1 > width - 1:
            problems.append(f"{t['text']!r} runs out of the drawing ({x0:.0f} to {x1:.0f} of {width:.0f})")
        if fig.svg == "plasma-to-medicine.svg" and x1 > width - 5:
            problems.append(f"{t['text']!r} touches the edge of its box (ends at {x1:.0f})")
        under = [bg]
        if t["group"] == "ivig-fig-on-solid":
            under = [_over(fills["ivig-fig-solid"], bg)]
        elif "ivig-fig-box" in fills:
            under.append(_over(fills["ivig-fig-box"], bg))
        for ground in under:
            ratio = _contrast(_over(t["fill"], ground), ground)
            if ratio < TEXT_CONTRAST:
                problems.append(f"{t['text']!r}: text contrast {ratio:.2f} on {ground}")
    # No label sits on another label or on the drawn staircase.
    boxes = [(t["text"], t["box"]) for t in m["texts"]]
    boxes += [("staircase", s["box"]) for s in m["shapes"] if s["group"] == "ivig-fig-steps"]
    for i, (name_a, a) in enumerate(boxes):
        for name_b, b in boxes[i + 1 :]:
            if _overlaps(a, b):
                problems.append(f"{name_a!r} overlaps {name_b!r}")
    # The parts one must see against the page: every stroke, and the fills that carry
    # meaning (bars, phase markers, arrowheads; a box's tint or a badge's fill is background).
    for s in m["shapes"]:
        paints = [s["stroke"]]
        if s["group"] in ("ivig-fig-solid", "ivig-fig-marker", "ivig-fig-arrow"):
            paints.append(s["fill"])
        for paint in paints:
            if paint in ("none", "rgba(0, 0, 0, 0)"):
                continue
            ratio = _contrast(_over(paint, bg), bg)
            if ratio < GRAPHIC_CONTRAST:
                problems.append(f"{s['group']} shape painted {paint}: contrast {ratio:.2f}")
    return sorted(set(problems))


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_figures_are_readable_on_phone_and_desktop_in_both_palettes(
    open_figures, figures_site_url, viewport, scheme
):
    from test_figures import FIGURES

    page, watch = open_figures(viewport=FIGURE_VIEWPORTS[viewport], scheme=scheme, phone=viewport == "phone")
    FIGURE_SHOTS.mkdir(parents=True, exist_ok=True)
    report = []
    for fig in FIGURES:
        goto(page, figures_site_url + page_url(fig.page) + "/")
        expected = "slate" if scheme == "dark" else "default"
        assert page.locator("body").get_attribute("data-md-color-scheme") == expected
        figure = page.locator(f"figure#{fig.figure_id}")
        figure.scroll_into_view_if_needed()
        assert figure.locator("svg[role='img']").is_visible()
        assert figure.locator("figcaption").is_visible()
        name = f"{fig.figure_id.removeprefix('figure-')}-{viewport}-{scheme}"
        figure.screenshot(path=str(FIGURE_SHOTS / f"{name}.png"))
        page.screenshot(path=str(FIGURE_SHOTS / f"{name}-page.png"))
        report += [f"{fig.svg}: {p}" for p in _check_figure(fig, figure.evaluate(_MEASURE_FIGURE))]
    assert not report, f"figures at {viewport} ({scheme}):\n" + "\n".join(report)
    watch.assert_clean()


def test_safe_twin_a_shrunken_figure_is_caught(open_figures, figures_site_url):
    """The size check is not vacuous: squeezed into 250 px, the drawing's text falls under 16 px."""
    from test_figures import BY_NAME

    fig = BY_NAME["plasma-to-medicine.svg"]
    page, watch = open_figures(viewport=FIGURE_VIEWPORTS["phone"], scheme="light", phone=True)
    goto(page, figures_site_url + page_url(fig.page) + "/")
    figure = page.locator(f"figure#{fig.figure_id}")
    figure.evaluate("f => { f.querySelector('svg').style.width = '250px'; }")
    problems = _check_figure(fig, figure.evaluate(_MEASURE_FIGURE))
    assert any("under the 16 px body size" in p for p in problems), problems
    watch.assert_clean()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_is_clean_on_the_figures(open_figures, figures_site_url, scheme):
    from axe_playwright_python.sync_playwright import Axe
    from test_figures import FIGURES

    page, watch = open_figures(viewport=DESKTOP, scheme=scheme)
    found = []
    for fig in FIGURES:
        goto(page, figures_site_url + page_url(fig.page) + "/")
        violations = Axe().run(page).response["violations"]
        for v in violations:
            targets = [" ".join(map(str, n["target"])) for n in v["nodes"]]
            # Serious or critical anywhere fails, as on the real site; inside a figure, any.
            in_figure = [t for t in targets if "figure" in t or "svg" in t or "ivig-fig" in t]
            if v.get("impact") in BLOCKING_IMPACTS or in_figure:
                found.append(f"{fig.page}: {v['id']} ({v['impact']}): {v['help']} -- {targets[:4]}")
    assert not found, f"axe ({scheme}):\n" + "\n".join(found)
    watch.assert_clean()
