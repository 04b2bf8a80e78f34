"""``dlglossary lint`` on files that are not plain, private, writable regular files.

Issue 12, cases 6 and 9: ``--fix`` must write through a symlink to its target (once, even
when several links share it), keep hard links, modes and owners, and refuse a read-only
file with a message naming it; lint must skip what is not a regular file (a FIFO, a device,
a socket) or is too large, with a note, instead of hanging or eating memory. Each test
looks at what the user sees: the files afterwards, the messages and the exit status.
Whatever could hang runs the command in a subprocess with a timeout, so a hang fails the
test instead of blocking the run.
"""

from __future__ import annotations

import errno
import os
import socket
import stat
import subprocess
import sys
from pathlib import Path
from typing import BinaryIO

import pytest

from sphinxcontrib_dlglossary import cli

#: A page with a fixable mention and an unknown term (a finding --fix leaves).
PAGE = "A mini-batch and {dlterm}`kernl`.\n"
FIXED = "A {dlterm}`minibatch` and {dlterm}`kernl`.\n"
LEFT = "DLG001 unknown term 'kernl' in a dlterm role"

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file types and modes")


def lint(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run ``dlglossary lint --no-config ARGS`` in this process: status, stdout, stderr."""
    code = cli.main(["lint", "--no-config", *args])
    out, err = capsys.readouterr()
    return code, out, err


def lint_subprocess(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the command as a user would, in *cwd*; a hang fails after 30 s.

    The address space is capped at 2 GB, so reading an endless device ends in an error
    instead of taking the machine's memory.
    """
    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    return subprocess.run(
        [sys.executable, "-m", "sphinxcontrib_dlglossary", "lint", "--no-config", *args],
        cwd=cwd, capture_output=True, text=True, timeout=30, preexec_fn=limit, check=False)


def write(path: Path, text: str = PAGE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# -- links -------------------------------------------------------------------------------------


@posix_only
def test_fix_writes_through_a_symlink_to_its_target(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    readme = write(tmp_path / "README.md")
    link = tmp_path / "docs" / "readme.md"
    link.parent.mkdir()
    link.symlink_to(Path("..", "README.md"))

    code, out, err = lint("--fix", "docs/readme.md", capsys=capsys)

    assert link.is_symlink() and os.readlink(link) == os.path.join("..", "README.md")
    assert readme.read_text(encoding="utf-8") == FIXED
    [line] = out.splitlines()
    assert line.startswith(f"docs/readme.md:1:36: {LEFT}")
    assert "Fixed 2 finding(s) in 1 file(s)" in err
    assert code == 1  # the unknown term is left
    assert not list(tmp_path.rglob("*.tmp"))


@posix_only
def test_two_symlinks_and_their_target_are_fixed_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    readme = write(tmp_path / "README.md")
    for name in ("a.md", "b.md"):
        (tmp_path / "docs").mkdir(exist_ok=True)
        (tmp_path / "docs" / name).symlink_to(Path("..", "README.md"))

    # The folder gives both links; the target is given as well.
    code, out, err = lint("--fix", "docs", "README.md", capsys=capsys)

    assert readme.read_text(encoding="utf-8") == FIXED
    assert all((tmp_path / "docs" / name).is_symlink() for name in ("a.md", "b.md"))
    [line] = out.splitlines()  # one file, reported once
    assert line.startswith(f"docs/a.md:1:36: {LEFT}")
    assert ("Fixed 2 finding(s) in 1 file(s); 1 finding(s) remain (none fixable) in 1 "
            "file(s).") in err
    assert code == 1


@posix_only
def test_fix_keeps_a_hard_link(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = write(tmp_path / "page.md")
    other = tmp_path / "other.md"
    os.link(page, other)
    inode = page.stat().st_ino

    code, _, err = lint("--fix", str(page), capsys=capsys)

    assert page.stat().st_ino == inode and other.stat().st_ino == inode
    assert page.stat().st_nlink == 2
    assert page.read_text(encoding="utf-8") == other.read_text(encoding="utf-8") == FIXED
    assert "Fixed 2 finding(s) in 1 file(s)" in err
    assert code == 1


@posix_only
def test_fix_keeps_the_mode_and_the_file(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    page = write(tmp_path / "page.md")
    page.chmod(0o640)
    before = page.stat()

    lint("--fix", str(page), capsys=capsys)

    after = page.stat()
    assert page.read_text(encoding="utf-8") == FIXED
    assert stat.S_IMODE(after.st_mode) == 0o640
    assert (after.st_ino, after.st_uid, after.st_gid) == (before.st_ino, before.st_uid,
                                                          before.st_gid)


@posix_only
@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="only root can give a file to another owner")
def test_fix_keeps_the_owner(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = write(tmp_path / "page.md")
    os.chown(page, 12345, 23456)

    lint("--fix", str(page), capsys=capsys)

    assert page.read_text(encoding="utf-8") == FIXED
    assert (page.stat().st_uid, page.stat().st_gid) == (12345, 23456)


@posix_only
def test_fix_refuses_a_read_only_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    # Also as root (as in CI), for whom every file is writable: the mode says read-only.
    monkeypatch.chdir(tmp_path)
    page = write(tmp_path / "page.md")
    page.chmod(0o444)
    fine = write(tmp_path / "fine.md")

    code, out, err = lint("--fix", "page.md", "fine.md", capsys=capsys)

    assert page.read_text(encoding="utf-8") == PAGE
    assert stat.S_IMODE(page.stat().st_mode) == 0o444
    assert fine.read_text(encoding="utf-8") == FIXED  # the other file is still fixed
    assert "page.md: error: not fixed: the file is read-only (mode 0444)" in err
    assert "page.md:1:3: DLG002" in out  # its findings stay reported
    assert code == 2


@posix_only
def test_a_failed_write_puts_the_original_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from sphinxcontrib_dlglossary.lint import files

    page = write(tmp_path / "page.md")
    real = files._overwrite
    calls: list[bytes] = []

    def disk_full_once(handle: BinaryIO, data: bytes) -> None:
        calls.append(data)
        if len(calls) == 1:
            handle.write(data[:5])  # part of the fixed text is written, then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")
        real(handle, data)

    monkeypatch.setattr(files, "_overwrite", disk_full_once)
    code, _, err = lint("--fix", str(page), capsys=capsys)

    assert page.read_text(encoding="utf-8") == PAGE
    assert f"{page}: error: not fixed: [Errno 28] No space left on device" in err
    assert code == 2
    assert not list(tmp_path.glob(".*.tmp"))


@posix_only
def test_when_the_original_cannot_be_put_back_the_fixed_text_is_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from sphinxcontrib_dlglossary.lint import files

    page = write(tmp_path / "page.md")

    def broken(handle: BinaryIO, data: bytes) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(files, "_overwrite", broken)
    code, _, err = lint("--fix", str(page), capsys=capsys)

    [kept] = tmp_path.glob(".page.md.*.tmp")
    assert kept.read_text(encoding="utf-8") == FIXED
    assert f"the fixed text is in {kept}" in err
    assert code == 2


# -- what is not a regular file ----------------------------------------------------------------


@posix_only
def test_a_fifo_is_skipped_with_a_note(tmp_path: Path) -> None:
    write(tmp_path / "docs" / "page.md")
    os.mkfifo(tmp_path / "docs" / "x.md")

    walked = lint_subprocess(tmp_path, "docs")
    given = lint_subprocess(tmp_path, "docs/x.md")

    assert "docs/x.md: note: skipped, not a regular file (a FIFO)" in walked.stderr
    assert "docs/page.md:1:3: DLG002" in walked.stdout  # the rest is still checked
    assert walked.returncode == 1
    assert "docs/x.md: note: skipped, not a regular file (a FIFO)" in given.stderr
    assert "Traceback" not in walked.stderr + given.stderr
    assert given.returncode == 0


@posix_only
@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_and_a_socket_are_skipped_with_a_note(tmp_path: Path) -> None:
    write(tmp_path / "docs" / "page.md")
    (tmp_path / "docs" / "zero.md").symlink_to("/dev/zero")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(tmp_path / "docs" / "s.md"))
        result = lint_subprocess(tmp_path, "docs")
    finally:
        server.close()

    assert "docs/zero.md: note: skipped, not a regular file (a character device)" \
        in result.stderr
    assert "docs/s.md: note: skipped, not a regular file (a socket)" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.returncode == 1  # page.md's findings


def test_a_file_over_the_size_limit_is_skipped_with_a_note(tmp_path: Path) -> None:
    write(tmp_path / "docs" / "page.md")
    with open(tmp_path / "docs" / "big.md", "wb") as handle:  # 11 MB, sparse
        handle.truncate(11 * 1024 * 1024)

    result = lint_subprocess(tmp_path, "docs")

    assert "docs/big.md: note: skipped, larger than 10 MB" in result.stderr
    assert "docs/page.md:1:3: DLG002" in result.stdout
    assert result.returncode == 1


@posix_only
def test_a_symlinked_folder_loop_ends(tmp_path: Path) -> None:
    """A guard: a link to a folder above is not followed when walking (as before)."""
    write(tmp_path / "docs" / "page.md")
    (tmp_path / "docs" / "loop").symlink_to("..")

    result = lint_subprocess(tmp_path, "docs")

    assert result.stdout.count("DLG002") == 1
    assert result.returncode == 1
