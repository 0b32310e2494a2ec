"""The anchoring engine on real article text: selectors, and re-anchoring after edits."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.annotations.anchoring import (
    CONTEXT_CHARS,
    anchor,
    find_quote,
    make_selector,
    text_hash,
    trim_span,
)


@pytest.fixture
def article(seeds_dir: Path) -> str:
    """The clean-ish text of a real seed article (several paragraphs of news)."""
    text = sorted(seeds_dir.glob("*.txt"))[0].read_text(encoding="utf-8")
    assert len(text) > 2000
    return text


def sentence_span(text: str, sentence: str) -> tuple[int, int]:
    start = text.index(sentence)
    return start, start + len(sentence)


SENTENCE = "The takeover of the American activities of TikTok is imminent."


def test_selector_holds_quote_and_32_characters_of_context(article):
    start, end = sentence_span(article, SENTENCE)
    sel = make_selector(article, start, end)
    assert sel.exact == SENTENCE
    assert sel.prefix == article[start - CONTEXT_CHARS : start] and len(sel.prefix) == 32
    assert sel.suffix == article[end : end + CONTEXT_CHARS] and len(sel.suffix) == 32
    assert (sel.start, sel.end) == (start, end)


def test_selector_context_is_cut_at_the_text_edges():
    sel = make_selector("Oracle wins.", 0, 6)
    assert (sel.exact, sel.prefix, sel.suffix) == ("Oracle", "", " wins.")
    with pytest.raises(ValueError):
        make_selector("abc", 2, 2)
    with pytest.raises(ValueError):
        make_selector("abc", 1, 4)


def test_unchanged_text_keeps_the_offsets(article):
    start, end = sentence_span(article, SENTENCE)
    found = anchor(make_selector(article, start, end), article)
    assert (found.start, found.end, found.state, found.method) == (start, end, "anchored", "position")


def test_insertion_before_the_span_shifts_it_and_keeps_it_anchored(article):
    start, end = sentence_span(article, SENTENCE)
    sel = make_selector(article, start, end)
    inserted = "Update, 9 August: this story has been revised with new information.\n\n"
    changed = inserted + article
    found = anchor(sel, changed)
    assert found.state == "anchored" and found.method == "quote"
    assert (found.start, found.end) == (start + len(inserted), end + len(inserted))
    assert changed[found.start : found.end] == SENTENCE


def test_edit_inside_the_span_moves_it_onto_the_edited_words(article):
    start, end = sentence_span(article, SENTENCE)
    sel = make_selector(article, start, end)
    edited_sentence = "The takeover of the American activities of TikTok is expected within days."
    changed = article.replace(SENTENCE, edited_sentence)
    found = anchor(sel, changed)
    assert found.state == "moved" and found.method == "fuzzy"
    assert changed[found.start : found.end] == edited_sentence


def test_edit_inside_the_span_and_insertion_before_it(article):
    start, end = sentence_span(article, SENTENCE)
    sel = make_selector(article, start, end)
    edited_sentence = "The takeover of the U.S. business of TikTok is imminent."
    changed = "A new first paragraph, added by the editors.\n\n" + article.replace(SENTENCE, edited_sentence)
    found = anchor(sel, changed)
    assert found.state == "moved"
    assert changed[found.start : found.end] == edited_sentence


def test_deleted_span_is_orphaned_and_keeps_its_last_place(article):
    start, end = sentence_span(article, SENTENCE)
    sel = make_selector(article, start, end)
    changed = article.replace(SENTENCE, "")
    found = anchor(sel, changed)
    assert found.state == "orphaned" and not found.found
    assert (found.start, found.end) == (start, end)


def test_deleted_short_quote_is_not_moved_to_the_same_word_elsewhere(article):
    # "Oracle" occurs many times; the highlighted occurrence's whole sentence is deleted.
    sentence = "Oracle caught the eye."
    start = article.index(sentence)
    sel = make_selector(article, start, start + len("Oracle"))
    changed = article.replace(sentence, "")
    assert "Oracle" in changed
    found = anchor(sel, changed)
    assert found.state == "orphaned"


def test_two_identical_quotes_are_told_apart_by_prefix_and_suffix():
    quote = "the company said in a statement"
    first = f"Shares of Oracle rose on Monday, {quote}, after the talks."
    second = f"TikTok will not be banned before September, {quote}, citing the deadline."
    between = "A paragraph between the two."
    text = f"{first}\n\n{between}\n\n{second}\n"
    at_first, at_second = text.index(quote), text.rindex(quote)
    gap = at_second - at_first
    # The second occurrence, after an insertion longer than the gap: the first one now sits
    # nearer the old position. The first occurrence, after the paragraphs swapped places:
    # the second one now sits at its old position.
    inserted = "Breaking: " + "x" * (gap + 10) + "\n\n"
    cases = [
        (at_second, inserted + text, len(inserted) + at_second),
        (at_first, f"{second}\n\n{between}\n\n{first}\n", f"{second}\n\n{between}\n\n{first}\n".rindex(quote)),
    ]
    for at, changed, expected in cases:
        sel = make_selector(text, at, at + len(quote))
        occurrences = find_quote(changed, quote)
        nearest = min(occurrences, key=lambda span: abs(span[0] - at))[0]
        assert nearest != expected  # nearness alone would pick the wrong one
        found = anchor(sel, changed)
        assert found.state == "anchored" and found.method == "quote"
        assert (found.start, found.end) == (expected, expected + len(quote))


def test_a_paragraph_moved_elsewhere_is_found_and_marked_moved(article):
    paragraphs = article.split("\n\n")
    assert len(paragraphs) >= 4
    moved = paragraphs[1]
    start, end = sentence_span(article, moved)
    sel = make_selector(article, start, end)
    reordered = "\n\n".join([paragraphs[0], *paragraphs[2:], moved])
    found = anchor(sel, reordered)
    assert found.found
    assert reordered[found.start : found.end] == moved


def test_long_quote_with_an_edit_is_found_by_its_head_and_tail(article):
    paragraphs = [p for p in article.split("\n\n") if len(p) > 300]
    paragraph = paragraphs[0]
    start, end = sentence_span(article, paragraph)
    sel = make_selector(article, start, end)
    words = paragraph.split(" ")
    middle = len(words) // 2
    edited = " ".join(words[:middle] + ["(according to two people familiar with the matter)"] + words[middle:])
    changed = article.replace(paragraph, edited)
    found = anchor(sel, changed)
    assert found.state == "moved"
    assert changed[found.start : found.end] == edited


def test_rewritten_span_is_orphaned(article):
    start, end = sentence_span(article, SENTENCE)
    sel = make_selector(article, start, end)
    changed = article.replace(SENTENCE, "Nothing has been decided, according to a spokesperson.")
    assert anchor(sel, changed).state == "orphaned"


def test_every_span_of_an_unchanged_or_prefixed_text_anchors_exactly(article):
    inserted = "Correction appended.\n\n"
    for start in range(0, len(article) - 60, 97):
        start, end = trim_span(article, start, start + 40)
        if start >= end:
            continue
        sel = make_selector(article, start, end)
        assert (anchor(sel, article).start, anchor(sel, article).end) == (start, end)
        moved = anchor(sel, inserted + article)
        assert moved.found and (inserted + article)[moved.start : moved.end] == sel.exact


def test_find_quote_exact_then_with_any_whitespace():
    text = "Oracle is the\nfavourite. Oracle is the favourite."
    assert find_quote(text, "Oracle") == [(0, 6), (25, 31)]
    second = text.index("the favourite")
    assert find_quote(text, "the favourite") == [(second, second + len("the favourite"))]
    assert [text[s:e] for s, e in find_quote(text, "is  the favourite.")] == ["is the\nfavourite.", "is the favourite."]
    assert find_quote(text, "Microsoft") == []
    assert find_quote(text, "   ") == []


def test_trim_span_and_text_hash():
    assert trim_span("  a b \n", 0, 7) == (2, 5)
    assert text_hash("a") != text_hash("a ") and len(text_hash("a")) == 32


def test_the_annotation_domain_never_imports_textual():
    import subprocess
    import sys

    code = (
        "import sys, reader.annotations.anchoring, reader.annotations.reanchoring, reader.annotations.versions, "
        "reader.annotations.importing, reader.annotations.export, reader.annotations.formats as f, "
        "reader.commands.annotations; f.export_formats(); "
        "assert 'textual' not in sys.modules, [m for m in sys.modules if m.startswith('textual')]"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
