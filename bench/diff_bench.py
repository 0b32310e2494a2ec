"""Diff engine benchmark: reader.diffing beside Python's difflib on the same texts.

    python bench/diff_bench.py [--runs 5] [--corpus ../shared/corpora/ecbplus_dev.jsonl]

Cases are made from real text: the seeds as they are (containment, two languages) and
long documents assembled from the ECB+ articles (the seeds when the corpus is absent),
then edited: words changed in 4% of the paragraphs, 1% deleted, 1% inserted, three
blocks of 2-4 paragraphs moved. "one line" removes every paragraph break; "one word
per line" is a pathological shape (100,000 tiny paragraphs, most of them repeated).

For each case it prints the median wall-clock and CPU time of ``diff_texts`` (and of preparing the view:
display cells plus wrapping at 78 columns, what the TUI does before the first frame),
then difflib.SequenceMatcher.get_opcodes over the same word tokens, with what each
finds. Budgets (issue 6): 10,000 words < 100 ms; 100,000 words < 2 s or degraded.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.diffing import DiffResult, diff_texts

TOKEN = re.compile(r"\w+|[^\w\s]+")
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "ecbplus_dev.jsonl"


def seed_texts() -> dict[str, str]:
    return {path.name[:3]: path.read_text(encoding="utf-8") for path in sorted((ROOT / "seeds").glob("*.txt"))}


def corpus_articles(path: Path) -> list[list[str]]:
    """Each article as its paragraphs (title first)."""
    if not path.is_file():
        return [[p for p in text.split("\n\n") if p.strip()] for text in seed_texts().values()]
    articles = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            paragraphs = [record["title"], *(p for p in record["text"].split("\n") if p.strip())]
            articles.append(paragraphs)
    return articles


def long_document(articles: list[list[str]], words: int, rng: random.Random) -> list[str]:
    """Whole articles in shuffled order (the corpus again, reshuffled, if it runs out)."""
    paragraphs: list[str] = []
    count = 0
    while count < words:
        order = list(articles)
        rng.shuffle(order)
        for article in order:
            paragraphs.extend(article)
            count += sum(len(p.split()) for p in article)
            if count >= words:
                break
    return paragraphs


def edit(paragraphs: list[str], pool: list[str], rng: random.Random) -> list[str]:
    out = list(paragraphs)
    vocabulary = [w for p in pool for w in p.split()]
    for _ in range(max(1, len(out) * 4 // 100)):
        k = rng.randrange(len(out))
        words = out[k].split()
        for _ in range(rng.randint(1, 3)):
            words[rng.randrange(len(words))] = rng.choice(vocabulary)
        out[k] = " ".join(words)
    for _ in range(max(1, len(out) // 100)):
        del out[rng.randrange(len(out))]
    for _ in range(max(1, len(out) // 100)):
        out.insert(rng.randrange(len(out)), rng.choice(pool))
    for _ in range(3):
        size = rng.randint(2, 4)
        at = rng.randrange(len(out) - size)
        block = out[at : at + size]
        del out[at : at + size]
        to = rng.randrange(len(out))
        out[to:to] = block
    return out


def cases(corpus: Path) -> list[tuple[str, str, str]]:
    rng = random.Random(2020)
    seeds = seed_texts()
    articles = corpus_articles(corpus)
    pool = [p for text in seeds.values() for p in text.split("\n\n") if len(p.split()) > 5]
    made = [
        ("seeds 000 vs 001 (containment)", seeds["000"], seeds["001"]),
        ("seeds 002 vs 003 (fr vs en)", seeds["002"], seeds["003"]),
    ]
    half = len(articles) // 2  # the 10,000-word cases use one half, "unrelated" the other
    for words, source in ((10_000, articles[:half]), (100_000, articles)):
        base = long_document(source, words, rng)
        edited = edit(base, pool, rng)
        label = f"{words:,} words"
        made.append((f"{label}, edited + moves", "\n\n".join(base), "\n\n".join(edited)))
        made.append((f"{label}, one line", " ".join(base), " ".join(edited)))
        if words == 100_000:  # a pathological shape: one word per line, 0.5% of them replaced
            lines = " ".join(base).split()
            changed = list(lines)
            for _ in range(len(lines) // 200):
                changed[rng.randrange(len(changed))] = rng.choice(lines)
            made.append((f"{label}, one word per line", "\n".join(lines), "\n".join(changed)))
    other = long_document(articles[half:], 10_000, rng)
    made.append(("10,000 words vs unrelated", made[2][1], "\n\n".join(other)))
    return made


def median_time(fn: Callable[[], object], runs: int) -> tuple[float, float, object]:
    """Median wall-clock and CPU seconds of ``fn`` (CPU time is steadier on a busy machine)."""
    walls, cpus = [], []
    value: object = None
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        value = fn()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return statistics.median(walls), statistics.median(cpus), value


def prepare_view(result: DiffResult) -> int:
    """What the diff screen does before its first frame: the cells of the rows shown (unchanged
    runs folded), wrapped once."""
    from reader.tui.textlayout import wrap_lines
    from reader.tui.widgets.diff_view import DiffDocument

    document = DiffDocument(result).prepare("side-by-side")
    lines = 0
    for index in document.folded_rows():
        for side in ("a", "b"):
            cell = document.side_cell(index, side)  # type: ignore[arg-type]
            if cell is not None:
                lines += len(wrap_lines(cell.text, 78))
    return lines


def difflib_opcodes(a: str, b: str) -> tuple[float, int]:
    matcher = difflib.SequenceMatcher(None, TOKEN.findall(a), TOKEN.findall(b))
    opcodes = matcher.get_opcodes()
    return matcher.ratio(), sum(1 for op in opcodes if op[0] != "equal")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per case (median); 100k cases use at most 3")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    source = args.corpus if args.corpus.is_file() else "the seeds (corpus not found)"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"texts from {source}; median of {args.runs} runs (3 for 100k words); {os.cpu_count()} cores, load {load:.1f}\n")
    header = (
        f"{'case':34} {'words a/b':>15} {'reader.diffing wall/cpu':>24} {'view prep':>10} {'difflib wall/cpu':>22}  found"
    )
    print(header)
    print("-" * len(header))
    for label, a, b in cases(args.corpus):
        runs = min(args.runs, 3) if len(a) > 200_000 else args.runs
        ours, ours_cpu, result = median_time(partial(diff_texts, a, b), runs)
        assert isinstance(result, DiffResult)
        view, _, _ = median_time(partial(prepare_view, result), runs)
        theirs, theirs_cpu, (ratio, changes) = median_time(partial(difflib_opcodes, a, b), runs)  # type: ignore[misc]
        s = result.summary
        words = f"{s.words_a:,}/{s.words_b:,}"
        print(
            f"{label:34} {words:>15} {ours * 1000:>11.1f} /{ours_cpu * 1000:>7.1f} ms {view * 1000:>7.1f} ms"
            f" {theirs * 1000:>9.1f} /{theirs_cpu * 1000:>8.1f} ms",
            end="  ",
        )
        found = (
            f"ours: common {s.common:.2f}, {s.changed} changed, {s.moved} moved, +{s.added} -{s.removed}, {s.verdict}"
            + (f" [degraded: {result.degraded}]" if result.degraded else "")
        )
        print(f"{found}; difflib: ratio {ratio:.2f}, {changes} change runs, no moves")
    print("\nreader.diffing: paragraphs aligned then words (rapidfuzz Indel opcodes), moves detected;")
    print("difflib: SequenceMatcher over the same word tokens (autojunk on), insert/delete/replace only.")


if __name__ == "__main__":
    main()
