"""Paths (platformdirs) and user settings (a TOML file)."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import platformdirs

APP_NAME = "reader"
LIBRARY_ENV = "READER_LIBRARY"
LIBRARY_FILENAME = "library.sqlite3"


def default_data_dir() -> Path:
    return platformdirs.user_data_path(APP_NAME)


def cache_dir() -> Path:
    """Where derived data that can be rebuilt at any time is kept (the platform cache dir)."""
    return platformdirs.user_cache_path(APP_NAME)


def write_cache_file(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write a cache file whole or not at all: into a temporary file, renamed over ``path``.
    Raises OSError (a read-only or full cache dir); callers then just go without the cache."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    with open(partial, "wb") as handle:
        write(handle)
    os.replace(partial, path)


def remove_stale_cache_files(pattern: str, keep: Iterable[Path]) -> None:
    """Remove the cache files matching ``pattern`` beside the kept ones (made for other package
    versions or formats: never read again)."""
    kept = set(keep)
    for folder in {path.parent for path in kept}:
        for stale in folder.glob(pattern):
            if stale not in kept:
                stale.unlink(missing_ok=True)


def config_path() -> Path:
    override = os.environ.get("READER_CONFIG")
    if override:
        return Path(override)
    return platformdirs.user_config_path(APP_NAME) / "config.toml"


def resolve_library_path(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """Where the library lives: --library, then $READER_LIBRARY, then the platform data dir.

    A path naming an existing folder (or ending with a separator) means the library
    file inside that folder.
    """
    raw = cli_value if cli_value else os.environ.get(LIBRARY_ENV)
    if not raw:
        return default_data_dir() / LIBRARY_FILENAME
    path = Path(raw).expanduser()
    if path.is_dir() or str(raw).endswith(os.sep):
        return path / LIBRARY_FILENAME
    return path


@dataclass(frozen=True)
class Limits:
    """Input limits; each can be raised by a flag or in the config file."""

    max_file_bytes: int = 50 * 1024 * 1024
    max_article_chars: int = 2_000_000
    max_feed_items: int = 10_000


@dataclass(frozen=True)
class Settings:
    limits: Limits = field(default_factory=Limits)
    keys: dict[str, str] = field(default_factory=dict)
    theme: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)


def load_settings(path: Path | None = None) -> Settings:
    """Read the TOML config; a missing file gives the defaults."""
    path = path or config_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path}: cannot read config: {exc}") from exc
    limits_data = data.get("limits", {})
    defaults = Limits()
    limits = Limits(
        max_file_bytes=int(limits_data.get("max_file_bytes", defaults.max_file_bytes)),
        max_article_chars=int(limits_data.get("max_article_chars", defaults.max_article_chars)),
        max_feed_items=int(limits_data.get("max_feed_items", defaults.max_feed_items)),
    )
    keys = {str(k): str(v) for k, v in data.get("keys", {}).items()}
    return Settings(limits=limits, keys=keys, theme=data.get("theme"), raw=data)
