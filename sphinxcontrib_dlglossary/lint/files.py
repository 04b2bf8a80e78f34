"""The files lint reads and ``--fix`` writes: regular files only, size-capped, fixed in place.

Lint reads whole files, so it reads only regular files of at most :data:`MAX_SOURCE_BYTES`:
a FIFO would block forever, a device such as ``/dev/zero`` never ends, a socket cannot be
read at all. Each is skipped with a note (:class:`Skipped`) instead. The type is checked
again on the open file, which is opened without blocking, so a file swapped for a FIFO
after the walk cannot hang the run either.

``--fix`` writes into the file itself, the same inode, instead of replacing it
(``os.replace``): a replacement turns a symlink (a README linked into ``docs/``) into a
copy and leaves its target unfixed, splits hard links, drops the owner and ACLs, and
rewrites a file marked read-only. So a link is written through to its target; a file
whose mode grants its owner no write, or that the user may not write, is refused. The
new text is first written to a temporary file beside the target and synced: a full disk
fails there, before the original is touched, and a crash part-way through the in-place
write leaves the fixed text in that file. If the in-place write fails, the original text
is written back.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import stat
import tempfile
from typing import BinaryIO

__all__ = ["MAX_SOURCE_BYTES", "Skipped", "WriteError", "file_key", "read_source",
           "write_source"]

#: The largest file lint reads; a larger one is skipped with a note.
MAX_SOURCE_BYTES = 10 * 1024 * 1024

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)

#: What a file that is not a regular file is, as the note names it.
_KINDS = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


class Skipped(Exception):
    """The file is not checked: it is not a regular file, or it is too large."""


class WriteError(Exception):
    """The fixed text was not written; the file was left as it was (the message says why)."""


def file_key(path: str) -> tuple[int, int] | str:
    """What identifies the file at *path*, whichever link or hard link names it.

    Two paths with the same key are one file, to be checked and fixed once.
    """
    try:
        st = os.stat(path)
    except OSError:
        return os.path.realpath(path)
    return st.st_dev, st.st_ino


def _not_regular(mode: int) -> str:
    """``not a regular file (a FIFO)``, for a file of *mode*."""
    kind = next((name for test, name in _KINDS if test(mode)), "of an unknown type")
    return f"not a regular file ({kind})"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def read_source(path: str, limit: int | None = None) -> tuple[bytes, str, bool]:
    """The bytes of a UTF-8 file, its text, and whether it starts with a byte-order mark.

    :param limit: the largest size read, :data:`MAX_SOURCE_BYTES` by default.
    :raises Skipped: when *path* is not a regular file, or is larger than *limit*.
    :raises OSError: when the file cannot be read.
    :raises UnicodeDecodeError: when it is not UTF-8.
    """
    limit = MAX_SOURCE_BYTES if limit is None else limit
    # Look before opening: a socket cannot be opened, a FIFO would wait for a writer.
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise Skipped(f"skipped, {_not_regular(mode)}")
    fd = os.open(path, os.O_RDONLY | _NONBLOCK | _BINARY)
    with open(fd, "rb", closefd=True) as handle:
        st = os.fstat(handle.fileno())
        if not stat.S_ISREG(st.st_mode):  # swapped since we looked
            raise Skipped(f"skipped, {_not_regular(st.st_mode)}")
        if st.st_size > limit:
            raise Skipped(f"skipped, larger than {_megabytes(limit)}")
        raw = handle.read(limit + 1)
    if len(raw) > limit:  # it grew since fstat
        raise Skipped(f"skipped, larger than {_megabytes(limit)}")
    bom = raw.startswith(codecs.BOM_UTF8)
    return raw, raw.decode("utf-8-sig"), bom


def write_source(path: str, raw: bytes, new: str, bom: bool) -> None:
    """Write *new* into the file at *path* (through a link, into the same inode), unless
    it changed since it was read as *raw*.

    Its inode, hard links, mode and owner stay as they are.

    :raises WriteError: when the file is read-only, not a regular file, or changed
        meanwhile; it is left as it was.
    :raises OSError: when writing fails; the original text is put back.
    """
    data = (codecs.BOM_UTF8 if bom else b"") + new.encode("utf-8")
    real = os.path.realpath(path)
    _check_writable(real)
    tmp: str | None = _stage(real, data)
    try:
        fd = os.open(real, os.O_RDWR | _NONBLOCK | _NOFOLLOW | _BINARY)
        with open(fd, "r+b", closefd=True) as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise WriteError("the file is no longer a regular file")
            if handle.read(len(raw) + 1) != raw:
                raise WriteError("the file changed while it was being checked")
            try:
                _overwrite(handle, data)
            except BaseException as exc:
                try:
                    _overwrite(handle, raw)
                except OSError:
                    kept, tmp = tmp, None  # the staged copy is the only whole text left
                    raise OSError(f"{exc}; the fixed text is in {kept}") from exc
                raise
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _check_writable(real: str) -> None:
    """Refuse a file the user may not write, or whose mode marks it read-only.

    Root may write anything, so the mode is checked as well as access: a file its owner
    cannot write (``chmod a-w``) is read-only on purpose, for root too.
    """
    st = os.stat(real)
    if not stat.S_ISREG(st.st_mode):
        raise WriteError(f"the file is {_not_regular(st.st_mode)}")
    mode = stat.S_IMODE(st.st_mode)
    if not mode & stat.S_IWUSR:
        raise WriteError(f"the file is read-only (mode {mode:04o})")
    if not os.access(real, os.W_OK):
        raise WriteError(f"no permission to write the file (mode {mode:04o})")


def _stage(real: str, data: bytes) -> str:
    """Write *data* to a new private file beside *real* (or in the temporary folder when
    that folder is not writable), synced; return its path."""
    folder, name = os.path.split(real)
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    except PermissionError:
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp")
    try:
        with open(fd, "wb", closefd=True) as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def _overwrite(handle: BinaryIO, data: bytes) -> None:
    """Make *data* the whole content of the open file, in place, and sync it."""
    handle.seek(0)
    handle.write(data)
    handle.truncate()
    handle.flush()
    os.fsync(handle.fileno())
