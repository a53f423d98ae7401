"""The About page's people and clinical sign-off, from extra.people in mkdocs.yml."""

from __future__ import annotations

import pytest
from ivig_tools import people


def test_no_names_listed_says_so_and_claims_no_clinical_sign_off():
    listed = people.people_of({"people": {"editors": [], "maintainers": [], "clinical_reviewers": []}})
    page = people.fill_markers("A\n\n<!-- people -->\n\n<!-- clinical-review -->\n", listed)
    assert "have not yet listed the names" in page
    assert people.NO_CLINICIAN in page
    assert "<!--" not in page


def test_missing_extra_people_is_the_same_as_nobody_listed():
    assert people.people_of({}) == {role: [] for role in people.ROLES}


def test_names_are_shown_under_their_roles():
    listed = people.people_of(
        {"people": {"editors": ["  Ada   Lovelace "], "clinical_reviewers": ["Dr A. Nurse"]}}
    )
    page = people.fill_markers("<!-- people -->\n<!-- clinical-review -->", listed)
    assert "- Editors: Ada Lovelace." in page
    assert "Maintainers" not in page
    assert "signed off content of this guide: Dr A. Nurse" in page
    assert people.NO_CLINICIAN not in page


def test_a_page_without_markers_is_unchanged():
    text = "No markers here.\n"
    assert people.fill_markers(text, people.people_of({})) == text


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"people": ["Ada"]}, "must be a mapping"),
        ({"people": {"reviewers": ["Ada"]}}, "unknown role(s) reviewers"),
        ({"people": {"editors": "Ada"}}, "extra.people.editors must be a list"),
        ({"people": {"editors": [""]}}, "extra.people.editors must be a list"),
    ],
)
def test_a_malformed_people_setting_is_one_clear_sentence(extra, message):
    with pytest.raises(people.PeopleError, match=message.replace("(", r"\(").replace(")", r"\)")):
        people.people_of(extra)
