"""Named entities: recognition (a protocol and the default rule-based recognizer), canonical
keys, within-article and library-wide linking.

Per-article work (``add_mentions``) runs in the import workers; linking mentions to the
library's canonical entities (``link_entities_stage``) runs in the store's batch transaction.
"""

from __future__ import annotations

from reader.entities.recognizer import (
    ENTITY_TYPES,
    ORG,
    OTHER,
    PERSON,
    PLACE,
    EntityRecognizer,
    RuleBasedRecognizer,
    SpacyRecognizer,
)

__all__ = [
    "ENTITY_TYPES",
    "ORG",
    "OTHER",
    "PERSON",
    "PLACE",
    "EntityRecognizer",
    "RuleBasedRecognizer",
    "SpacyRecognizer",
    "get_recognizer",
    "set_recognizer",
    "warm_up",
]

_recognizer: EntityRecognizer | None = None


def get_recognizer() -> EntityRecognizer:
    """The recognizer the pipeline uses (the rule-based one unless another was set)."""
    global _recognizer
    if _recognizer is None:
        _recognizer = RuleBasedRecognizer()
    return _recognizer


def set_recognizer(recognizer: EntityRecognizer | None) -> None:
    """Plug in another recognizer (None restores the default). Per process: worker processes
    import the default, so a model-based recognizer must be set in their initialiser too."""
    global _recognizer
    _recognizer = recognizer


def warm_up() -> None:
    """Load what recognition needs once per process (the gazetteer, the per-language word
    lists), e.g. in the parent before forking import workers, so that they share it."""
    get_recognizer().recognize("Warm-up: President Emmanuel Macron met Angela Merkel in Paris, France.", "en")
