"""The publishing and contribution plumbing under .github/ and .pre-commit-config.yaml.

Parses the workflows and asserts what matters for safety and for a working deploy:
triggers, permissions (nothing by default, write access only where it is used), actions
pinned to known commits, no persisted credentials, the Pages deploy chain, concurrency.
Then zizmor and the GitHub schemas (both offline, from the venv) must accept every file.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GITHUB = ROOT / ".github"
WORKFLOWS = GITHUB / "workflows"
BIN = Path(sys.executable).parent
# Where the project's notes keep the tag-to-commit table (outside the repository; only
# compared when present).

# Commits read from each action's own repository (copied from the team's stack notes,
# checked identical on 2026-11-22; the tests never read files outside the repository). A wrong SHA
# breaks the deploy, so a new pin (for example from Dependabot) is added here only after
# checking the tag's commit in the action's repository.
KNOWN_PINS = {
    "actions/checkout": ("v7.0.1", "3d3c42e5aac5ba805825da76410c181273ba90b1"),
    "actions/setup-python": ("v7.0.0", "5fda3b95a4ea91299a34e894583c3862153e4b97"),
    "actions/configure-pages": ("v5.0.0", "983d7736d9b0ae728b81ab479565c72886d7745b"),
    "actions/upload-pages-artifact": ("v5.0.0", "fc324d3547104276b827a68afc52ff2a11cc49c9"),
    "actions/deploy-pages": ("v5.0.0", "cd2ce8fcbc39b97be8ca5fce6e763baed58fa128"),
    "actions/upload-artifact": ("v7.0.0", "bbbca2ddaa5d8feaa63e36b76fdaad77386f024f"),
    "peter-evans/create-pull-request": ("v8.1.1", "5f6978faf089d4d20b00c7766989d076bb2fc7f1"),
}

WORKFLOW_FILES = sorted(WORKFLOWS.glob("*.yml"))
EXPECTED_WORKFLOWS = {"ci.yml", "pages.yml", "refresh-doi-cache.yml"}

_USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)(?:\s+#\s*(?P<comment>.*?))?\s*$")


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    # YAML 1.1 reads a bare `on` key as the boolean True.
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    return on


def steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def all_steps(workflow: dict):
    for job_id, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, step


def step_using(workflow: dict, job: str, action: str) -> tuple[int, dict]:
    for i, step in enumerate(steps(workflow, job)):
        if step.get("uses", "").split("@")[0] == action:
            return i, step
    raise AssertionError(f"job {job} has no step using {action}")


def step_running(workflow: dict, job: str, text: str) -> tuple[int, dict]:
    for i, step in enumerate(steps(workflow, job)):
        if text in step.get("run", ""):
            return i, step
    raise AssertionError(f"job {job} has no step running {text!r}")


@pytest.fixture(scope="module")
def pages() -> dict:
    return load(WORKFLOWS / "pages.yml")


@pytest.fixture(scope="module")
def ci() -> dict:
    return load(WORKFLOWS / "ci.yml")


@pytest.fixture(scope="module")
def refresh() -> dict:
    return load(WORKFLOWS / "refresh-doi-cache.yml")


def test_the_expected_workflows_exist():
    assert {p.name for p in WORKFLOW_FILES} >= EXPECTED_WORKFLOWS


# --- triggers ------------------------------------------------------------------------


def test_pages_deploys_on_push_to_main_and_by_hand(pages):
    on = triggers(pages)
    assert set(on) == {"push", "workflow_dispatch"}
    assert on["push"]["branches"] == ["main"]


def test_ci_runs_on_pull_requests_and_pushes(ci):
    on = triggers(ci)
    assert {"pull_request", "push"} <= set(on)
    # Never pull_request_target: it would run untrusted code with the repository's token.
    assert "pull_request_target" not in on


def test_doi_refresh_runs_weekly_and_by_hand(refresh):
    on = triggers(refresh)
    assert set(on) == {"schedule", "workflow_dispatch"}
    (entry,) = on["schedule"]
    minute, hour, dom, month, dow = entry["cron"].split()
    assert (dom, month) == ("*", "*")
    assert re.fullmatch(r"[0-6]", dow), "once a week, on one weekday"
    assert minute.isdigit()
    assert hour.isdigit()


# --- permissions ---------------------------------------------------------------------


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_nothing_is_permitted_by_default(path):
    assert load(path)["permissions"] == {}


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_every_job_states_its_permissions(path):
    for job_id, job in load(path)["jobs"].items():
        assert isinstance(job.get("permissions"), dict), f"{path.name}: job {job_id} states no permissions"


def test_pages_permissions(pages):
    assert pages["jobs"]["build"]["permissions"] == {
        "contents": "read",
        # actions/configure-pages reads the Pages settings through the API.
        "pages": "read",
    }
    assert pages["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_ci_only_reads(ci):
    for job in ci["jobs"].values():
        assert job["permissions"] == {"contents": "read"}


def test_doi_refresh_writes_only_what_a_pull_request_needs(refresh):
    (job,) = refresh["jobs"].values()
    assert job["permissions"] == {"contents": "write", "pull-requests": "write"}


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_deploy_rights_only_on_the_pages_deploy_job(path):
    for job_id, job in load(path)["jobs"].items():
        perms = job["permissions"]
        if (path.name, job_id) == ("pages.yml", "deploy"):
            continue
        assert perms.get("pages") in (None, "read"), f"{path.name}: {job_id}"
        assert "id-token" not in perms, f"{path.name}: {job_id}"


# --- pinned actions ----------------------------------------------------------------


def uses_lines(path: Path) -> list[tuple[int, str, str | None]]:
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        m = _USES_LINE.match(line)
        if m:
            out.append((number, m["ref"], m["comment"]))
    return out


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_known_commit_with_its_version(path):
    lines = uses_lines(path)
    # Every `uses:` the YAML parser sees is one of the lines checked here.
    parsed = [step["uses"] for _, step in all_steps(load(path)) if "uses" in step]
    assert sorted(parsed) == sorted(ref for _, ref, _ in lines)
    for number, ref, comment in lines:
        where = f"{path.name}:{number}"
        action, _, sha = ref.partition("@")
        assert re.fullmatch(r"[0-9a-f]{40}", sha), f"{where}: {ref} is not pinned to a full commit SHA"
        assert action in KNOWN_PINS, f"{where}: {action} is not in the known tag-to-commit table"
        tag, known_sha = KNOWN_PINS[action]
        assert sha == known_sha, f"{where}: {action}@{sha} is not the known commit of {tag} ({known_sha})"
        assert comment == tag, f"{where}: the comment should read `# {tag}`, not {comment!r}"


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_checkout_never_persists_credentials(path):
    checkouts = [
        (job_id, step)
        for job_id, step in all_steps(load(path))
        if step.get("uses", "").startswith("actions/checkout@")
    ]
    assert checkouts, f"{path.name} checks nothing out"
    for job_id, step in checkouts:
        assert step.get("with", {}).get("persist-credentials") is False, f"{path.name}: {job_id}"


@pytest.mark.parametrize("name", ["pages.yml", "ci.yml"])
def test_builds_see_the_full_history(name):
    # The page dates come from git; a shallow clone would date every page today.
    workflow = load(WORKFLOWS / name)
    for job_id, step in all_steps(workflow):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"].get("fetch-depth") == 0, f"{name}: {job_id}"


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_no_expression_is_pasted_into_a_script(path):
    # Template injection: values reach scripts through `env:`, never `${{ }}` inside `run:`.
    for job_id, step in all_steps(load(path)):
        assert "${{" not in step.get("run", ""), f"{path.name}: {job_id}: {step.get('name')}"


# --- the Pages deploy chain --------------------------------------------------------


def test_pages_build_job_builds_with_the_pages_address(pages):
    i_configure, configure = step_using(pages, "build", "actions/configure-pages")
    i_site, site = step_running(pages, "build", "make site")
    i_upload, upload = step_using(pages, "build", "actions/upload-pages-artifact")
    assert i_configure < i_site < i_upload
    # site_url from configure-pages' base_url, with the trailing slash MkDocs expects.
    assert configure["id"] == "pages"
    assert site["env"]["BASE_URL"] == "${{ steps.pages.outputs.base_url }}"
    assert 'SITE_URL="${BASE_URL%/}/"' in site["run"]
    assert upload["with"]["path"] == "site"


def test_make_site_puts_the_offline_zip_into_the_published_site():
    # The footer of every page links to downloads/ivig-guide-offline.zip.
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^site:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert recipe, "Makefile has no site target"
    assert "scripts/build_offline.py" in recipe[1]
    # Without --zip the script writes site/downloads/ivig-guide-offline.zip.
    assert "--zip" not in recipe[1] or "--zip site/downloads/ivig-guide-offline.zip" in recipe[1]


def test_pages_build_installs_what_the_pdf_needs(pages):
    _, step = step_running(pages, "build", "apt-get install")
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"):
        assert package in step["run"]


def test_pages_deploy_job_deploys_the_built_artifact(pages):
    deploy = pages["jobs"]["deploy"]
    assert deploy["needs"] in ("build", ["build"])
    assert deploy["environment"] == {
        "name": "github-pages",
        "url": "${{ steps.deployment.outputs.page_url }}",
    }
    _, step = step_using(pages, "deploy", "actions/deploy-pages")
    assert step["id"] == "deployment"
    # The deploy job runs nothing of the repository: it only publishes the artifact.
    assert all("run" not in s and not s["uses"].startswith("actions/checkout@") for s in deploy["steps"])


def test_one_pages_deployment_at_a_time(pages):
    assert pages["concurrency"]["group"]
    # A deployment already running is never cancelled half-way.
    assert pages["concurrency"]["cancel-in-progress"] is False


# --- pull requests -----------------------------------------------------------------


def test_ci_runs_the_tests_then_the_checkers_as_annotations(ci):
    (job_id,) = ci["jobs"]
    i_tests, _ = step_running(ci, job_id, "bash .ci/run")
    # One entry point runs every checker (hooks/checkers.py lists them).
    i_checks, checks = step_running(ci, job_id, "hooks/checkers.py --format github")
    i_summary, summary = step_running(ci, job_id, "scripts/findings_summary.py")
    assert i_tests < i_checks < i_summary
    assert '>> "$GITHUB_STEP_SUMMARY"' in summary["run"]
    # Annotations and the summary matter most when the tests failed.
    for step in (checks, summary):
        assert step.get("if") == "${{ !cancelled() }}"
        assert step["run"].startswith(".venv/bin/python ")


def test_ci_uploads_the_site_and_the_test_artifacts(ci):
    (job_id,) = ci["jobs"]
    # The preview is what Pages would publish: the site with its PDF and offline zip.
    i_site, _ = step_running(ci, job_id, "make site")
    i_upload, _ = step_using(ci, job_id, "actions/upload-artifact")
    assert i_site < i_upload
    uploads = [s for s in steps(ci, job_id) if s.get("uses", "").startswith("actions/upload-artifact@")]
    paths = {s["with"]["path"].rstrip("/") for s in uploads}
    assert paths == {"site", "test-artifacts"}
    for step in uploads:
        assert step.get("if") == "${{ !cancelled() }}"


def test_ci_concurrency_replaces_superseded_runs(ci):
    assert ci["concurrency"]["cancel-in-progress"] is True


def test_doi_refresh_updates_the_cache_and_proposes_it(refresh):
    (job_id,) = refresh["jobs"]
    i_update, update = step_running(refresh, job_id, "hooks/doi_check.py --online --update-cache")
    i_diff, diff = step_running(refresh, job_id, "git diff --quiet -- hooks/data/doi-registry.json")
    i_pr, pr = step_using(refresh, job_id, "peter-evans/create-pull-request")
    assert i_update < i_diff < i_pr
    # Findings (exit 1, say a new retraction) must still reach the pull request.
    assert '[ "$status" -gt 1 ]' in update["run"]
    assert pr["if"] == f"steps.{diff['id']}.outputs.changed == 'true'"
    assert pr["with"]["add-paths"] == "hooks/data/doi-registry.json"
    assert pr["with"]["branch"]


# --- Dependabot, templates ---------------------------------------------------------


def test_dependabot_updates_actions_and_requirements_with_a_cooldown():
    config = load(GITHUB / "dependabot.yml")
    updates = {u["package-ecosystem"]: u for u in config["updates"]}
    assert set(updates) == {"github-actions", "pip"}
    for ecosystem, update in updates.items():
        assert update["schedule"]["interval"] == "weekly", ecosystem
        assert update["cooldown"]["default-days"] >= 3, ecosystem
        assert update["groups"], ecosystem


def test_pull_request_template_has_the_checklist():
    text = (GITHUB / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    items = [line for line in text.splitlines() if line.startswith("- [ ] ")]
    assert len(items) >= 5
    for needle in ("cites a source", "`reviewed`", "`make test`", "medical reviewer", "unverified"):
        assert any(needle in item for item in items), needle


def test_report_error_form_takes_the_page_from_the_link():
    form = load(GITHUB / "ISSUE_TEMPLATE" / "report-error.yml")
    assert form["name"] == "Report an error on this page"
    fields = {f["id"]: f for f in form["body"] if "id" in f}
    # ?template=report-error.yml&page=<url> fills the field whose id is `page`.
    assert fields["page"]["type"] == "input"
    assert fields["page"]["validations"]["required"] is True
    assert fields["problem"]["type"] == "textarea"
    assert fields["source"]["validations"]["required"] is False


# --- zizmor and the schemas (offline, from the venv) -------------------------------


def _tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        found = shutil.which(name)
        assert found, f"{name} is not installed; run `make test` (it installs requirements-dev.txt)"
        return found
    return str(path)


def test_zizmor_finds_nothing():
    result = subprocess.run(
        [_tool("zizmor"), "--offline", "--no-progress", "--format", "plain", str(GITHUB)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("schema", "paths"),
    [
        ("vendor.github-workflows", WORKFLOW_FILES),
        ("vendor.dependabot", [GITHUB / "dependabot.yml"]),
        ("vendor.github-issue-forms", [GITHUB / "ISSUE_TEMPLATE" / "report-error.yml"]),
        ("vendor.github-issue-config", [GITHUB / "ISSUE_TEMPLATE" / "config.yml"]),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_files_match_githubs_schemas(schema, paths):
    result = subprocess.run(
        [_tool("check-jsonschema"), "--builtin-schema", schema, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- pre-commit --------------------------------------------------------------------


@pytest.fixture(scope="module")
def precommit_hooks() -> dict[str, dict]:
    config = load(ROOT / ".pre-commit-config.yaml")
    hooks = {}
    for repo in config["repos"]:
        # Local only: a remote repository would make every hook need the network.
        assert repo["repo"] == "local"
        for hook in repo["hooks"]:
            assert hook["id"] not in hooks, f"duplicate hook id {hook['id']}"
            hooks[hook["id"]] = hook
    return hooks


def test_precommit_runs_the_checkers_ruff_and_the_hygiene_checks(precommit_hooks):
    assert set(precommit_hooks) >= {
        "checkers",
        "ruff-check",
        "ruff-format",
        "trailing-whitespace",
        "end-of-file",
        "check-merge-conflict",
        "check-yaml",
        "check-added-large-files",
    }
    checks = precommit_hooks["checkers"]
    assert "hooks/checkers.py" in checks["entry"]
    assert re.search(checks["files"], "references.bib")
    assert re.search(checks["files"], "docs/side-effects.md")
    assert re.search(checks["files"], "hooks/data/medical_terms.yaml")
    assert not re.search(checks["files"], "hooks/site_hooks.py")


def test_precommit_tools_come_from_the_venv(precommit_hooks):
    for hook in precommit_hooks.values():
        assert hook["language"] in {"unsupported", "pygrep"}, hook["id"]
        if hook["language"] == "unsupported":
            program, *args = shlex.split(hook["entry"])
            assert program.startswith(".venv/bin/"), hook["id"]
            if program.endswith("/python") and args[0] != "-c":
                assert (ROOT / args[0]).parent.is_dir(), hook["id"]


def _pygrep(hook: dict, content: bytes) -> bool:
    """True when pre-commit's pygrep would fail the file (same flags and modes)."""
    args = hook.get("args", [])
    multiline, negate = "--multiline" in args, "--negate" in args
    flags = re.MULTILINE | re.DOTALL if multiline else 0
    pattern = re.compile(hook["entry"].encode(), flags)
    if multiline:
        found = bool(pattern.search(content))
    else:
        found = any(pattern.search(line) for line in content.splitlines(keepends=True))
    return found != negate


