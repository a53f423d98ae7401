"""DOI001 to DOI006 and REG001 to REG007 for one entry: the doi field's form, and what the
registry cache says about it."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from ivig_tools.bibcheck.compare import compare_with_record
from ivig_tools.bibcheck.doi import SCRAPE_RESIDUE_RE, doi_form, normalise_doi
from ivig_tools.bibcheck.scanner import BibEntry, BibFile
from ivig_tools.findings import Finding


def check_doi(
    bib: BibFile,
    entry: BibEntry,
    seen: dict[str, tuple[BibFile, BibEntry]],
    records: Mapping[str, Mapping[str, Any]],
    unregistered: Collection[str],
) -> list[Finding]:
    doi_field = entry.fields.get("doi")
    key = entry.key
    if doi_field is None or not doi_field.value.strip():
        if entry.type == "article" and doi_field is None:
            return [
                bib.finding(
                    entry.key_offset,
                    "DOI006",
                    f"article '{key}' has no doi; add doi = {{10.xxxx/...}} if it has one (not required)",
                )
            ]
        return []
    raw = " ".join(doi_field.value.split())
    doi = normalise_doi(raw)
    out: list[Finding] = []
    at = doi_field.value_offset
    form = doi_form(doi)
    if form == "residue":
        cut = SCRAPE_RESIDUE_RE.search(doi)
        start = doi[: cut.start()] if cut else doi
        out.append(
            bib.finding(
                at,
                "DOI002",
                f"entry '{key}': \"{raw}\" is not a DOI: a DOI with a fragment of an export or a web "
                f'page glued on; the DOI is probably "{start.rstrip(chr(34))}": check it on the '
                "publisher's page",
            )
        )
        return out
    if form == "invalid":
        out.append(
            bib.finding(
                at,
                "DOI002",
                f"entry '{key}': \"{raw}\" is not a DOI (a DOI reads 10.NNNN/suffix); "
                "correct it from the publisher's page, or remove the field",
            )
        )
        return out
    if doi != raw:
        out.append(
            bib.finding(
                at,
                "DOI001",
                f"entry '{key}': the doi field holds \"{raw}\", not a bare DOI; write doi = {{{doi}}}",
            )
        )
    if form == "older":
        out.append(
            bib.finding(
                at,
                "DOI003",
                f"entry '{key}' (doi {doi}): a legal DOI of an older form, outside Crossref's modern "
                "pattern; check it against the publisher's page",
            )
        )
    lower = doi.lower()
    if lower in seen:
        _, other = seen[lower]
        out.append(
            bib.finding(
                at,
                "DOI004",
                f"entry '{key}' (doi {doi}) has the same DOI as entry '{other.key}'; "
                "one of them has the wrong DOI, or they are the same work: merge them",
            )
        )
    else:
        seen[lower] = (bib, entry)
    if lower in unregistered:
        out.append(
            bib.finding(
                at,
                "REG005",
                f"entry '{key}' (doi {doi}): the DOI is not registered (the registry said so when the "
                "cache was last refreshed); correct it from the publisher's page",
            )
        )
        return out
    record = records.get(lower)
    if record is None:
        out.append(
            bib.finding(
                at,
                "DOI005",
                f"entry '{key}' (doi {doi}) is unverified: no record in the registry cache; "
                "run `python hooks/doi_check.py --online --update-cache`",
            )
        )
        return out
    out.extend(compare_with_record(bib, entry, record, doi))
    return out
