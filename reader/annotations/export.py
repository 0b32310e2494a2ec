"""Export annotations in any registered format, to a stream or atomically to a file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeVar

from reader.annotations.formats import ExportInfo, get_format
from reader.annotations.model import AnnotationFilter

if TYPE_CHECKING:
    from reader.store import Library

T = TypeVar("T")


def export_annotations(library: Library, format_name: str, out: TextIO, flt: AnnotationFilter | None = None) -> int:
    """Write the matching annotations to ``out``; returns how many were written."""
    from reader.store.connection import utc_now

    fmt = get_format(format_name)
    flt = flt or AnnotationFilter()
    info = ExportInfo(total=library.count_annotations(flt), generated_at=utc_now(), filter=flt)
    return fmt.write(library.iter_annotations(flt, order="article"), out, info)


def export_to_file(library: Library, format_name: str, path: Path | str, flt: AnnotationFilter | None = None) -> int:
    """Export to ``path`` atomically: the file is whole (new) or untouched (old), never partial."""
    return write_atomically(Path(path), lambda out: export_annotations(library, format_name, out, flt))


def write_atomically(path: Path, write: Callable[[TextIO], T]) -> T:
    """Write through a temporary file in the same folder, flushed to disk, then renamed over ``path``.

    On any error the temporary file is removed and an existing ``path`` is left as it was.
    """
    path = path.expanduser()
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: no such folder")
    mode = _mode_for(path)
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            result = write(out)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_folder(folder)
    return result


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual ones (0666 less umask)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
