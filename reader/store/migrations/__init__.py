"""Schema migrations: one module per version step, ``mNNN_<name>.py`` with ``migrate(conn)``.

``mNNN`` brings a library to version NNN from the version of the step before it
(numbers increase; gaps are allowed so areas can reserve theirs). Each step runs inside one
transaction together with the ``PRAGMA user_version`` bump, so a crash leaves the
library at the old or the new version, never in between.
"""

from __future__ import annotations

import importlib
import pkgutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[sqlite3.Connection], None]


def all_migrations() -> list[Migration]:
    found: list[Migration] = []
    for info in pkgutil.iter_modules(__path__):
        if not (info.name.startswith("m") and info.name[1:4].isdigit()):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.append(Migration(int(info.name[1:4]), info.name, module.migrate))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions) or (versions and versions[0] != 1):
        raise RuntimeError(f"migration versions must be unique and start at 1: {versions}")
    return found


def latest_version() -> int:
    found = all_migrations()
    return found[-1].version if found else 0
