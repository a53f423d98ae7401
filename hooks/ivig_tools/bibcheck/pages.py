"""The citation rules (CIT001 to CIT003) on Markdown pages, and :func:`check`, everything offline."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from ivig_tools.bibcheck.entries import check_bibliography
from ivig_tools.bibcheck.rules import BIB_RULES
from ivig_tools.bibcheck.scanner import BibFile, parse_bib
from ivig_tools.citations import Citation, iter_citation_matches
from ivig_tools.findings import Finding

_KEY_TAIL_RE = re.compile(r"[:./][\w:./-]*[\w-]")


def check_page(
    text: str,
    path: str,
    keys: Collection[str],
    *,
    inline: bool = False,
    bib_name: str = "references.bib",
) -> tuple[list[Finding], list[Citation]]:
    """CIT001/CIT003 for one Markdown page; also returns its citations."""
    findings: list[Finding] = []
    citations: list[Citation] = []
    by_lower: dict[str, str] | None = None
    for match in iter_citation_matches(text, inline=inline):
        c = match.citation
        citations.append(c)
        if c.key in keys:
            if match.prefix.strip() or match.suffix.strip():
                extra = " ".join(p for p in (match.prefix.strip(), match.suffix.strip()) if p)
                findings.append(
                    Finding(
                        path,
                        c.line,
                        c.col,
                        BIB_RULES.rules["CIT003"].severity,
                        "CIT003",
                        f"citation of '{c.key}': the AMA style does not show \"{extra}\"; "
                        "put it in the sentence instead",
                    )
                )
            continue
        if by_lower is None:
            by_lower = {k.lower(): k for k in keys}
        tail = _KEY_TAIL_RE.match(text, c.end)
        if c.key.lower() in by_lower:
            hint = f"keys are case-sensitive here: write [@{by_lower[c.key.lower()]}]"
        elif tail and (c.key + tail.group()) in keys:
            hint = (
                f"mkdocs-bibtex reads '@{c.key}{tail.group()}' as '@{c.key}' (keys may hold only letters, "
                "digits, '_' and '-'): rename the entry"
            )
        elif c.start > 0 and (text[c.start - 1].isalnum() or text[c.start - 1] in "._%+-"):
            hint = (
                "this looks like an e-mail address in square brackets, which mkdocs-bibtex reads as a "
                "citation; take it out of the brackets or write the '@' as '&#64;'"
            )
        else:
            hint = f"add the entry to {bib_name} or correct the key (mkdocs-bibtex would silently delete it)"
        findings.append(
            Finding(
                path,
                c.line,
                c.col,
                BIB_RULES.rules["CIT001"].severity,
                "CIT001",
                f"citation of unknown key '{c.key}': no entry in {bib_name} has it; {hint}",
            )
        )
    return findings, citations


def check_uncited(
    bibs: Sequence[BibFile], cited: Collection[str], *, pages_where: str = "docs/"
) -> list[Finding]:
    """CIT002: entries no page cites."""
    out = []
    for bib in bibs:
        for entry in bib.entries:
            if entry.key not in cited:
                out.append(
                    bib.finding(
                        entry.key_offset,
                        "CIT002",
                        f"entry '{entry.key}' is cited nowhere in {pages_where}; cite it with "
                        f"[@{entry.key}] or remove it",
                    )
                )
    return out


def entry_keys(bibs: Iterable[BibFile]) -> set[str]:
    return {e.key for bib in bibs for e in bib.entries}


def check(
    bib_texts: Sequence[tuple[str, str]],
    pages: Sequence[tuple[str, str]] | None = None,
    cache: Mapping[str, Any] | None = None,
    *,
    inline: bool = False,
    pages_where: str = "docs/",
) -> list[Finding]:
    """Everything offline: ``bib_texts`` and ``pages`` are (path, text) pairs."""
    bibs = [parse_bib(text, path) for path, text in bib_texts]
    findings = check_bibliography(bibs, cache)
    if pages is not None:
        keys = entry_keys(bibs)
        bib_name = ", ".join(b.path for b in bibs) or "the bibliography"
        cited: set[str] = set()
        for path, text in pages:
            page_findings, citations = check_page(text, path, keys, inline=inline, bib_name=bib_name)
            findings.extend(page_findings)
            cited.update(c.key for c in citations)
        findings.extend(check_uncited(bibs, cited, pages_where=pages_where))
    return findings