@pytest.mark.parametrize(
    ("hook_id", "content", "fails"),
    [
        ("trailing-whitespace", b"clean\nlines\n", False),
        ("trailing-whitespace", b"space \nafter\n", True),
        ("trailing-whitespace", b"tab\t\r\nafter\r\n", True),
        ("trailing-whitespace", b"last line  ", True),
        ("end-of-file", b"one newline\n", False),
        ("end-of-file", b"", False),
        ("end-of-file", b"no newline", True),
        ("end-of-file", b"two newlines\n\n", True),
        ("end-of-file", b"crlf\r\n", False),
        ("check-merge-conflict", b"<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> branch\n", True),
        ("check-merge-conflict", b"Title\n=======\n\ntext\n", False),
        ("check-merge-conflict", b"a << b and x >>>>>>> y\n", False),
    ],
)
def test_precommit_hygiene_patterns(precommit_hooks, hook_id, content, fails):
    assert _pygrep(precommit_hooks[hook_id], content) is fails


@pytest.mark.parametrize(
    ("hook_id", "content", "fails"),
    [
        ("check-yaml", "site_url: !ENV [SITE_URL, 'x']\nlist: [1, 2]\n", False),
        ("check-yaml", "key: [unclosed\n", True),
        ("check-added-large-files", "x" * 1000, False),
        ("check-added-large-files", "x" * (1024 * 1024 + 1), True),
    ],
    ids=["yaml-with-tags", "broken-yaml", "small-file", "large-file"],
)
def test_precommit_inline_checks(precommit_hooks, tmp_path, hook_id, content, fails):
    name = "sample.yml"
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    program, *args = shlex.split(precommit_hooks[hook_id]["entry"])
    assert program == ".venv/bin/python"
    result = subprocess.run(
        [sys.executable, *args, str(path)], capture_output=True, text=True, timeout=60, check=False
    )
    assert (result.returncode != 0) is fails, result.stderr
    if fails:
        assert name in result.stderr
