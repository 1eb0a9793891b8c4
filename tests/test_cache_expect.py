"""The folder's cache entry checked early (round five): a run guesses its entry from the files' names,
sizes and modification times (``stat.key``, written by the run that stored it) and verifies it on a thread
while the exports are hashed. The guess never decides which entry is used: the content key does, and the
entry is always fully checked. The folder: tests/test_cache.py ``make_folder`` (three MFN orders of
2026-09-01, one granted A-to-z claim on order 1)."""

from __future__ import annotations

import os
import threading

import sellerdx
from sellerdx import cache
from test_cache import make_folder


def _spy(monkeypatch) -> list[tuple[str, str]]:
    """(entry name, thread name) of every verify() of a folder entry."""
    seen: list[tuple[str, str]] = []
    real = cache.verify

    def spy(entry):
        if entry.parent.name == "folders":
            seen.append((entry.name, threading.current_thread().name))
        return real(entry)

    monkeypatch.setattr(cache, "verify", spy)
    return seen


def _entries(cache_dir):
    return sorted(p.name for p in (cache_dir / "folders").iterdir() if not p.name.startswith(".tmp-"))


def test_the_second_run_verifies_its_entry_once_beside_the_hashing(tmp_path, cache_dir, monkeypatch):
    folder = make_folder(tmp_path)
    first = sellerdx.analyze(folder, out=str(tmp_path / "out1"))
    first.metric_results  # noqa: B018
    [entry] = _entries(cache_dir)
    assert (cache_dir / "folders" / entry / cache.STAT_KEY).is_file()
    assert cache.verify(cache_dir / "folders" / entry) is None          # listed in the manifest, intact
    seen = _spy(monkeypatch)
    again = sellerdx.analyze(folder, out=str(tmp_path / "out2"), as_of="2026-09-20")
    odr = again.metric("odr_mfn")
    assert "read" not in again.timings                                   # the cached database was used
    assert [name for name, _ in seen] == [entry]                         # checked once ...
    assert seen[0][1].startswith("sellerdx-verify")                      # ... on the early thread
    assert (odr.numerator, odr.denominator) == (1, 3)


def test_a_file_changed_with_the_same_size_and_time_is_still_found_by_its_content(tmp_path, cache_dir,
                                                                                  monkeypatch):
    folder = make_folder(tmp_path)
    sellerdx.analyze(folder, out=str(tmp_path / "out1")).metric_results  # noqa: B018
    [old] = _entries(cache_dir)
    claims = folder / "claims.txt"
    st = os.stat(claims)
    claims.write_bytes(claims.read_bytes().replace(b"Granted", b"Denied "))   # same size
    os.utime(claims, ns=(st.st_atime_ns, st.st_mtime_ns))                      # same time: the guess is wrong
    seen = _spy(monkeypatch)
    again = sellerdx.analyze(folder, out=str(tmp_path / "out2"), as_of="2026-09-20")
    assert again.metric("odr_mfn").numerator == 0                        # the denied claim: the new content
    assert "read" in again.timings or "validate" in again.timings        # loaded, not the old entry
    assert [name for name, _ in seen] == [old]                           # the guess was checked, then unused
    assert len(_entries(cache_dir)) == 2


def test_a_touched_file_gives_no_guess_and_the_same_entry(tmp_path, cache_dir, monkeypatch):
    folder = make_folder(tmp_path)
    sellerdx.analyze(folder, out=str(tmp_path / "out1")).metric_results  # noqa: B018
    [entry] = _entries(cache_dir)
    st = os.stat(folder / "orders.txt")
    os.utime(folder / "orders.txt", ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))   # same bytes, new time
    seen = _spy(monkeypatch)
    again = sellerdx.analyze(folder, out=str(tmp_path / "out2"))
    again.metric_results  # noqa: B018
    assert "read" not in again.timings and _entries(cache_dir) == [entry]
    assert seen == [(entry, threading.current_thread().name)]            # checked when opened, as before


def test_the_stat_key_leaves_out_the_output_folder_and_names_sizes_and_times(tmp_path):
    folder = tmp_path / "f"
    (folder / "out").mkdir(parents=True)
    (folder / "a.txt").write_bytes(b"abc")
    key = cache.folder_stat_key(folder, exclude=(folder / "out",))
    (folder / "out" / "report.html").write_bytes(b"<html>")
    assert cache.folder_stat_key(folder, exclude=(folder / "out",)) == key
    assert cache.folder_stat_key(folder) != key
    assert cache.folder_stat_key(folder, exclude=(folder / "out",), marketplace="Amazon.de") != key
    (folder / "a.txt").write_bytes(b"abcd")
    assert cache.folder_stat_key(folder, exclude=(folder / "out",)) != key
