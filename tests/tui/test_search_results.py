from rich.console import Console

from reader.tui.screens.search import hit_prompt


def bold_words(text) -> list[str]:
    """The words drawn bold when the text is rendered."""
    segments = text.render(Console(width=200, color_system="truecolor"))
    return [word for segment in segments if segment.style and segment.style.bold for word in segment.text.split()]


def test_a_result_shows_its_title_and_only_the_matched_words_in_bold(sample_library):
    hit = next(h for h in sample_library.search("acquisition") if "acquisition" in h.snippet.casefold())
    prompt = hit_prompt(hit, width=200)
    title, meta, snippet = prompt.plain.split("\n")
    assert title == hit.article.title
    bold = bold_words(prompt)
    assert bold[: len(title.split())] == title.split()
    assert [w.strip(",.").casefold() for w in bold[len(title.split()) :]] == ["acquisition"]
