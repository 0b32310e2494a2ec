"""Import benchmark: articles per second and peak memory, end to end, at N = 10,000 and 100,000.

    python bench/import_bench.py                    # N = 10,000 and 100,000
    python bench/import_bench.py --sizes 2000       # a quick run
    python bench/import_bench.py --sizes 100000 --keep /tmp/lib100k.sqlite3   # keep the library

Each run generates a JSONL corpus from real news sentences (mutated, with planted copies;
see bench/corpus.py), then times `reader import` on it in a fresh library as a separate
process, sampling the resident memory of the whole process tree (main + workers).
"CPU ms/article" is the CPU time of that whole tree per article, and "cores busy" that CPU time
over the wall time: the 1,000 articles/s target on 2 cores needs at most ~2 ms/article, spread
over both cores.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_jsonl  # noqa: E402


def tree_rss_bytes(pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    total = 0
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
        except (OSError, IndexError):
            continue
    stack = [pid]
    page = os.sysconf("SC_PAGE_SIZE")
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/statm", encoding="ascii") as handle:
                total += int(handle.read().split()[1]) * page
        except OSError:
            pass
        stack.extend(children.get(current, []))
    return total


def children_cpu_seconds() -> float:
    """User + system CPU of every waited-for child process (and theirs: the import's workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_import(corpus: Path, library: Path, workers: int | None) -> tuple[float, int, float, dict]:
    command = [sys.executable, "-m", "reader", "--library", str(library), "import", "--quiet", "--json", str(corpus)]
    if workers:
        command += ["--workers", str(workers)]
    peak = 0
    cpu_before = children_cpu_seconds()
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_bytes(proc.pid))
            time.sleep(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"import failed ({proc.returncode}):\n{err[-2000:]}")
    return elapsed, peak, children_cpu_seconds() - cpu_before, json.loads(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--workers", type=int, default=None, help="analysis processes (default: all cores)")
    parser.add_argument("--keep", type=Path, default=None, help="keep the library of the last size here")
    args = parser.parse_args()

    print(f"cores: {os.cpu_count()}   python {sys.version.split()[0]}")
    print(f"{'N':>8} {'seconds':>9} {'articles/s':>11} {'peak RSS MB':>12} {'CPU ms/article':>15} {'cores busy':>11}  imported/skipped/failed")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            corpus = write_jsonl(Path(tmp) / f"corpus-{n}.jsonl", n)
            library = Path(tmp) / f"lib-{n}.sqlite3"
            elapsed, peak, cpu, report = run_import(corpus, library, args.workers)
            print(
                f"{n:>8,} {elapsed:>9.1f} {n / elapsed:>11,.0f} {peak / 1e6:>12,.0f} {cpu / n * 1e3:>15.2f} {cpu / elapsed:>11.2f}  "
                f"{report['imported']}/{report['skipped']}/{report['failed']}",
                flush=True,
            )
            if args.keep and n == args.sizes[-1]:
                shutil.copy(library, args.keep)
                print(f"library kept at {args.keep}")


if __name__ == "__main__":
    main()
