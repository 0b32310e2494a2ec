"""Annotation anchoring benchmark: accuracy and speed on real text, and the import stage's cost.

    python bench/annotations_bench.py                  # 2,000 articles for the stage figures
    python bench/annotations_bench.py --articles 20000

Part 1 re-anchors highlights of real sentences (seeds, and the ECB+ dev articles when
../shared/corpora is present) after four kinds of change: none, a paragraph inserted before
the span, a word changed inside it, the span deleted. It prints the share placed correctly
and the median time per anchor, for reader's engine and for the peer: diff-match-patch's
bitap ``match_main`` over 32-character slices from the old position, which is how
Hypothesis' dom-anchor-text-quote anchored quotes (``pip install diff-match-patch``).

Part 2 imports a generated corpus (bench/corpus.py), annotates 1 article in 20, re-imports
it with 30% of the articles edited, and times the re-anchoring LIBRARY_STAGE per article.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from reader.annotations.anchoring import Selector, anchor, make_selector  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
_SENTENCE = re.compile(r"[^.!?\n]{20,300}[.!?]")


def real_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    corpus = CORPORA / "ecbplus_dev.jsonl"
    if corpus.exists():
        with corpus.open(encoding="utf-8") as handle:
            texts.extend(json.loads(line)["text"] for line in handle if line.strip())
    return [t for t in texts if len(t) > 500]


Case = tuple[str, Selector, str, tuple[int, int] | None]  # (kind, selector, new text, expected span or None)


def cases(texts: list[str], rng: random.Random, per_text: int) -> Iterator[Case]:
    fillers = [m.group(0).strip() for t in texts for m in _SENTENCE.finditer(t)]
    for text in texts:
        sentences = [m for m in _SENTENCE.finditer(text) if len(m.group(0).strip()) >= 20]
        for match in rng.sample(sentences, min(per_text, len(sentences))):
            start = match.start() + (len(match.group(0)) - len(match.group(0).lstrip()))
            end = match.end()
            quote = text[start:end]
            if text.count(quote) != 1:
                continue
            sel = make_selector(text, start, end)
            yield "unchanged", sel, text, (start, end)
            cut = text.rfind("\n", 0, start)
            cut = cut + 1 if cut >= 0 else 0
            insert = rng.choice(fillers) + "\n\n"
            yield "insert before", sel, text[:cut] + insert + text[cut:], (start + len(insert), end + len(insert))
            words = quote.split(" ")
            if len(words) >= 4:
                i = rng.randrange(1, len(words) - 1)
                words[i] = rng.choice(["reportedly", "officials", "Tuesday", "several", "the company's"])
                edited = " ".join(words)
                yield "edit inside", sel, text[:start] + edited + text[end:], (start, start + len(edited))
            yield "deleted", sel, text[:start] + text[end:], None


def dmp_anchor(sel: Selector, text: str) -> tuple[int, int] | None:
    """dom-anchor-text-quote's classic approach: bitap over 32-char slices, from the old position."""
    from diff_match_patch import diff_match_patch

    dmp = diff_match_patch()
    dmp.Match_Distance = len(text) * 2
    dmp.Match_Threshold = 0.5
    loc, start = max(sel.start, 0), None
    for i in range(0, len(sel.exact), 32):
        piece = sel.exact[i : i + 32]
        found = dmp.match_main(text, piece, min(loc, len(text)))
        if found == -1:
            return None
        start = found if start is None else start
        loc = found + len(piece)
    return (start, loc) if start is not None else None


def reader_anchor(sel: Selector, text: str) -> tuple[int, int] | None:
    found = anchor(sel, text)
    return (found.start, found.end) if found.found else None


def correct(got: tuple[int, int] | None, want: tuple[int, int] | None) -> bool:
    if want is None or got is None:
        return got == want
    overlap = max(0, min(got[1], want[1]) - max(got[0], want[0]))
    union = max(got[1], want[1]) - min(got[0], want[0])
    return overlap / union >= 0.9


