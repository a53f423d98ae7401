"""The register of claims awaiting verification, generated from the pages themselves.

A page marks a claim it cannot yet source with an ``unverified`` admonition whose
title names the claim and whose body ends with a ``Missing:`` paragraph::

    !!! unverified "IVIG can cause swelling from fluid build-up"
        We have not found this in a published source yet.
        Missing: a published source for how often this happens.

At build time the page that holds the marker ``<!-- unverified-register -->`` (the
About page) gets, in its place, a table of every such box in the site: the page
(linked to the box), the claim and what is missing. So the register cannot drift
from the pages: a box added, reworded or removed changes the table on the next build.

Plain functions, no MkDocs: :func:`find_boxes` reads one page, :func:`anchor_ids`
names each box's anchor, :func:`add_anchors` puts the anchors into a page's Markdown,
:func:`mark_boxes` finishes the boxes in the page's HTML (anchor and "Not yet
confirmed:" label), :func:`render_register` writes the table and
:func:`replace_marker` puts it in place.
``hooks/site_hooks.py`` only gathers the pages and reports the findings.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ivig_tools.findings import Finding, Severity
from ivig_tools.mdmask import LineIndex, mask

MARKER = "<!-- unverified-register -->"
ADMONITION_TYPE = "unverified"
MISSING_PREFIX = "Missing:"
ANCHOR_PREFIX = "unverified-"
# The anchor is a <div> just before the box; mark_boxes() then moves its id onto the
# box itself, so links land on the box's title.
ANCHOR_CLASS = "ivig-unverified-anchor"

RULES: dict[str, tuple[Severity, str]] = {
    "UNV001": ("warning", "an unverified box whose body does not end with a 'Missing:' line"),
    "UNV002": ("warning", "an unverified box without a title naming the claim"),
    "UNV003": ("warning", "unverified boxes exist but no page holds the register marker"),
    "UNV004": ("warning", "the register marker appears more than once"),
    "UNV005": ("warning", "a 'Missing:' line that says nothing"),
}

# Python-Markdown's admonition ("!!!") and pymdownx.details ("???", "???+") openers.
# The first class after the marker is the box's type.
_OPENER_RE = re.compile(
    r"^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?)[ \t]*(?P<type>[\w-]+)(?:[ \t]+[\w-]+)*"
    r'(?:[ \t]+"(?P<title>[^"\n]*)")?[ \t]*$',
    re.MULTILINE,
)


@dataclass(frozen=True)
class UnverifiedBox:
    """One ``!!! unverified`` box: where it is, the claim, and what is missing."""

    path: str  # as reported, e.g. "docs/side-effects.md"
    line: int  # 1-based line of the "!!!" opener
    col: int
    claim: str  # the box's title
    missing: str  # the text after "Missing:" (may be empty when a finding says so)
    indent: str = ""  # the opener's indentation (boxes may sit inside lists)


@dataclass(frozen=True)
class RegisterRow:
    """A box placed in the site: its page and its anchor, for the register table."""

    src_uri: str  # e.g. "side-effects.md"
    page_title: str
    anchor: str  # e.g. "unverified-ivig-can-cause-swelling"
    box: UnverifiedBox


def find_boxes(text: str, path: str) -> tuple[list[UnverifiedBox], list[Finding]]:
    """The unverified boxes of one page (outside code and comments), and what is wrong with them."""
    masked = mask(text)
    if ADMONITION_TYPE not in masked:
        return [], []
    index = LineIndex(text)
    lines = text.split("\n")
    boxes: list[UnverifiedBox] = []
    findings: list[Finding] = []
    for m in _OPENER_RE.finditer(masked):
        if m.group("type") != ADMONITION_TYPE:
            continue
        line, _ = index.position(m.start())
        col = len(m.group("indent")) + 1
        indent = m.group("indent")
        title = " ".join(text[m.start("title") : m.end("title")].split()) if m.group("title") else ""
        if not title:
            findings.append(
                _finding(
                    path,
                    line,
                    col,
                    "UNV002",
                    "this unverified box names no claim: write the claim in a few words as its title, "
                    '!!! unverified "Claim in a few words"',
                )
            )
        body = _body(lines, line, indent)
        missing, problem = _missing(body)
        if problem == "absent":
            findings.append(
                _finding(
                    path,
                    line,
                    col,
                    "UNV001",
                    f"the unverified box {title!r} must end with a line starting {MISSING_PREFIX!r} that "
                    "says what is missing (for example 'Missing: a published source for how often this "
                    "happens.'); the About page's register shows it",
                )
            )
        elif problem == "not-last":
            findings.append(
                _finding(
                    path,
                    line,
                    col,
                    "UNV001",
                    f"the {MISSING_PREFIX!r} line of the unverified box {title!r} must be its last line; "
                    "move the text after it above it",
                )
            )
        elif problem == "empty":
            findings.append(
                _finding(path, line, col, "UNV005", f"the 'Missing:' line of the box {title!r} is empty")
            )
        boxes.append(UnverifiedBox(path, line, col, title, missing, indent))
    return boxes, findings


def _finding(path: str, line: int, col: int, rule: str, message: str) -> Finding:
    return Finding(path, line, col, RULES[rule][0], rule, message)


def _body(lines: Sequence[str], opener_line: int, indent: str) -> list[str]:
    """The box's body lines (blank lines kept, trailing ones dropped), de-indented."""
    inner = len(_expand(indent)) + 4
    body: list[str] = []
    for raw in lines[opener_line:]:  # opener_line is 1-based: this starts after it
        expanded = _expand(raw)
        if not expanded.strip():
            body.append("")
            continue
        if len(expanded) - len(expanded.lstrip(" ")) < inner:
            break
        body.append(expanded[inner:])
    while body and not body[-1]:
        body.pop()
    return body


