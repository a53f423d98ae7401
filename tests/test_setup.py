"""Setup and supply chain: chromium for `make test`, and the hashed lock files.

`scripts/ensure-chromium.sh` runs here against a fake PATH (fake `id`, `sudo` and
`apt-get` that record how they were called), so every branch is exercised without
touching the machine. The lock tests read requirements*.txt and requirements*.lock.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENSURE = ROOT / "scripts" / "ensure-chromium.sh"
BASH = shutil.which("bash") or "/bin/bash"
CHMOD = shutil.which("chmod") or "/bin/chmod"


# --- scripts/ensure-chromium.sh -----------------------------------------------------------


def fake_bin(
    tmp_path: Path, *, uid: int, sudo_ok: bool | None, chromium: bool = False, apt_has_chromium: bool = True
) -> Path:
    """A PATH folder with only what the script may call, each logging its arguments."""
    folder = tmp_path / "bin"
    folder.mkdir()
    log = tmp_path / "calls.log"

    def script(name: str, body: str) -> None:
        path = folder / name
        path.write_text(f'#!{BASH}\necho "{name} $*" >> "{log}"\n{body}\n', encoding="utf-8")
        path.chmod(0o755)

    script("id", f"echo {uid}")
    # apt-get install leaves a chromium on PATH, as Debian's package does.
    script(
        "apt-get",
        f'if [ "$1" = install ]; then printf "#!{BASH}\\n" > "{folder}/chromium"; '
        f'{CHMOD} +x "{folder}/chromium"; fi',
    )
    script("apt-cache", "exit 0" if apt_has_chromium else "exit 100")
    env_path = shutil.which("env")
    assert env_path
    (folder / "env").symlink_to(env_path)
    if sudo_ok is not None:
        script(
            "sudo",
            'if [ "$1" = -n ] && [ "$2" = true ]; then exit ' + ("0" if sudo_ok else "1") + "; fi\n"
            'shift; exec "$@"',
        )
    if chromium:
        script("chromium", "")
    return folder


def run_ensure(folder: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": str(folder), "HOME": str(folder.parent)}
    return subprocess.run(
        [BASH, str(ENSURE)], env=env, capture_output=True, text=True, timeout=60, check=False
    )


def calls(tmp_path: Path) -> list[str]:
    log = tmp_path / "calls.log"
    return log.read_text(encoding="utf-8").splitlines() if log.is_file() else []


def test_chromium_present_installs_nothing(tmp_path):
    result = run_ensure(fake_bin(tmp_path, uid=1000, sudo_ok=False, chromium=True))
    assert result.returncode == 0, result.stderr
    assert not [c for c in calls(tmp_path) if c.startswith(("apt-get", "sudo"))]


def test_root_installs_chromium_with_apt(tmp_path):
    result = run_ensure(fake_bin(tmp_path, uid=0, sudo_ok=None))
    assert result.returncode == 0, result.stderr
    apt = [c for c in calls(tmp_path) if c.startswith("apt-get")]
    assert apt[0] == "apt-get update -qq"
    assert apt[1].startswith("apt-get install -y") and "chromium" in apt[1].split()
    assert not [c for c in calls(tmp_path) if c.startswith("sudo")]


def test_user_with_passwordless_sudo_installs_through_sudo(tmp_path):
    result = run_ensure(fake_bin(tmp_path, uid=1000, sudo_ok=True))
    assert result.returncode == 0, result.stderr
    log = calls(tmp_path)
    assert "sudo -n true" in log
    assert any(c.startswith("sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install") for c in log)
    assert any(c.startswith("apt-get install -y") for c in log)


@pytest.mark.parametrize("sudo_ok", [False, None], ids=["sudo-asks-a-password", "no-sudo"])
def test_user_without_sudo_gets_one_line_saying_what_to_run(tmp_path, sudo_ok):
    result = run_ensure(fake_bin(tmp_path, uid=1000, sudo_ok=sudo_ok))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "sudo apt-get install chromium" in lines[0]
    assert not [c for c in calls(tmp_path) if c.startswith("apt-get")]


def test_apt_without_a_chromium_package_gets_one_line_not_an_apt_error(tmp_path):
    result = run_ensure(fake_bin(tmp_path, uid=0, sudo_ok=None, apt_has_chromium=False))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2, result.stderr  # the "installing" notice, then the reason
    assert "no chromium package" in lines[1] and "CHROMIUM_PATH" in lines[1]
    assert not [c for c in calls(tmp_path) if c.startswith("apt-get install")]


def test_chromium_path_counts_as_installed(tmp_path):
    folder = fake_bin(tmp_path, uid=1000, sudo_ok=False)
    browser = tmp_path / "my-chromium"
    browser.write_text(f"#!{BASH}\n", encoding="utf-8")
    browser.chmod(0o755)
    env = {"PATH": str(folder), "HOME": str(tmp_path), "CHROMIUM_PATH": str(browser)}
    result = subprocess.run(
        [BASH, str(ENSURE)], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert not [c for c in calls(tmp_path) if c.startswith(("apt-get", "sudo"))]


def test_make_test_ensures_chromium_before_installing_and_testing():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    test_rule = re.search(r"^test:(.*?)##", makefile, re.MULTILINE)
    assert test_rule, "Makefile has no test target"
    prerequisites = test_rule[1].split()
    assert prerequisites[0] == "chromium", "make test must ensure chromium first"
    assert re.search(r"^chromium:.*\n\t@?bash scripts/ensure-chromium\.sh", makefile, re.MULTILINE)
    ci_run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci_run, re.MULTILINE)


def test_make_test_runs_the_suite_on_every_core_keeping_module_builds_together():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^test:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert recipe, "Makefile has no test target"
    pytest_line = next(line for line in recipe[1].splitlines() if "-m pytest" in line)
    assert "--numprocesses $(PYTEST_WORKERS)" in pytest_line
    # loadgroup honours the xdist_group marks tests/conftest.py puts on module-scoped builds.
    assert "--dist loadgroup" in pytest_line
    assert re.search(r"^PYTEST_WORKERS \?= auto$", makefile, re.MULTILINE)


def test_module_scoped_fixtures_keep_their_tests_on_one_worker(pytester):
    pytester.makeconftest((ROOT / "tests" / "conftest.py").read_text(encoding="utf-8"))
    pytester.makepyfile(
        test_grouped="""
        import pytest

        @pytest.fixture(scope="module")
        def build():
            return 1

        def test_uses_the_build(build):
            assert build

        def test_needs_nothing():
            pass
        """
    )
    items, _ = pytester.inline_genitems("-p", "no:cacheprovider")
    marks = {item.name: item.get_closest_marker("xdist_group") for item in items}
    assert marks["test_uses_the_build"].args == ("test_grouped.py",)
    assert marks["test_needs_nothing"] is None


# --- The hashed locks ---------------------------------------------------------------------

# Each readable requirements file and the lock `make lock` generates from it.
LOCKS = {
    "requirements.txt": "requirements.lock",
    "requirements-dev.txt": "requirements-dev.lock",
    "requirements-uv.txt": "requirements-uv.lock",
}
_PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*==\s*(?P<version>[^\s;\\]+)")


def normalize(name: str) -> str:
    """PEP 503 name: case and runs of -_. do not matter."""
    return re.sub(r"[-_.]+", "-", name).lower()


def top_level(path: Path) -> dict[str, str]:
    """The exact pins of a readable requirements file, following ``-r`` includes."""
    pins: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split(" #")[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith(("-r ", "--requirement ")):
            pins.update(top_level(path.parent / line.split(maxsplit=1)[1]))
            continue
        match = _PIN.match(line)
        assert match, f"{path.name}: '{line}' is not an exact pin (name==version)"
        pins[normalize(match["name"])] = match["version"]
    return pins


def locked(path: Path) -> dict[str, tuple[str, int]]:
    """Each package of a lock: its version and how many hashes it carries."""
    entries: dict[str, tuple[str, int]] = {}
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line)
        if match:
            current = normalize(match["name"])
            entries[current] = (match["version"], 0)
        elif current and line.strip().startswith("--hash=sha256:"):
            version, hashes = entries[current]
            entries[current] = (version, hashes + 1)
    return entries


def lock_problems(requirements: Path, lock: Path) -> list[str]:
    """What makes ``lock`` stale or unsafe for ``requirements``, each with what to do."""
    fix = "run `make lock` and commit the lock files"
    if not lock.is_file():
        return [f"{lock.name} is missing: {fix}"]
    entries = locked(lock)
    problems = []
    for name, version in top_level(requirements).items():
        if name not in entries:
            problems.append(f"{requirements.name} asks for {name}=={version}, {lock.name} lacks it: {fix}")
        elif entries[name][0] != version:
            problems.append(
                f"{requirements.name} asks for {name}=={version}, {lock.name} pins "
                f"{name}=={entries[name][0]}: {fix}"
            )
    problems.extend(
        f"{lock.name}: {name}=={version} has no --hash: {fix}"
        for name, (version, hashes) in entries.items()
        if hashes == 0
    )
    return problems


@pytest.mark.parametrize(("requirements", "lock"), LOCKS.items())
def test_lock_pins_every_top_level_requirement_at_its_version_with_hashes(requirements, lock):
    problems = lock_problems(ROOT / requirements, ROOT / lock)
    assert not problems, "\n".join(problems)


def test_site_and_test_locks_agree_on_every_shared_package():
    site = locked(ROOT / "requirements.lock")
    dev = locked(ROOT / "requirements-dev.lock")
    assert site.keys() <= dev.keys(), f"only in requirements.lock: {sorted(site.keys() - dev.keys())}"
    differ = [f"{n}: {site[n][0]} vs {dev[n][0]}" for n in site if site[n][0] != dev[n][0]]
    assert not differ, f"requirements.lock and requirements-dev.lock differ ({differ}): run `make lock`"


def test_lock_check_reports_a_bump_without_a_lock_refresh(tmp_path):
    # What a Dependabot pull request looks like before anyone ran `make lock`.
    (tmp_path / "requirements.txt").write_text("mkdocs==1.6.2\npyyaml==6.0.3\n", encoding="utf-8")
    (tmp_path / "requirements.lock").write_text(
        "mkdocs==1.6.1 \\\n    --hash=sha256:aa\n    # via -r requirements.txt\n"
        "PyYAML==6.0.3 \\\n    --hash=sha256:bb \\\n    --hash=sha256:cc\n",
        encoding="utf-8",
    )
    problems = lock_problems(tmp_path / "requirements.txt", tmp_path / "requirements.lock")
    assert problems == [
        "requirements.txt asks for mkdocs==1.6.2, requirements.lock pins mkdocs==1.6.1: "
        "run `make lock` and commit the lock files"
    ]


def test_lock_check_reports_a_new_requirement_and_a_pin_without_hash(tmp_path):
    (tmp_path / "requirements.txt").write_text("-r base.txt\npytest==9.2.0\n", encoding="utf-8")
    (tmp_path / "base.txt").write_text("# comment\nmkdocs==1.6.1  # why\n", encoding="utf-8")
    (tmp_path / "requirements.lock").write_text("mkdocs==1.6.1\n    # via -r base.txt\n", encoding="utf-8")
    problems = lock_problems(tmp_path / "requirements.txt", tmp_path / "requirements.lock")
    assert len(problems) == 2, problems
    assert "asks for pytest==9.2.0, requirements.lock lacks it" in problems[0]
    assert "mkdocs==1.6.1 has no --hash" in problems[1]


def test_makefile_installs_only_from_the_hashed_locks():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    lines = [line.strip() for line in makefile.splitlines() if not line.lstrip().startswith("#")]
    # Every pip or uv install either spells out --require-hashes or goes through the two
    # variables that do.
    installs = [line for line in lines if re.search(r"\binstall\b", line) and "apt-get" not in line]
    assert installs, "Makefile installs nothing"
    for line in installs:
        assert "--require-hashes" in line or re.search(r"\$\((INSTALL|PIP_INSTALL_HASHED)\)", line), line
    for variable in ("INSTALL", "PIP_INSTALL_HASHED"):
        definitions = [line for line in lines if re.match(rf"{variable} :=", line)]
        assert definitions, f"Makefile does not define {variable}"
        for line in definitions:
            assert "--require-hashes" in line, line
    files = set(re.findall(r"\$\((?:INSTALL|PIP_INSTALL_HASHED)\) ([^\s;]+)", makefile))
    assert files == {"requirements.lock", "requirements-dev.lock", "requirements-uv.lock"}, files
    assert "--upgrade pip" not in makefile, "an unpinned pip upgrade bypasses the lock"


# --- The real-site build, shared by pytest-xdist workers -----------------------------------


class _Factory:
    """What ``shared_build`` uses of pytest's tmp_path_factory, for one xdist worker."""

    def __init__(self, session: Path, worker: str):
        self.base = session / f"popen-{worker}"
        self.base.mkdir(parents=True, exist_ok=True)

    def getbasetemp(self) -> Path:
        return self.base

    def mktemp(self, name: str) -> Path:
        raise AssertionError("under xdist the build must go to the session's shared folder")


