"""A small on-disk cache for derived data (never for sources).

Files live in ``$IVIG_CACHE_DIR``, else ``$XDG_CACHE_HOME/ivig-guide``, else
``~/.cache/ivig-guide``. Entries are named by a hash of everything they derive from,
so a changed input simply misses. Writes are atomic (temporary file, then rename);
a cache that cannot be read or written is skipped, never an error.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

# hashlib and json are imported where they are used: the medical-term lint imports this
# module for cache_dir() alone, and its start-up time is measured against codespell.


def setup_dir() -> Path:
    """Where set-up keeps data it derives once (``make`` runs scripts/build_lint_data.py
    after installing the packages and the word lists): inside the Python environment, as
    a package keeps its data (``sys.prefix/share/ivig-guide``), so a fresh cache folder (a
    new CI machine) still starts with it. ``IVIG_SETUP_DIR`` overrides it. Entries are
    named and checked like the cache's: a stale one is ignored."""
    import sys  # noqa: PLC0415

    env = os.environ.get("IVIG_SETUP_DIR")
    return Path(env) if env else Path(sys.prefix) / "share" / "ivig-guide"


def read_keyed_pickle(path: Path, key: Any) -> tuple[bool, Any]:
    """(True, value) of a file :func:`write_keyed_pickle` wrote for ``key``; (False, None)
    when it is missing, damaged, or written for another key (read first, so a stale file
    is told without loading its value)."""
    import pickle  # noqa: PLC0415

    try:
        # Our own files, written from the project's data; never shared input.
        with path.open("rb") as fh:
            if pickle.load(fh) != key:
                return False, None
            return True, pickle.load(fh)
    except (OSError, ValueError, TypeError, EOFError, AttributeError, pickle.UnpicklingError):
        return False, None


def write_keyed_pickle(path: Path, key: Any, value: Any) -> bool:
    """Write ``key`` then ``value`` atomically (a temporary file, then a rename); False
    when it cannot be written."""
    import pickle  # noqa: PLC0415

    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as fh:
            pickle.dump(key, fh, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except (OSError, pickle.PicklingError):
        with contextlib.suppress(OSError):
            tmp.unlink()
        return False
    return True


def install_entry(
    path: Path, *, current: Callable[[], bool], write: Callable[[], bool], family: str
) -> tuple[Path, bool]:
    """Put one set-up entry at ``path`` (in :func:`setup_dir`) unless ``current()`` says
    it is there and current: ``write()`` writes it (False: it could not, an OSError); the
    other entries of its ``family`` (a glob, such as "en-words-*.pickle": older sources)
    are removed. (path, whether written)."""
    if current():
        return path, False
    if not write():
        raise OSError(f"cannot write {path}")
    for old in path.parent.glob(family):
        if old != path:
            with contextlib.suppress(OSError):
                old.unlink()
    return path, True


def cache_dir() -> Path:
    if os.environ.get("IVIG_CACHE_DIR"):
        return Path(os.environ["IVIG_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ivig-guide"


def key_for(*parts: bytes | str) -> str:
    """A short hash of the inputs an entry derives from."""
    import hashlib  # noqa: PLC0415

    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()[:20]


def read_json(name: str) -> Any:
    """The cached JSON value called ``name``, or None when there is none (or it is unreadable)."""
    import json  # noqa: PLC0415

    try:
        return json.loads((cache_dir() / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_json(name: str, value: Any) -> None:
    import json  # noqa: PLC0415

    path = cache_dir() / name
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(value, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        tmp.replace(path)
    except OSError:  # no cache: the next build formats again
        with contextlib.suppress(OSError):
            tmp.unlink()