def _expand(line: str) -> str:
    return line.expandtabs(4)


def _missing(body: Sequence[str]) -> tuple[str, str]:
    """(what is missing, problem): problem is "" (fine), "absent", "not-last" or "empty".

    The body must end with a line starting "Missing:"; that line may wrap onto the next
    lines of its paragraph, but no paragraph may follow it.
    """
    starts = [i for i, line in enumerate(body) if line.strip().startswith(MISSING_PREFIX)]
    if not starts:
        return "", "absent"
    last = starts[-1]
    rest = body[last:]
    if any(not line.strip() for line in rest):
        return "", "not-last"
    text = " ".join(" ".join(line.strip() for line in rest)[len(MISSING_PREFIX) :].split())
    return text, ("" if text else "empty")


def slug(text: str) -> str:
    """A readable anchor fragment: lower-case ASCII words joined by hyphens, at most 60 characters."""
    folded = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c)).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > 60 and out:
            break
        out = candidate
    return out or "claim"


def anchor_ids(boxes: Iterable[UnverifiedBox]) -> list[str]:
    """One anchor per box of a page, in order, unique on the page."""
    seen: dict[str, int] = {}
    out = []
    for box in boxes:
        base = ANCHOR_PREFIX + slug(box.claim)
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return out


def add_anchors(markdown: str, path: str) -> str:
    """Put an empty ``<div id=...>`` before each unverified box's opener in ``markdown``.

    The anchors are those :func:`anchor_ids` gives the boxes :func:`find_boxes` finds,
    so they match the register built from the same page.
    """
    boxes, _ = find_boxes(markdown, path)
    if not boxes:
        return markdown
    lines = markdown.split("\n")
    for box, anchor in sorted(zip(boxes, anchor_ids(boxes), strict=True), key=lambda pair: -pair[0].line):
        # A blank line after the <div> ends the raw HTML block, so the box stays a box.
        anchor_div = f'{box.indent}<div class="{ANCHOR_CLASS}" id="{anchor}"></div>'
        lines[box.line - 1 : box.line - 1] = [anchor_div, ""]
    return "\n".join(lines)


# What the box's title starts with, so the box says what it is in words (never by its
# colour or icon alone) and a reader never takes the claim in its title for a fact.
LABEL = "Not yet confirmed:"
LABEL_CLASS = "ivig-unverified-label"

_MOVE_RE = re.compile(
    rf'(?:<p>)?<div class="{ANCHOR_CLASS}" id="(?P<id>[^"]+)"></div>(?:</p>)?\s*'
    rf'<(?P<tag>div|details) class="(?P<classes>(?:admonition )?{ADMONITION_TYPE}\b[^"]*)"'
)
_TITLE_RE = re.compile(
    rf'(?P<open><(?:div|details) class="(?:admonition )?{ADMONITION_TYPE}\b[^"]*"[^>]*>\s*'
    rf'(?:<p class="admonition-title">|<summary>))'
)


def mark_boxes(html: str) -> str:
    """Finish the boxes in a page's HTML: the anchor's id moves onto the box, the title gets its label.

    ``<div id=x></div><div class="admonition unverified"><p class="admonition-title">Claim``
    becomes ``<div class="admonition unverified" id=x><p class="admonition-title">``
    ``<span class="ivig-unverified-label">Not yet confirmed:</span> Claim``; the closing
    "Missing:" line becomes a paragraph of its own, "What is missing: ...".
    """
    html = _MOVE_RE.sub(lambda m: f'<{m["tag"]} class="{m["classes"]}" id="{m["id"]}"', html)
    html = _TITLE_RE.sub(lambda m: f'{m.group("open")}<span class="{LABEL_CLASS}">{LABEL}</span> ', html)
    return _mark_missing(html)


