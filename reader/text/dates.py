"""Dates: normalise metadata dates to ISO 8601, and find a dateline in the text."""

from __future__ import annotations

from datetime import datetime


def normalize_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).isoformat()
    except ValueError:
        return None


def find_date_in_text(text: str, lang: str | None = None) -> str | None:
    return None