def part_anchoring(per_text: int) -> None:
    rng = random.Random(11)
    texts = real_texts()
    all_cases = list(cases(texts, rng, per_text))
    engines: dict[str, Callable[[Selector, str], tuple[int, int] | None]] = {"reader": reader_anchor}
    try:
        import diff_match_patch  # noqa: F401

        engines["diff-match-patch (peer)"] = dmp_anchor
    except ImportError:
        print("(peer skipped: pip install diff-match-patch)")
    kinds = list(dict.fromkeys(c[0] for c in all_cases))
    print(f"anchoring: {len(texts)} real texts, {len(all_cases)} cases")
    print(f"{'engine':26} {'change':14} {'cases':>6} {'correct':>8} {'median µs':>10} {'p95 µs':>9}")
    for name, engine in engines.items():
        for kind in kinds:
            subset = [c for c in all_cases if c[0] == kind]
            times, good = [], 0
            for _, sel, text, want in subset:
                t0 = time.perf_counter()
                got = engine(sel, text)
                times.append((time.perf_counter() - t0) * 1e6)
                good += correct(got, want)
            times.sort()
            p95 = times[int(len(times) * 0.95) - 1] if times else 0.0
            print(f"{name:26} {kind:14} {len(subset):6d} {good / len(subset):8.1%} {statistics.median(times):10.0f} {p95:9.0f}")


def part_stage(n_articles: int, workers: int | None) -> None:
    from corpus import generate

    import reader.pipeline as pipeline
    from reader.annotations.reanchoring import reanchor_changed_articles
    from reader.pipeline import import_records
    from reader.model import RawArticle
    from reader.store import open_library

    timings: list[float] = []
    processed: list[int] = []

    def timed(library, prepared, results):  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        reanchor_changed_articles(library, prepared, results)
        timings.append(time.perf_counter() - t0)
        processed.append(len(results))

    index = pipeline.LIBRARY_STAGES.index(reanchor_changed_articles)
    pipeline.LIBRARY_STAGES[index] = timed
    try:
        items = list(generate(n_articles, seed=5))
    except SystemExit:
        print("stage: skipped (../shared/corpora is missing)")
        return

    def raws(edit: Callable[[int, str], str] | None = None) -> Iterator[RawArticle]:
        for i, item in enumerate(items):
            text = item["text"] if edit is None else edit(i, item["text"])
            yield RawArticle(external_id=item["id"], title=item["title"], text=text, origin="bench",
                             url=item.get("url"), date=item.get("date"), source=item.get("source"))

    rng = random.Random(3)
    with tempfile.TemporaryDirectory() as tmp:
        library = open_library(Path(tmp) / "bench.sqlite3")
        import_records(library, raws(), workers=workers)
        first = sum(timings) / max(1, sum(processed)) * 1e6
        print(f"\nstage, first import of {n_articles:,} articles (nothing annotated): {first:.1f} µs/article")
        annotated = 0
        with library.transaction():
            for article in library.iter_articles(include_sections=False):
                if article.id % 20:
                    continue
                text = library.get_article(article.id).text
                for match in list(_SENTENCE.finditer(text))[:2]:
                    library.create_annotation(article.id, match.start(), match.end())
                    annotated += 1

        def edit(i: int, text: str) -> str:
            """30% of articles change: a paragraph on top, and a word in the first or middle sentence."""
            if i % 10 >= 3:
                return text
            words = text.split(" ")
            words[3 if i % 10 == 0 else len(words) // 2] = "reportedly"
            return "Updated with new details.\n\n" + " ".join(words)

        timings.clear()
        processed.clear()
        t0 = time.perf_counter()
        report = import_records(library, raws(edit), workers=workers)
        wall = time.perf_counter() - t0
        states: dict[str, int] = {}
        for a in library.iter_annotations():
            states[a.state] = states.get(a.state, 0) + 1
        per_batch = [t * 1e3 for t in timings]
        print(f"stage, re-import with {report.updated:,} articles changed, {annotated:,} annotations: "
              f"{sum(timings) / max(1, sum(processed)) * 1e6:.1f} µs/article, median batch {statistics.median(per_batch):.1f} ms "
              f"(re-import wall {wall:.1f} s); states after: {states}")
        library.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000, help="corpus size for the stage figures")
    parser.add_argument("--per-text", type=int, default=4, help="highlights per real text for the anchoring figures")
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    part_anchoring(args.per_text)
    part_stage(args.articles, args.workers)


if __name__ == "__main__":
    main()
