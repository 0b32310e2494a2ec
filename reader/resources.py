"""Locate files shipped with the package (seeds, styles) via importlib.resources.

In a wheel, ``seeds/`` and ``styles/`` are installed inside the ``reader`` package.
In a source checkout (editable install or running from the tree) they sit next to
the package at the repository root; we fall back to that location.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path


def _bundled_dir(name: str) -> Traversable:
    packaged = resources.files("reader").joinpath(name)
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"bundled folder {name!r} is missing from the installation")


def seeds_dir() -> Traversable:
    return _bundled_dir("seeds")


def styles_dir() -> Traversable:
    return _bundled_dir("styles")


def seed_files() -> list[Traversable]:
    return sorted((p for p in seeds_dir().iterdir() if p.is_file() and not p.name.startswith(".")), key=lambda p: p.name)


def stylesheet_text(name: str) -> str:
    return styles_dir().joinpath(name).read_text(encoding="utf-8")
