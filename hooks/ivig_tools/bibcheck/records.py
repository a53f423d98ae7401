"""Registry records in the cache (``hooks/data/doi-registry.json``): retraction, concern and
correction notices."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

RETRACTED = {
    "retraction": "retracted",
    "partial_retraction": "partly retracted",
    "withdrawal": "withdrawn",
    "removal": "removed",
}


RETRACTION_TYPES = frozenset(RETRACTED)


CONCERN_TYPES = frozenset({"expression_of_concern"})


CORRECTION_TYPES = frozenset({"correction", "corrigendum", "erratum", "addendum", "clarification"})


def update_type(update: Mapping[str, Any]) -> str:
    return re.sub(r"[\s-]+", "_", str(update.get("type", "")).strip().casefold())


def records_of(cache: Mapping[str, Any] | None) -> dict[str, dict[str, Any]]:
    """The cache's records, keyed by lower-case DOI."""
    if not cache:
        return {}
    records = cache.get("records") or {}
    return {str(k).lower(): v for k, v in records.items() if isinstance(v, dict)}


def record_notices(record: Mapping[str, Any]) -> list[str]:
    out = []
    for update in record.get("updated-by") or []:
        if not isinstance(update, Mapping):
            continue
        kind = update.get("label") or update_type(update).replace("_", " ").capitalize() or "Update"
        details = []
        if update.get("note"):
            details.append(str(update["note"]))
        if update.get("DOI"):
            details.append(f"doi:{update['DOI']}")
        date = date_text(update.get("updated"))
        if date:
            details.append(date)
        out.append(f"{kind}: {'; '.join(details)}" if details else str(kind))
    return out


def date_text(value: Any) -> str:
    try:
        parts = value["date-parts"][0]
        return "-".join(f"{int(p):02d}" if i else str(int(p)) for i, p in enumerate(parts))
    except (TypeError, KeyError, IndexError, ValueError):
        return ""
