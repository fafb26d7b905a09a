"""Reading a file the user named, or one found in a cache, without hanging or filling memory.

Every file lint-reports reads goes through `read_regular`: it must be a regular file
(checked with stat before it is opened, so a FIFO, a device or a socket is never opened for
a blocking read, and again on the open descriptor, opened non-blocking, in case it was
swapped in between), and it is read only up to a limit. A FIFO named on the command line
would otherwise wait forever for a writer; `/dev/zero` as a baseline would be read until
the memory is gone. `read_regular("/dev/zero", limit)` raises NotRegularFile, an OSError
whose text is "not a regular file (a character device)": callers print it in one line
naming the file, as for any other file they cannot read.
"""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import NamedTuple

MB = 1024 * 1024


class NotRegularFile(OSError):
    """A FIFO, device, socket or directory where a file was expected."""


class FileTooLarge(OSError):
    """More bytes than the reader accepts for this kind of file."""

    def __init__(self, path, limit: int):
        super().__init__(errno.EFBIG, f"larger than {_size_words(limit)}", str(path))
        self.limit = limit


def _size_words(limit: int) -> str:
    return f"{limit // MB} MB" if limit >= MB else f"{limit} bytes"


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words (for the one-line refusal)."""
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISDIR, "a directory"), (stat.S_ISLNK, "a symbolic link")):
        if test(mode):
            return name
    return "not a plain file"


def _refuse(path, mode: int) -> NotRegularFile:
    return NotRegularFile(errno.EINVAL, f"not a regular file ({kind_of(mode)})", str(path))


class Read(NamedTuple):
    data: bytes
    info: os.stat_result  # of the open descriptor: what was read (size, mtime_ns, inode)


def read_regular(path, limit: int, *, follow_symlinks: bool = True) -> Read:
    """The bytes of the regular file `path`, at most `limit` of them.

    Raises NotRegularFile (an OSError) for anything that is not a regular file,
    FileTooLarge (an OSError) beyond `limit`, or the OSError of stat/open/read.
    `follow_symlinks=False` (cache files): a symbolic link is refused, not followed."""
    path = os.fspath(path)
    info = os.stat(path, follow_symlinks=follow_symlinks)
    if not stat.S_ISREG(info.st_mode):
        raise _refuse(path, info.st_mode)
    if info.st_size > limit:
        raise FileTooLarge(path, limit)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):  # swapped for a FIFO or a device since the stat
            raise _refuse(path, info.st_mode)
        if info.st_size > limit:
            raise FileTooLarge(path, limit)
        chunks, total = [], 0
        while True:  # a file that grows while it is read (a log) still stops at the limit
            chunk = os.read(fd, min(limit + 1 - total, 1 << 20) or 1)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise FileTooLarge(path, limit)
        return Read(b"".join(chunks), info)
    finally:
        os.close(fd)


def read_text(path, limit: int, encoding: str = "utf-8-sig") -> str:
    """`read_regular` decoded; raises UnicodeDecodeError as `Path.read_text` does."""
    return read_regular(path, limit).data.decode(encoding)


def describe(exc: OSError) -> str:
    """An OSError in a few words, without the path (the caller names the file)."""
    return exc.strerror or str(exc)


def regular_or_missing(path: Path) -> None:
    """Raise NotRegularFile unless `path` is missing or a regular file (following links):
    for files about to be written, such as a baseline (never replace `/dev/null`)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(info.st_mode):
        raise _refuse(path, info.st_mode)
