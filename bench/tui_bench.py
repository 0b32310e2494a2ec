"""TUI benchmark: the reading app on a 100,000-article library beside an empty Textual app.

    python bench/tui_bench.py                      # build (first time) or reuse the library, 5 runs
    python bench/tui_bench.py --runs 3 --articles 20000
    python bench/tui_bench.py --library /tmp/lib100k.sqlite3   # any library (e.g. from import_bench --keep)

Each run is a fresh process per app, timed with ``App.run_test()``:

* start-up: from the first line of the process (before Textual is imported) to the first
  frame with the cluster list drawn;
* 100 cursor moves in the sidebar (``j``), a frame drawn after each;
* 50 page-downs in a 100,000-word article, a frame drawn after each;
* resident memory at the end (VmRSS) and its peak.

The empty app gets the same key presses (which it ignores): that is the floor of key
dispatch plus a frame. For paging, a ``Static`` in a ``VerticalScroll`` holding a
2,000-word article is timed too (20 page-downs), the widget the issue measured at
~160 ms a page. Medians of ``--runs`` runs are printed, with ratios to the empty app.

The library is built once and cached (``--library``, default under the user cache dir).
Importing 100,000 articles through ``reader import`` runs every analysis stage and is
far slower than this benchmark needs, so by default the library is written through
the store directly (``Library.upsert_articles`` + clusters of 1 to 6 articles, some
exact copies; real news sentences from ../shared/corpora when present, else a word
list), plus one 100,000-word article. ``--via-pipeline`` imports the same records
through ``reader.pipeline.import_records`` with worker processes instead.
"""

from __future__ import annotations

import time

T0 = time.perf_counter()  # the child's start-up clock starts here, before Textual is imported

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LONG_WORDS = 100_000
SIZE = (120, 40)
MOVES = 100
PAGES = 50
STATIC_PAGES = 20
META_LONG = "bench.long_article_id"
META_COUNT = "bench.articles"


# -- building the library ------------------------------------------------------------------------


def _sentence_pool(rng: random.Random) -> list[str]:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from corpus import sentence_pools  # real news sentences (../shared/corpora and seeds)

        pools = sentence_pools()
        sentences = [s for pool in pools.values() for s in pool]
        if len(sentences) > 200:
            return sentences
    except (ImportError, SystemExit, OSError):
        pass
    words = "the a of to in and said on for with by government minister market city police report new year week people".split()
    return [" ".join(rng.choice(words) for _ in range(rng.randint(8, 24))).capitalize() + "." for _ in range(5000)]


