"""Who is behind the guide, as the About page shows it, from ``extra.people`` in mkdocs.yml.

Maintainers fill in the names; nothing here invents one. Two markers on a page are
replaced:

* ``<!-- people -->``: each role and the names listed for it, or a sentence saying the
  maintainers have not listed anyone yet;
* ``<!-- clinical-review -->``: whether a clinician has checked and signed off content.
  With no clinical reviewer listed, it says plainly that none has.

No MkDocs import: ``hooks/page_hooks.py`` is the adapter.
"""

from __future__ import annotations

from collections.abc import Mapping

PEOPLE_MARKER = "<!-- people -->"
CLINICAL_MARKER = "<!-- clinical-review -->"

# Role key in mkdocs.yml, and what the About page calls it.
ROLES: dict[str, str] = {
    "editors": "Editors",
    "maintainers": "Maintainers",
    "clinical_reviewers": "Clinical reviewers",
}

NO_CLINICIAN = (
    "No doctor, nurse or pharmacist has yet checked and signed off the content of this guide. "
    "Until one has, please check anything you want to act on with your own care team."
)


class PeopleError(ValueError):
    """``extra.people`` is not a mapping of known roles to lists of names."""


def people_of(extra: Mapping[str, object]) -> dict[str, list[str]]:
    """The validated ``extra.people`` mapping (every role present, names as strings)."""
    raw = extra.get("people") or {}
    if not isinstance(raw, Mapping):
        raise PeopleError("extra.people must be a mapping of roles to lists of names")
    unknown = sorted(set(raw) - set(ROLES))
    if unknown:
        raise PeopleError(
            f"extra.people: unknown role(s) {', '.join(map(str, unknown))}; use {', '.join(ROLES)}"
        )
    people: dict[str, list[str]] = {}
    for role in ROLES:
        names = raw.get(role) or []
        if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
            raise PeopleError(f"extra.people.{role} must be a list of names")
        people[role] = [" ".join(n.split()) for n in names]
    return people


def people_markdown(people: Mapping[str, list[str]]) -> str:
    """The roles and their names, as a Markdown list."""
    if not any(people.values()):
        return "The maintainers have not yet listed the names of the people in these roles."
    lines = [f"- {ROLES[role]}: {', '.join(names)}." for role, names in people.items() if names]
    return "\n".join(lines)


def clinical_review_markdown(people: Mapping[str, list[str]]) -> str:
    """Whether a clinician has signed off content: never suggests a sign-off nobody gave."""
    names = people.get("clinical_reviewers") or []
    if not names:
        return NO_CLINICIAN
    return (
        "These clinicians have checked and signed off content of this guide: "
        + ", ".join(names)
        + ". Each page's review line says only what the editors checked."
    )


def fill_markers(markdown: str, people: Mapping[str, list[str]]) -> str:
    """The page with both markers replaced (a page without them is returned unchanged)."""
    if PEOPLE_MARKER in markdown:
        markdown = markdown.replace(PEOPLE_MARKER, people_markdown(people))
    if CLINICAL_MARKER in markdown:
        markdown = markdown.replace(CLINICAL_MARKER, clinical_review_markdown(people))
    return markdown
