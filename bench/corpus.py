"""Synthetic-but-real corpora for benchmarks: real news sentences, mutated, with planted copies.

Sentences come from the dev corpora (../shared/corpora: ECB+ English news, the German,
Portuguese and English feeds) and the bundled seeds (English and French). Articles are
streamed as JSONL, never held in memory, so the generator scales to any N.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
SEEDS = ROOT / "seeds"

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý0-9«\"“])")


def _split_sentences(text: str) -> list[str]:
    out = []
    for para in text.split("\n"):
        for sentence in _SENTENCE_END.split(para.strip()):
            if 40 <= len(sentence) <= 400:
                out.append(sentence.strip())
    return out


def _feed_texts() -> Iterator[tuple[str, str]]:
    """(lang, text) of every feed item, parsed with feedparser when it is installed."""
    try:
        import feedparser
        from lxml import html as lxml_html
    except ImportError:
        return
    langs = {"heise.atom": "de", "uolNoticias.rss": "pt", "guardian.rss": "en", "rss-1.rss": "en"}
    for path in sorted((CORPORA / "feeds").glob("*")):
        parsed = feedparser.parse(path.read_bytes())
        for entry in parsed.entries:
            body = entry.get("content", [{}])[0].get("value") or entry.get("summary", "")
            if body:
                try:
                    text = lxml_html.fromstring(body).text_content()
                except Exception:
                    continue
                yield langs.get(path.name, "en"), text


def sentence_pools() -> dict[str, list[str]]:
    """Real sentences by language."""
    pools: dict[str, list[str]] = {}
    dev = CORPORA / "ecbplus_dev.jsonl"
    if dev.exists():
        for line in dev.open(encoding="utf-8"):
            item = json.loads(line)
            pools.setdefault(item.get("lang") or "en", []).extend(_split_sentences(item["text"]))
    for lang, text in _feed_texts():
        pools.setdefault(lang, []).extend(_split_sentences(text))
    for seed in sorted(SEEDS.glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        lang = "fr" if "Passer au contenu" in text[:40] else "en"
        pools.setdefault(lang, []).extend(_split_sentences(text))
    return {k: v for k, v in pools.items() if len(v) >= 20}


def weighted_pools() -> tuple[dict[str, list[str]], list[str], list[float]]:
    """The sentence pools, their languages, and how often to draw each: English 70%, the
    others sharing the rest."""
    pools = sentence_pools()
    if not pools:
        raise SystemExit("no source text: ../shared/corpora is missing")
    langs = sorted(pools)
    weights = [0.7 if lang == "en" else 0.3 / max(1, len(langs) - 1) for lang in langs]
    return pools, langs, weights


def _mutate(sentence: str, rng: random.Random) -> str:
    words = sentence.split()
    for _ in range(rng.randint(0, 3)):
        i = rng.randrange(len(words))
        roll = rng.random()
        if roll < 0.4:
            words[i] = str(rng.randint(2, 2000))
        elif roll < 0.7 and len(words) > 5:
            del words[i]
        else:
            words.insert(i, rng.choice(words))
    return " ".join(words)


def generate(n: int, seed: int = 7, copy_rate: float = 0.15) -> Iterator[dict]:
    """Yield n article dicts (the JSONL import format), about copy_rate of them planted copies."""
    rng = random.Random(seed)
    pools, langs, weights = weighted_pools()
    recent: list[dict] = []
    sources = [f"outlet-{i}" for i in range(60)]
    for i in range(n):
        if recent and rng.random() < copy_rate:
            original = rng.choice(recent)
            paragraphs = original["text"].split("\n\n")
            if rng.random() < 0.5:  # near copy: an edited paragraph and a boilerplate line
                j = rng.randrange(len(paragraphs))
                paragraphs[j] = _mutate(paragraphs[j], rng)
                paragraphs.append("Subscribe to our newsletter for more news.")
            text = "\n\n".join(paragraphs)
            item = dict(original, id=f"gen-{i}", source=rng.choice(sources), text=text)
        else:
            lang = rng.choices(langs, weights)[0]
            pool = pools[lang]
            sentences = [_mutate(rng.choice(pool), rng) for _ in range(rng.randint(6, 30))]
            paragraphs = [" ".join(sentences[k : k + 3]) for k in range(0, len(sentences), 3)]
            day = rng.randint(1, 28)
            item = {
                "id": f"gen-{i}",
                "title": sentences[0][:90],
                "text": "\n\n".join(paragraphs),
                "source": rng.choice(sources),
                "url": f"https://example.org/{lang}/{i}",
                "date": f"2024-{rng.randint(1, 12):02d}-{day:02d}",
            }
            recent.append(item)
            if len(recent) > 500:
                recent.pop(rng.randrange(len(recent)))
        yield item


def write_jsonl(path: Path, n: int, seed: int = 7) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for item in generate(n, seed):
            handle.write(json.dumps(item, ensure_ascii=False))
            handle.write("\n")
    return path
