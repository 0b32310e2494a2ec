"""The diff engine on real text (the bundled seeds), plus its invariants on generated edits."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader import diffing
from reader.diffing import (
    aligned_rows,
    cut_segments,
    describe,
    diff_texts,
    fold_rows,
    side_segments,
    unified_segments,
)

_TOKEN = re.compile(r"\w+|[^\w\s]+")


def seed_text(seeds_dir: Path, prefix: str) -> str:
    (path,) = seeds_dir.glob(f"{prefix}_*")
    return path.read_text(encoding="utf-8")


def paragraphs_of(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p.strip()]


@pytest.fixture
def story(seeds_dir: Path) -> list[str]:
    """The seven paragraphs of seed 001 (a real wire story)."""
    paragraphs = paragraphs_of(seed_text(seeds_dir, "001"))
    assert len(paragraphs) == 7
    return paragraphs


def kinds(result: diffing.DiffResult) -> list[str]:
    return [op.op for op in result.ops]


# -- the cases of the issue ----------------------------------------------------------------------


def test_exact_copy_is_identical(story: list[str]) -> None:
    text = "\n\n".join(story)
    result = diff_texts(text, text)
    assert kinds(result) == ["equal"]
    assert (result.ops[0].a_start, result.ops[0].a_end, result.ops[0].b_end) == (0, 7, 7)
    s = result.summary
    assert (s.common, s.added, s.removed, s.changed, s.moved, s.contains, s.verdict) == (1.0, 0, 0, 0, 0, None, "identical")


def test_spacing_alone_is_not_a_change(story: list[str]) -> None:
    a = "\n\n".join(story)
    b = "\n\n\n".join(p.replace(" ", "  ") for p in story)
    assert kinds(diff_texts(a, b)) == ["equal"]


def test_one_word_changed(story: list[str]) -> None:
    a = "\n\n".join(story)
    edited = list(story)
    edited[2] = edited[2].replace("imminent", "certain", 1)
    b = "\n\n".join(edited)
    result = diff_texts(a, b)
    assert kinds(result) == ["equal", "replace", "equal"]
    replace = result.ops[1]
    assert (replace.a_start, replace.b_start) == (2, 2)
    (word,) = replace.words
    assert word.op == "replace"
    assert a[word.a_start : word.a_end] == "imminent"
    assert b[word.b_start : word.b_end] == "certain"
    s = result.summary
    assert (s.changed, s.added, s.removed, s.moved, s.contains) == (1, 0, 0, 0, None)
    assert 0.99 < s.common < 1.0
    assert s.verdict == "near-identical"


def test_a_moved_paragraph_is_one_move(story: list[str]) -> None:
    a = "\n\n".join(story)
    moved = story[:2] + story[3:] + [story[2]]  # paragraph 2 goes to the end
    b = "\n\n".join(moved)
    result = diff_texts(a, b)
    assert [op.op for op in result.changes] == ["move"]
    move = result.changes[0]
    assert (move.a_start, move.a_end, move.b_start, move.b_end) == (2, 3, 6, 7)
    assert move.similarity == 1.0 and move.words == ()
    s = result.summary
    assert (s.moved, s.added, s.removed, s.changed) == (1, 0, 0, 0)
    assert s.common == 1.0
    rows = aligned_rows(result)
    assert [(r.kind, r.a, r.b) for r in rows if r.kind.startswith("moved")] == [("moved-away", 2, 6), ("moved-here", 2, 6)]


def test_a_moved_block_is_one_move_even_when_edited(story: list[str]) -> None:
    a = "\n\n".join(story)
    block = [story[1], story[2].replace("Larry Ellison’s company", "the Texas company")]
    b = "\n\n".join([story[0], *story[3:], *block])
    result = diff_texts(a, b)
    (move,) = result.changes
    assert move.op == "move"
    assert (move.a_start, move.a_end, move.b_start, move.b_end) == (1, 3, 5, 7)
    assert [b[w.b_start : w.b_end] for w in move.words] == ["the Texas"]
    assert [a[w.a_start : w.a_end] for w in move.words] == ["Larry Ellison’s"]
    assert result.summary.moved == 2


def test_containment_on_the_seeds(seeds_dir: Path) -> None:
    page = seed_text(seeds_dir, "000")  # seed 001 plus three more stories
    story = seed_text(seeds_dir, "001")
    result = diff_texts(page, story)
    s = result.summary
    assert s.contains == "a" and s.verdict == "a-contains-b"
    assert s.b_in_a == 1.0 and s.a_in_b < 0.3
    assert s.removed > 0 and s.added == s.changed == s.moved == 0
    (extra,) = s.extra
    assert extra.start == 7 and extra.end == s.paragraphs_a
    assert page[extra.chars[0] :].startswith("TikTok: Oracle takes care of the cloud, Walmart of Commerce")
    assert extra.chars[1] == len(page.rstrip())
    assert s.extra_words == len(re.findall(r"\w+", page[extra.chars[0] :]))
    assert "A contains B" in describe(result)

    swapped = diff_texts(story, page).summary
    assert swapped.contains == "b" and swapped.verdict == "b-contains-a"
    assert (swapped.added, swapped.removed) == (s.removed, s.added)
    assert swapped.common == pytest.approx(s.common)


def test_empty_against_non_empty(story: list[str]) -> None:
    text = "\n\n".join(story)
    result = diff_texts("", text)
    assert kinds(result) == ["insert"]
    s = result.summary
    assert (s.common, s.added, s.contains, s.verdict) == (0.0, 7, None, "one-empty")
    assert kinds(diff_texts(text, "  \n")) == ["delete"]
    both = diff_texts("", "")
    assert both.ops == () and both.summary.verdict == "identical" and both.summary.common == 1.0


def test_different_languages_have_little_in_common(seeds_dir: Path) -> None:
    french = seed_text(seeds_dir, "002")
    english = seed_text(seeds_dir, "003")  # the same news, another outlet, another language
    result = diff_texts(french, english)
    s = result.summary
    assert s.verdict == "little-in-common"
    assert s.common < diffing.LITTLE_IN_COMMON
    assert s.contains is None
    assert s.changed == s.moved == 0
    assert s.removed == s.paragraphs_a and s.added == s.paragraphs_b
    assert describe(result).startswith("little in common")


def test_unrelated_articles_in_one_language_are_not_paired(seeds_dir: Path) -> None:
    result = diff_texts(seed_text(seeds_dir, "003"), seed_text(seeds_dir, "004"))
    assert result.summary.verdict == "little-in-common"


# -- long texts, degrading -----------------------------------------------------------------------


def test_a_paragraph_longer_than_the_block_limit_is_cut_at_sentences(seeds_dir: Path) -> None:
    one_line = " ".join(paragraphs_of(seed_text(seeds_dir, "000")))
    edited = one_line.replace("Safra Catz", "Safra A. Catz", 1)
    result = diff_texts(one_line, edited)
    assert result.summary.paragraphs_a > 5  # sentence blocks, not one giant paragraph
    assert all(len(_TOKEN.findall(one_line[s:e])) <= diffing.MAX_BLOCK_TOKENS for s, e in result.a_paragraphs)
    (change,) = result.changes
    assert change.op == "replace"
    assert [edited[w.b_start : w.b_end] for w in change.words] == ["A."]


def test_above_the_word_level_limit_the_result_says_so(story: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    a = "\n\n".join(story)
    b = a.replace("imminent", "certain", 1)
    monkeypatch.setattr(diffing, "WORD_LEVEL_TOKEN_LIMIT", 100)
    result = diff_texts(a, b)
    assert result.degraded and "paragraphs only" in result.degraded
    assert [op.op for op in result.changes] == ["replace"]
    assert result.changes[0].words == ()
    assert "note:" in describe(result)
    assert result.to_json()["summary"]["degraded"] == result.degraded


def test_anchored_alignment_gives_the_same_diff_as_the_direct_one(story: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    a = "\n\n".join(story)
    b = "\n\n".join([story[0], "A new paragraph.", *story[1:4], story[4].replace("trusted", "reliable"), *story[5:]])
    direct = diff_texts(a, b)
    monkeypatch.setattr(diffing, "PARAGRAPH_ALIGN_LIMIT", 1)
    anchored = diff_texts(a, b)
    assert anchored.ops == direct.ops
    assert anchored.degraded is None


def test_without_anchors_long_texts_are_aligned_in_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    words = ["alpha", "beta", "gamma", "delta"]  # every line repeats: no unique anchor
    lines = [words[(i * 7 + i // 5) % 4] for i in range(400)]
    edited = list(lines)
    edited[50] = "omega"
    edited[350] = "psi"
    monkeypatch.setattr(diffing, "PARAGRAPH_ALIGN_LIMIT", 100 * 100)  # windows of 100 lines
    result = diff_texts("\n".join(lines), "\n".join(edited))
    assert result.degraded and "window by window" in result.degraded
    changes = [(op.op, op.a_start, op.a_end, op.b_start, op.b_end) for op in result.changes]
    assert changes == [
        ("delete", 50, 51, 50, 50), ("insert", 51, 51, 50, 51), ("delete", 350, 351, 350, 350), ("insert", 351, 351, 350, 351)
    ]


def test_a_very_short_paragraph_is_not_reported_as_moved(story: list[str]) -> None:
    a = "\n\n".join(["Photo: AP", *story])
    b = "\n\n".join([*story, "Photo: AP"])
    result = diff_texts(a, b)
    assert [op.op for op in result.changes] == ["delete", "insert"]
    assert result.summary.moved == 0


def test_too_many_leftovers_skip_the_search_for_edits(story: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    a = "\n\n".join(story)
    b = a.replace("imminent", "certain", 1)
    monkeypatch.setattr(diffing, "SIMILAR_PAIRING_LIMIT", 1)
    result = diff_texts(a, b)
    assert result.degraded and "removed and added" in result.degraded
    assert [op.op for op in result.changes] == ["delete", "insert"]


# -- invariants on generated edits ---------------------------------------------------------------

_EDIT = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, 50)),
    st.tuples(st.just("insert"), st.integers(0, 50), st.integers(0, 50)),
    st.tuples(st.just("word"), st.integers(0, 50), st.integers(0, 200)),
    st.tuples(st.just("move"), st.integers(0, 50), st.integers(1, 3), st.integers(0, 50)),
)


def apply_edits(paragraphs: list[str], pool: list[str], edits: list[tuple]) -> list[str]:
    out = list(paragraphs)
    for edit in edits:
        if not out:
            out.append(pool[0])
        kind, at = edit[0], edit[1] % len(out)
        if kind == "delete":
            del out[at]
        elif kind == "insert":
            out.insert(at, pool[edit[2] % len(pool)])
        elif kind == "word":
            words = out[at].split()
            words[edit[2] % len(words)] = "EDITED"
            out[at] = " ".join(words)
        else:
            block = out[at : at + edit[2]]
            del out[at : at + edit[2]]
            to = edit[3] % (len(out) + 1)
            out[to:to] = block
    return out


@pytest.fixture(scope="module")
def pool() -> list[str]:
    from reader.resources import seed_files

    return [p for seed in seed_files() for p in paragraphs_of(Path(str(seed)).read_text(encoding="utf-8"))]


@settings(max_examples=60, deadline=None)
@given(start=st.integers(0, 80), size=st.integers(0, 25), edits=st.lists(_EDIT, max_size=8))
def test_every_paragraph_is_accounted_for_once(pool: list[str], start: int, size: int, edits: list[tuple]) -> None:
    original = pool[start : start + size]
    edited = apply_edits(original, pool, edits)
    a, b = "\n\n".join(original), "\n\n".join(edited)
    result = diff_texts(a, b)

    covered_a = [i for op in result.ops for i in range(op.a_start, op.a_end)]
    covered_b = [j for op in result.ops for j in range(op.b_start, op.b_end)]
    assert sorted(covered_a) == list(range(len(result.a_paragraphs)))
    assert covered_b == list(range(len(result.b_paragraphs)))  # B is covered in reading order
    # every op except moves walks A in order too
    in_order = [i for op in result.ops if op.op != "move" for i in range(op.a_start, op.a_end)]
    assert in_order == sorted(in_order)

    # B's tokens can be rebuilt from A's paragraphs and the ops
    for op in result.ops:
        b_tokens = _TOKEN.findall(b[op.b_chars[0] : op.b_chars[1]])
        if op.op == "equal" or (op.op == "move" and not op.words):
            assert _TOKEN.findall(a[op.a_chars[0] : op.a_chars[1]]) == b_tokens
        elif op.op in ("replace", "move"):
            rebuilt, cursor_a = [], op.a_chars[0]
            for word in op.words:
                rebuilt += _TOKEN.findall(a[cursor_a : word.a_start])
                rebuilt += _TOKEN.findall(b[word.b_start : word.b_end])
                cursor_a = word.a_end
            rebuilt += _TOKEN.findall(a[cursor_a : op.a_chars[1]])
            assert rebuilt == b_tokens

    rows = aligned_rows(result)
    assert sorted(r.a for r in rows if r.a is not None and r.kind != "moved-here") == list(range(len(result.a_paragraphs)))
    assert [r.b for r in rows if r.b is not None and r.kind != "moved-away"] == list(range(len(result.b_paragraphs)))

    s = result.summary
    assert 0.0 <= s.common <= 1.0
    assert s.added + s.moved + s.changed + sum(op.b_end - op.b_start for op in result.ops if op.op == "equal") == len(
        result.b_paragraphs
    )
    reverse = diff_texts(b, a).summary
    assert reverse.common == pytest.approx(s.common, abs=0.05)
    if edits == []:
        assert s.verdict == "identical"


# -- JSON and display helpers --------------------------------------------------------------------


def test_json_has_the_documented_shape(seeds_dir: Path) -> None:
    a = seed_text(seeds_dir, "001")
    b = "\n\n".join(paragraphs_of(a)[:3] + ["Breaking: a new paragraph."] + paragraphs_of(a)[4:]).replace("Oracle", "ORCL", 1)
    data = json.loads(json.dumps(diff_texts(a, b).to_json()))
    assert set(data) == {"summary", "ops"}
    summary = data["summary"]
    for key in ("common", "added", "removed", "changed", "moved", "contains"):
        assert key in summary
    assert 0 <= summary["common"] <= 1
    assert {op["op"] for op in data["ops"]} <= {"equal", "insert", "delete", "replace", "move"}
    replace = [op for op in data["ops"] if op["op"] == "replace"]
    assert replace and all(set(op) >= {"a", "b", "a_chars", "b_chars", "words", "similarity"} for op in replace)
    assert {w["op"] for op in replace for w in op["words"]} <= {"insert", "delete", "replace"}


def test_fold_rows_keeps_context_around_changes() -> None:
    paragraphs = [f"Paragraph number {i} says something different from the others, {i}." for i in range(20)]
    edited = list(paragraphs)
    edited[10] = edited[10].replace("says", "claims")
    rows = aligned_rows(diff_texts("\n\n".join(paragraphs), "\n\n".join(edited)))
    folded = fold_rows(rows, context=1, min_fold=3)
    folds = [f for f in folded if isinstance(f, diffing.Fold)]
    assert [(f.start, f.count) for f in folds] == [(0, 9), (12, 8)]
    assert [r.kind for r in folded if isinstance(r, diffing.Row)] == ["equal", "replace", "equal"]
    assert fold_rows(rows[8:13], context=1, min_fold=3) == rows[8:13]  # short runs stay
    assert fold_rows(rows[:4]) == [diffing.Fold(0, 4)]  # nothing changed: one fold


def test_segments_tag_changes_and_entities_without_losing_text() -> None:
    a = "Larry Ellison bought [bold]TikTok[/bold] today."
    b = "Larry Ellison sold [bold]TikTok[/bold] today."
    result = diff_texts(a, b)
    (row,) = aligned_rows(result)
    person = [(0, 13, "entity-person")]
    left = side_segments(result, row, "a", person)
    assert "".join(t for t, _ in left) == a
    assert ("bought", frozenset({"delete"})) in left and ("Larry Ellison", frozenset({"entity-person"})) in left
    merged = unified_segments(result, row, person, person)
    assert "".join(t for t, _ in merged) == "Larry Ellison bought sold [bold]TikTok[/bold] today."
    assert cut_segments("abcdef", 1, 5, [(0, 3, "x"), (2, 9, "y")]) == [
        ("b", frozenset({"x"})), ("c", frozenset({"x", "y"})), ("de", frozenset({"y"})),
    ]


def test_entity_marks_skip_a_store_without_entities() -> None:
    class WithSpans:
        def entity_spans(self, article_id: int):
            return [type("S", (), {"start": 4, "end": 9, "type": "ORG"})()]

    assert diffing.entity_marks(object(), 1) == ()
    assert diffing.entity_marks(WithSpans(), 1) == ((4, 9, "entity-org"),)


def test_the_engine_does_not_import_textual() -> None:
    code = "import sys, reader.diffing; assert 'textual' not in sys.modules, 'textual imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


# -- reader diff ---------------------------------------------------------------------------------

PAGE = "sample/000_9dd72cae0654412e.txt"  # seed 001 plus three more stories
STORY = "sample/001_3f7b207e56d880eb.txt"


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    from reader.cli import main

    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_diff_json_gives_the_engine_result_for_two_articles(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "diff", PAGE, STORY, "--json")
    assert code == 0
    data = json.loads(out)
    summary = data["summary"]
    assert summary["contains"] == "a" and summary["verdict"] == "a-contains-b"
    assert summary["added"] == summary["changed"] == summary["moved"] == 0
    assert summary["removed"] == sum(e["paragraphs"][1] - e["paragraphs"][0] for e in summary["extra"]) > 0
    assert [op["op"] for op in data["ops"]] == ["equal", "delete"]
    assert data["a"]["external_id"] == PAGE and data["b"]["external_id"] == STORY
    code, out, _ = run_cli(capsys, "diff", str(data["b"]["id"]), str(data["a"]["id"]), "--json")
    assert json.loads(out)["summary"]["contains"] == "b"


def test_diff_prints_folded_unified_and_side_by_side(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_cli(capsys, "diff", PAGE, STORY, "--json")
    data = json.loads(out)
    equal, delete = data["ops"]
    shared = equal["b"][1]
    code, out, _ = run_cli(capsys, "diff", PAGE, STORY, "--unified")
    assert code == 0
    assert f"A contains B + {delete['a'][1] - delete['a'][0]} more paragraphs" in out
    assert f"… {shared - 1} unchanged paragraphs …" in out  # one paragraph of context stays
    assert sum(line.startswith("- ") for line in out.splitlines()) == delete["a"][1] - delete["a"][0]
    code, out, _ = run_cli(capsys, "diff", PAGE, STORY, "--side-by-side", "--all")
    assert "unchanged paragraphs" not in out
    assert any(line.count("After Microsoft’s offer") == 2 for line in out.splitlines())  # lined up on both sides


def test_diff_of_an_unknown_id_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "diff", PAGE, "no-such-article")
    assert code == 2 and "no-such-article" in err


def test_diff_shows_untrusted_text_literally(library, capsys: pytest.CaptureFixture[str]) -> None:
    from reader.model import RawArticle
    from reader.pipeline import import_records

    base = "Markup test paragraph one stays.\n\nThe second paragraph is where it changes."
    hostile = base.replace("changes", "[bold red]changes[/bold red] \x1b]52;c;ZXZpbA==\x07 [link=http://x]here[/link]")
    import_records(library, iter([
        RawArticle(external_id="plain", title="Plain", text=base, origin="test"),
        RawArticle(external_id="hostile", title="Hostile [blink]", text=hostile, origin="test"),
    ]), workers=1)
    library.close()
    code, out, _ = run_cli(capsys, "--library", str(library.path), "diff", "plain", "hostile", "--unified", "--all")
    assert code == 0
    assert "[bold red]changes[/bold red]" in out and "[link=http://x]here[/link]" in out
    assert "\x1b" not in out and "\x07" not in out
    assert "Hostile [blink]" in out
