"""The on-disk cache of derived data: round trip, misses, and never an error."""

from __future__ import annotations

import pytest
from ivig_tools import cache


@pytest.fixture(autouse=True)
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("IVIG_CACHE_DIR", str(tmp_path / "c"))
    return tmp_path / "c"


def test_round_trip(cache_home):
    cache.write_json("x.json", {"b": [1, 2], "a": "é"})
    assert cache.read_json("x.json") == {"a": "é", "b": [1, 2]}
    assert [p.name for p in cache_home.iterdir()] == ["x.json"]  # no temporary file left


def test_a_missing_or_corrupt_entry_is_a_miss(cache_home):
    assert cache.read_json("none.json") is None
    cache_home.mkdir()
    (cache_home / "bad.json").write_text("{not json", encoding="utf-8")
    assert cache.read_json("bad.json") is None


def test_an_unwritable_cache_is_skipped(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("IVIG_CACHE_DIR", str(blocker / "sub"))  # a folder inside a file
    cache.write_json("x.json", {"a": 1})
    assert cache.read_json("x.json") is None


def test_keys_change_with_any_input_and_do_not_collide_on_concatenation():
    assert cache.key_for("ab", "c") != cache.key_for("a", "bc")
    assert cache.key_for("a", b"b") == cache.key_for("a", "b")
    assert cache.key_for("a") != cache.key_for("a", "")
