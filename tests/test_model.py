"""PreparedArticle.replaced: what dataclasses.replace gives, made without __init__."""

from dataclasses import fields, replace

import pytest

from reader.model import EntityMention, PreparedArticle, RawArticle, Section


def _prepared() -> PreparedArticle:
    raw = RawArticle("x1", "Title", "Body text.", "test", lang="en")
    return PreparedArticle(raw, "Body text.", "h", "en", 0.99, "2024-01-02", "metadata")


def test_replaced_is_what_dataclasses_replace_gives_for_every_field():
    prepared = _prepared()
    values = {
        "text": "Other.", "lang": None, "sections": (Section(1, "A", 0, 3),), "mentions": (EntityMention(0, 4, "ORG", "Body", "body"),),
        "signature": b"\x01\x02", "story_terms": ("terms",),
    }
    for name, value in values.items():
        made, expected = prepared.replaced(**{name: value}), replace(prepared, **{name: value})
        assert made == expected and list(made.__dict__) == list(expected.__dict__) and type(made) is PreparedArticle
        assert getattr(prepared, name) != value  # the original is unchanged
    both = prepared.replaced(signature=b"s", story_terms=(1,))
    assert both == replace(prepared, signature=b"s", story_terms=(1,))
    assert {f.name for f in fields(PreparedArticle)} == set(both.__dict__)


def test_replaced_refuses_a_field_that_does_not_exist_and_stays_frozen():
    prepared = _prepared()
    with pytest.raises(TypeError):
        prepared.replaced(titel="x")
    copy = prepared.replaced(lang="fr")
    with pytest.raises(AttributeError):
        copy.lang = "de"  # type: ignore[misc]
