"""Language detection with langdetect, made deterministic (seeded), once per article at import."""

from __future__ import annotations

from functools import lru_cache

from langdetect import DetectorFactory
from langdetect.detector_factory import init_factory
from langdetect.lang_detect_exception import LangDetectException

DetectorFactory.seed = 0


@lru_cache(maxsize=1)
def _factory() -> DetectorFactory:
    init_factory()
    from langdetect import detector_factory

    return detector_factory._factory  # type: ignore[attr-defined]


def detect_language(text: str) -> tuple[str | None, float | None]:
    """Return (ISO 639-1 code, probability), or (None, None) when there is no letter to go on."""
    if not any(ch.isalpha() for ch in text[:2000]):
        return None, None
    detector = _factory().create()
    detector.set_max_text_length(2000)
    detector.append(text)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return None, None
    lang = best.lang.split("-")[0]
    return lang, round(float(best.prob), 4)
