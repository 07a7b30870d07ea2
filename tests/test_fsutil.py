from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from release_actions.fsutil import WriteError, write_atomically


def test_writes_text_and_bytes_exactly(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "index.yaml"
    write_atomically(target, "a: ü\r\n")
    assert target.read_bytes() == "a: ü\r\n".encode()
    write_atomically(target, b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"


def test_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    target = tmp_path / "run.sh"
    target.write_text("old")
    target.chmod(0o755)
    write_atomically(target, "new")
    assert target.stat().st_mode & 0o777 == 0o755


def test_a_write_that_fails_half_way_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # fsync fails after the temporary file was created and written: the cleanup must remove
    # it, and the old file must not have been opened for writing.
    target = tmp_path / "config.json"
    target.write_text("old")
    written: list[str] = []

    def failing_fsync(descriptor: int) -> None:
        written.extend(p.read_text() for p in tmp_path.iterdir() if p != target)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(WriteError, match="No space left"):
        write_atomically(target, "new")
    assert written == ["new"]  # the temporary existed, written
    assert target.read_text() == "old"
    assert [path.name for path in tmp_path.iterdir()] == ["config.json"]


def test_a_failed_rename_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "config.json"
    target.write_text("old")

    def failing_replace(self: Path, other: object) -> Path:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(Path, "replace", failing_replace)
    with pytest.raises(WriteError, match="cross-device"):
        write_atomically(target, "new")
    assert target.read_text() == "old"
    assert [path.name for path in tmp_path.iterdir()] == ["config.json"]


def test_the_new_file_is_renamed_over_the_old_one_so_a_reader_never_sees_half(
    tmp_path: Path,
) -> None:
    target = tmp_path / "config.json"
    target.write_text("old")
    old_inode = target.stat().st_ino
    with target.open() as reader:
        write_atomically(target, "new")
        assert reader.read() == "old"  # an open reader keeps the old file whole
    assert target.stat().st_ino != old_inode  # a new file took the name: nothing was truncated
    assert target.read_text() == "new"
    assert [path.name for path in tmp_path.iterdir()] == ["config.json"]


@pytest.mark.parametrize("failure", ["full-disk", "not-a-directory"])
def test_a_full_disk_or_bad_destination_is_one_clear_error_and_the_old_file_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    target = tmp_path / "index.yaml"
    target.write_text("old")
    if failure == "full-disk":

        def no_space(descriptor: int) -> None:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(os, "fsync", no_space)
        message = "No space left on device"
    else:
        target = tmp_path / "index.yaml" / "inside.yaml"  # the parent is a file
        message = "a part of its directory is a file"

    with pytest.raises(WriteError, match=f"cannot write {target}: {message}"):
        write_atomically(target, "new")

    assert (tmp_path / "index.yaml").read_text() == "old"
    assert [path.name for path in tmp_path.iterdir()] == ["index.yaml"]