def _records(n: int, seed: int = 11):
    """(cluster number, RawArticle) pairs: stories of 1-6 articles, some exact copies."""
    from reader.model import RawArticle

    rng = random.Random(seed)
    pool = _sentence_pool(rng)
    sources = [f"outlet-{i}" for i in range(80)]
    langs = ["en"] * 7 + ["fr", "de", "pt"]
    made = 0
    story = 0
    while made < n:
        size = min(n - made, rng.choice((1, 1, 1, 1, 1, 2, 2, 3, 4, 6)))
        lang = rng.choice(langs)
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        base = [rng.choice(pool) for _ in range(rng.randint(6, 30))]
        for k in range(size):
            if k and rng.random() < 0.3:
                sentences = base  # an exact copy from another outlet
            else:
                sentences = [s if rng.random() > 0.2 else rng.choice(pool) for s in base]
            text = "\n\n".join(" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3))
            yield story, RawArticle(
                external_id=f"bench-{made}",
                title=sentences[0][:90],
                text=text,
                origin="bench",
                url=f"https://example.org/{lang}/{made}",
                date=f"2024-{month:02d}-{day:02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00",
                lang=lang,
                source=rng.choice(sources),
            )
            made += 1
        story += 1


def _long_article(rng: random.Random):
    from reader.model import RawArticle

    pool = _sentence_pool(rng)
    paragraphs, words = [], 0
    while words < LONG_WORDS:
        paragraph = " ".join(rng.choice(pool) for _ in range(rng.randint(3, 8)))
        words += len(paragraph.split())
        paragraphs.append(paragraph)
    return RawArticle(
        external_id="bench-long", title="A very long article (100,000 words)", text="\n\n".join(paragraphs),
        origin="bench", date="2024-12-31T23:59:00", lang="en", source="outlet-long",
    )


def build_direct(path: Path, n: int) -> None:
    """Write the articles and their clusters through the store API (no analysis stages)."""
    from reader.model import PreparedArticle
    from reader.store import open_library
    from reader.text.normalize import content_hash

    def prepared(raw):
        return PreparedArticle(raw=raw, text=raw.text, content_hash=content_hash(raw.text), lang=raw.lang,
                               lang_prob=None, date=raw.date, date_origin="metadata")

    library = open_library(path)
    batch: list[tuple[int, object]] = []

    def flush() -> None:
        with library.transaction():
            results = library.upsert_articles([prepared(raw) for _, raw in batch])
            stories: dict[int, list[int]] = {}
            for (story, _), result in zip(batch, results):
                if result.status == "inserted":
                    stories.setdefault(story, []).append(result.article_id)
            touched = []
            for story, ids in stories.items():
                label = next(raw.title for s, raw in batch if s == story)
                cluster_id = library.create_cluster(label)
                library.set_cluster_of(ids, cluster_id)
                touched.append(cluster_id)
            library.refresh_cluster_stats(touched)
        batch.clear()

    start = time.perf_counter()
    for item in _records(n):
        if len(batch) >= 2000 and item[0] != batch[-1][0]:
            flush()
            print(f"\r  {library.article_count():,} articles", end="", file=sys.stderr, flush=True)
        batch.append(item)
    batch.append((-1, _long_article(random.Random(5))))
    flush()
    _finish(library, n)
    print(f"\r  built {n:,} articles in {time.perf_counter() - start:.0f} s (direct store path)", file=sys.stderr)
    library.close()


def build_via_pipeline(path: Path, n: int) -> None:
    from reader.pipeline import import_records
    from reader.store import open_library

    library = open_library(path)
    start = time.perf_counter()
    records = (raw for _, raw in _records(n))
    import_records(library, records, workers=os.cpu_count())
    import_records(library, [_long_article(random.Random(5))], workers=1)
    _finish(library, n)
    print(f"  imported {n:,} articles in {time.perf_counter() - start:.0f} s (pipeline)", file=sys.stderr)
    library.close()


def _finish(library, n: int) -> None:
    long = library.find_article("bench-long")
    with library.transaction():
        library.set_meta(META_LONG, str(long.id))
        library.set_meta(META_COUNT, str(n))


def _add_long_article(library) -> int:
    """Add the 100,000-word article (in a cluster of its own) to a library made elsewhere."""
    from reader.model import PreparedArticle
    from reader.text.normalize import content_hash

    raw = _long_article(random.Random(5))
    with library.transaction():
        result = library.upsert_articles(
            [PreparedArticle(raw=raw, text=raw.text, content_hash=content_hash(raw.text), lang="en",
                             lang_prob=None, date=raw.date, date_origin="metadata")]
        )[0]
        cluster_id = library.create_cluster(raw.title)
        library.set_cluster_of([result.article_id], cluster_id)
        library.refresh_cluster_stats([cluster_id])
        library.set_meta(META_LONG, str(result.article_id))
    return result.article_id


def ensure_library(path: Path, n: int, via_pipeline: bool, *, cached: bool) -> int:
    """Reuse the library (the cache only when it has ``n`` articles); returns the long article's id."""
    from reader.store import open_library

    if path.exists():
        library = open_library(path)
        try:
            long_id, count = library.get_meta(META_LONG), library.get_meta(META_COUNT)
            stale = cached and (count is None or int(count) != n)
            if not stale:
                return int(long_id) if long_id is not None else _add_long_article(library)
        finally:
            library.close()
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    print(f"building a {n:,}-article library at {path} …", file=sys.stderr)
    (build_via_pipeline if via_pipeline else build_direct)(path, n)
    return ensure_library(path, n, via_pipeline, cached=cached)


# -- children: one app per process ---------------------------------------------------------------


def _rss_mb() -> tuple[float, float]:
    import resource

    current = 0.0
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    current = int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return current, peak


def _frame(app) -> None:
    """Draw a frame now, as the screen's update timer would (what a terminal user waits for)."""
    app.screen._on_timer_update()


async def _presses(app, pilot, key: str, count: int) -> float:
    start = time.perf_counter()
    for _ in range(count):
        await pilot.press(key)
        _frame(app)
    return time.perf_counter() - start


async def child_reader(library: Path, long_id: int) -> dict:
    from reader.tui.app import ReaderApp

    imported = time.perf_counter() - T0
    app = ReaderApp(library, mark_read_after=3600)
    async with app.run_test(size=SIZE) as pilot:
        entered = time.perf_counter() - T0
        await app.loaded.wait()
        await pilot.pause()
        _frame(app)
        startup = time.perf_counter() - T0
        main = app.main_screen
        main.sidebar.focus()
        await pilot.pause()
        moves = await _presses(app, pilot, "j", MOVES)
        main.open_article(long_id)
        main.article_view.focus()
        await pilot.pause()
        _frame(app)
        pages = await _presses(app, pilot, "pagedown", PAGES)
        lines = main.article_view.line_count
        rss, peak = _rss_mb()
        clusters = main.sidebar.pages.total
    return {"startup": startup, "moves": moves, "pages": pages, "rss": rss, "peak": peak, "lines": lines, "clusters": clusters,
            "imported": imported, "entered": entered}


async def child_empty() -> dict:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Empty(App):
        def compose(self) -> ComposeResult:
            yield Static("")

    imported = time.perf_counter() - T0
    app = Empty()
    async with app.run_test(size=SIZE) as pilot:
        entered = time.perf_counter() - T0
        await pilot.pause()
        _frame(app)
        startup = time.perf_counter() - T0
        moves = await _presses(app, pilot, "j", MOVES)
        pages = await _presses(app, pilot, "pagedown", PAGES)
        rss, peak = _rss_mb()
    return {"startup": startup, "moves": moves, "pages": pages, "rss": rss, "peak": peak, "imported": imported, "entered": entered}


async def child_static() -> dict:
    """A 2,000-word article in a Static inside a VerticalScroll (the naive pane)."""
    from textual.app import App, ComposeResult
    from textual.containers import VerticalScroll
    from textual.widgets import Static

    rng = random.Random(3)
    pool = _sentence_pool(rng)
    paragraphs, words = [], 0
    while words < 2000:
        paragraph = " ".join(rng.choice(pool) for _ in range(4))
        words += len(paragraph.split())
        paragraphs.append(paragraph)

    class Naive(App):
        def compose(self) -> ComposeResult:
            with VerticalScroll():
                yield Static("\n\n".join(paragraphs), markup=False)

    app = Naive()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.query_one(VerticalScroll).focus()
        _frame(app)
        pages = await _presses(app, pilot, "pagedown", STATIC_PAGES)
    return {"pages": pages}


def run_child(kind: str, library: Path, long_id: int) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", kind, "--library", str(library), "--long-id", str(long_id)]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # as installed: bytecode cached
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)
    if done.returncode != 0:
        raise SystemExit(f"{kind} run failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--library", type=Path, default=None, help="library to use (built there if missing)")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--via-pipeline", action="store_true", help="build through the import pipeline (slow)")
    parser.add_argument("--child", choices=("reader", "empty", "static"), help=argparse.SUPPRESS)
    parser.add_argument("--long-id", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        import asyncio

        if args.child == "reader":
            result = asyncio.run(child_reader(args.library, args.long_id))
        elif args.child == "empty":
            result = asyncio.run(child_empty())
        else:
            result = asyncio.run(child_static())
        print(json.dumps(result))
        return

    sys.path.insert(0, str(ROOT))
    cached = args.library is None
    if cached:
        import platformdirs

        args.library = platformdirs.user_cache_path("reader") / "bench" / f"tui-{args.articles}.sqlite3"
    long_id = ensure_library(args.library, args.articles, args.via_pipeline, cached=cached)

    reader_runs, empty_runs, static_runs = [], [], []
    run_child("empty", args.library, long_id)  # warm-up: bytecode written, the file in the page cache
    run_child("reader", args.library, long_id)
    for _ in range(args.runs):  # interleaved, so drift in machine load hits both alike
        empty_runs.append(run_child("empty", args.library, long_id))
        reader_runs.append(run_child("reader", args.library, long_id))
    for _ in range(max(1, args.runs // 2)):
        static_runs.append(run_child("static", args.library, long_id))

    def med(runs: list[dict], key: str) -> float:
        return statistics.median(r[key] for r in runs)

    first = reader_runs[0]
    print(f"library: {args.library}  ({first['clusters']:,} clusters; long article {first['lines']:,} lines at {SIZE[0]} columns)")
    print(f"terminal {SIZE[0]}x{SIZE[1]}, medians of {args.runs} runs, one process per run, python {sys.version.split()[0]}")
    print(f"{'':34}{'reader':>12}{'empty app':>12}{'ratio':>8}")
    rows = [
        ("start-up to first frame (s)", "startup", 1.0),
        (f"{MOVES} sidebar moves (ms each)", "moves", 1000 / MOVES),
        (f"{PAGES} page-downs, 100k words (ms each)", "pages", 1000 / PAGES),
    ]
    print(f"{'  of which: imports done (s)':34}{med(reader_runs, 'imported'):>12.3f}{med(empty_runs, 'imported'):>12.3f}")
    print(f"{'  of which: app running (s)':34}{med(reader_runs, 'entered'):>12.3f}{med(empty_runs, 'entered'):>12.3f}")
    for label, key, scale in rows:
        r, e = med(reader_runs, key) * scale, med(empty_runs, key) * scale
        print(f"{label:34}{r:>12.3f}{e:>12.3f}{r / e:>8.2f}")
    static_page = med(static_runs, "pages") * 1000 / STATIC_PAGES
    print(f"{'page-down, Static 2k words (ms each)':34}{static_page:>12.3f}{med(empty_runs, 'pages') * 1000 / PAGES:>12.3f}"
          f"{static_page / (med(empty_runs, 'pages') * 1000 / PAGES):>8.2f}   (the naive pane, for reference)")
    print(f"{'resident memory (MB)':34}{med(reader_runs, 'rss'):>12.0f}{med(empty_runs, 'rss'):>12.0f}"
          f"   peak {med(reader_runs, 'peak'):.0f} MB (target <= 300)")
    ok_start = med(reader_runs, "startup") <= 1.5 * med(empty_runs, "startup")
    ok_mem = med(reader_runs, "peak") <= 300
    print(f"start-up <= 1.5x empty: {'yes' if ok_start else 'NO'};  memory <= 300 MB: {'yes' if ok_mem else 'NO'}")


if __name__ == "__main__":
    main()