MISSING_LABEL = "What is missing:"
MISSING_CLASS = "ivig-unverified-missing"
_BOX_END_RE = re.compile(r"</div>|</details>")
_MISSING_RE = re.compile(rf"(?P<lead><p>|\n)[ \t]*{re.escape(MISSING_PREFIX)}[ \t]*")


def _mark_missing(html: str) -> str:
    """The box's closing "Missing:" line becomes its own paragraph: "**What is missing:** ..."."""
    out = []
    pos = 0
    for start in _TITLE_RE.finditer(html):
        if start.start() < pos:
            continue
        end = _BOX_END_RE.search(html, start.end())
        stop = end.start() if end else len(html)
        found = list(_MISSING_RE.finditer(html, start.end(), stop))
        if not found:
            continue
        m = found[-1]
        opening = "<p" if m["lead"] == "<p>" else "</p>\n<p"
        out.append(html[pos : m.start()])
        out.append(f'{opening} class="{MISSING_CLASS}"><strong>{MISSING_LABEL}</strong> ')
        pos = m.end()
    out.append(html[pos:])
    return "".join(out)


def render_register(rows: Sequence[RegisterRow], register_src_uri: str) -> str:
    """The register as Markdown: a table (page, claim, what is missing), or a sentence when empty."""
    if not rows:
        return (
            '<div class="ivig-register" markdown="1">\n\n'
            "No claims are awaiting verification at the moment: every claim in this guide cites a source.\n\n"
            "</div>\n"
        )
    out = [
        '<div class="ivig-register" markdown="1">',
        "",
        "| Page | Claim | What is missing |",
        "|---|---|---|",
    ]
    for row in rows:
        missing = row.box.missing[:1].upper() + row.box.missing[1:]
        out.append(f"| {_link(row, register_src_uri)} | {_cell(row.box.claim)} | {_cell(missing)} |")
    out += ["", "</div>", ""]
    return "\n".join(out)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _link(row: RegisterRow, register_src_uri: str) -> str:
    title = _cell(row.page_title).replace("[", "\\[").replace("]", "\\]")
    if row.src_uri == register_src_uri:
        return f"[{title}](#{row.anchor})"
    target = posixpath.relpath(row.src_uri, posixpath.dirname(register_src_uri) or ".")
    if row.src_uri == "index.md":
        # mkdocs-to-pdf rewrites links to anchors on the home page wrongly; the anchor
        # rides in a data attribute that references.add_deferred_anchors() puts back.
        return f'[{title}]({target}){{ data-ivig-anchor="{row.anchor}" }}'
    return f"[{title}]({target}#{row.anchor})"


def marker_offsets(text: str) -> list[int]:
    """Offsets of the register marker in ``text``, outside code (it is itself an HTML comment)."""
    masked = mask(text, comments=False)
    return [m.start() for m in re.finditer(re.escape(MARKER), masked)]


def replace_marker(text: str, register_markdown: str) -> str:
    """``text`` with every marker outside code replaced by the register."""
    for offset in reversed(marker_offsets(text)):
        text = text[:offset] + register_markdown + text[offset + len(MARKER) :]
    return text


def marker_findings(
    marker_pages: Mapping[str, Sequence[tuple[int, int]]], box_count: int, *, home: str = "docs/about.md"
) -> list[Finding]:
    """What is wrong with where the marker is: ``marker_pages`` maps a path to (line, col) of each marker.

    ``home`` is the page where the marker belongs, named by the finding when it is missing.
    """
    places = [(path, line, col) for path, positions in marker_pages.items() for line, col in positions]
    if not places:
        if not box_count:
            return []
        return [
            Finding(
                home,
                1,
                1,
                RULES["UNV003"][0],
                "UNV003",
                f"{box_count} unverified box(es) but no page holds the register marker {MARKER}: "
                "put it on a line of its own where the register of claims awaiting verification belongs",
            )
        ]
    if len(places) == 1:
        return []
    first = places[0]
    return [
        Finding(
            path,
            line,
            col,
            RULES["UNV004"][0],
            "UNV004",
            f"the register marker {MARKER} appears again (first at {first[0]}:{first[1]}:{first[2]}); "
            "keep one",
        )
        for path, line, col in places[1:]
    ]
