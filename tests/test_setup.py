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


def fake_bin(tmp_path: Path, *, uid: int, sudo_ok: bool | None, chromium: bool = False) -> Path:
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


def test_make_test_ensures_chromium_before_installing_and_testing():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    test_rule = re.search(r"^test:(.*?)##", makefile, re.MULTILINE)
    assert test_rule, "Makefile has no test target"
    prerequisites = test_rule[1].split()
    assert prerequisites[0] == "chromium", "make test must ensure chromium first"
    assert re.search(r"^chromium:.*\n\t@?bash scripts/ensure-chromium\.sh", makefile, re.MULTILINE)
    ci_run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci_run, re.MULTILINE)