def test_workers_share_one_build_per_key(tmp_path, monkeypatch):
    from conftest import shared_build

    builds = []

    def build(folder: Path) -> dict:
        builds.append(folder)
        (folder / "out.txt").write_text("built", encoding="utf-8")
        return {"failure": "", "n": len(builds)}

    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw0")
    first = shared_build(_Factory(tmp_path, "gw0"), "site", "k1", build)
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw1")
    second = shared_build(_Factory(tmp_path, "gw1"), "site", "k1", build)
    assert len(builds) == 1
    assert first == second == (tmp_path / "site-k1", {"failure": "", "n": 1})
    assert (second[0] / "out.txt").read_text(encoding="utf-8") == "built"
    # Changed sources (another key) build again, beside the first.
    third = shared_build(_Factory(tmp_path, "gw1"), "site", "k2", build)
    assert len(builds) == 2
    assert third[0] == tmp_path / "site-k2"


def test_a_failed_shared_build_is_reported_to_every_worker_not_rerun(tmp_path, monkeypatch):
    from conftest import shared_build

    calls = []

    def build(folder: Path) -> dict:
        calls.append(folder)
        return {"failure": "the strict build of the real site failed: WARNING ..."}

    for worker in ("gw0", "gw1"):
        monkeypatch.setenv("PYTEST_XDIST_WORKER", worker)
        _, record = shared_build(_Factory(tmp_path, worker), "site", "k", build)
        assert record["failure"].startswith("the strict build of the real site failed")
    assert len(calls) == 1
