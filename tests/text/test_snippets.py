from reader.text.snippets import MATCH_END, MATCH_START, plain_snippet, snippet_text


def marked(*pieces: str) -> str:
    """Alternate plain and matched pieces: plain, match, plain, ..."""
    return "".join(MATCH_START + p + MATCH_END if i % 2 else p for i, p in enumerate(pieces))


def test_matches_are_bold_and_the_rest_plain():
    text = snippet_text(marked("Oracle and ", "TikTok", " agree"))
    assert text.plain == "Oracle and TikTok agree"
    bold = [text.plain[span.start : span.end] for span in text.spans if span.style == "bold"]
    assert bold == ["TikTok"]


def test_markup_and_controls_in_a_snippet_stay_text():
    text = snippet_text(marked("[bold red]x[/] \x1b[31m", "hit", "\nnext line"))
    assert text.plain == "[bold red]x[/] hit next line"


def test_width_cuts_with_an_ellipsis():
    assert snippet_text(marked("a long stretch of words ", "match"), width=10).plain.endswith("…")


def test_plain_snippet_drops_only_the_marks():
    assert plain_snippet(marked("a ", "b", " c")) == "a b c"
