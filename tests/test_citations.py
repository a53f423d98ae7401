"""ivig_tools.citations: the citations mkdocs-bibtex sees, with their positions."""

from __future__ import annotations

import dataclasses

import pytest
from ivig_tools import citations
from ivig_tools.citations import Citation, find_citations


def keys(text: str, **kw) -> list[str]:
    return [c.key for c in find_citations(text, **kw)]


def test_regexes_are_those_of_the_installed_mkdocs_bibtex():
    plugin = pytest.importorskip("mkdocs_bibtex.citation")
    for name in ("CITATION_REGEX", "CITATION_BLOCK_REGEX", "EMAIL_REGEX", "INLINE_REFERENCE_REGEX"):
        assert getattr(citations, name).pattern == getattr(plugin, name).pattern, name


def test_citation_api():
    fields = [f.name for f in dataclasses.fields(Citation)]
    assert fields == ["key", "start", "end", "line", "col"]
    c = find_citations("See [@guo2018].")[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.key = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[@guo2018]", ["guo2018"]),
        ("Text [@a; @b].", ["a", "b"]),
        ("[see @key, p. 3]", ["key"]),
        ("[@under_score-dash9]", ["under_score-dash9"]),
        ("[@smith:2008]", ["smith"]),  # mkdocs-bibtex reads the key up to the ':'
        ("[foo@example.org]", []),  # an e-mail address at the start of a part is skipped
        ("[mail x@example.org]", ["example"]),  # ... but not after other words (the plugin's quirk)
        ("[@a](https://example.org)", ["a"]),  # link text is read as a citation too
        ("[^1] and [text] and [1]", []),
        ("[@a]\n[@b]", ["a", "b"]),
        ("[@a\n@b]", []),  # a citation block does not span lines
        ("a bare @key outside brackets", []),  # inline citations are off by default
    ],
)
def test_what_mkdocs_bibtex_recognises(text, expected):
    assert keys(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Code `[@code]` here.",
        "```\n[@fenced]\n```\n",
        "~~~python\n@decorator [@fenced]\n~~~\n",
        "<!-- [@comment] -->",
        "---\ntitle: [@front]\n---\nText\n",
        "``[@double]``",
    ],
)
def test_code_comments_and_front_matter_are_ignored(text):
    assert keys(text) == []


def test_positions_are_in_the_original_text():
    text = "---\ntitle: Page\n---\n\n```\n[@no]\n```\nSee `x` and [@a; see @bb, p. 2].\n"
    found = find_citations(text)
    assert [(c.key, c.line, c.col) for c in found] == [("a", 8, 14), ("bb", 8, 22)]
    for c in found:
        assert text[c.start : c.end] == "@" + c.key


def test_inline_citations_when_enabled():
    text = "As @guo2018 says [@b], and x@example.org.\n\\@escaped and [see @c]"
    assert keys(text, inline=True) == ["guo2018", "b", "c"]
    assert keys(text) == ["b", "c"]


def test_matches_carry_prefix_and_suffix():
    (m,) = list(citations.iter_citation_matches("[see @key, p. 3]"))
    assert (m.prefix, m.suffix, m.inline) == ("see", "p. 3", False)


@pytest.mark.parametrize(
    "text",
    [
        "Plain [@a] text [@b; @c] and [see @d, p. 4; @e] and [x@y.org] and [note @f].",
        "[@a](link) [[@b]] [@c]] [@d:e] [mail me@host.com; @g]",
    ],
)
def test_same_keys_as_mkdocs_bibtex_outside_code(text):
    plugin = pytest.importorskip("mkdocs_bibtex.citation")
    theirs = [c.key for b in plugin.CitationBlock.from_markdown(text) for c in b.citations]
    assert keys(text) == theirs
