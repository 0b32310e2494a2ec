"""Duplicate detection quality: planted copies in real news text, pair precision and recall.

    python bench/eval_duplicates.py                 # the default plant (seed 1)
    python bench/eval_duplicates.py --seeds 1 2 3   # several plants; medians are printed too
    python bench/eval_duplicates.py --verbose       # list every wrong or missed pair

Real text: the ECB+ dev articles, the items of the feed snapshots (read by reader's own
feed reader) and the bundled seeds. Every one of them is imported as it is: independently
written articles about the same events (ECB+ topics, the seeds' TikTok/Oracle story) are
the hard negatives. Into that, copies are planted:

* exact: the same text under another title and source;
* near: light edits of the whole text, one to three of: words substituted (1-4 %), words
  deleted (1-4 %), the intro rewritten (the first sentence, at most 15 % of the words, replaced by as many words of
  another article), boilerplate lines added (at most 15 %: newsletter, copyright ...);
* contained: a prefix of the text (15-45 % of its words, cut at a sentence end, sometimes
  with a word or two changed), or the whole text placed inside a longer page between other
  articles (it is at most 40 % of the page; pages that cleaning cuts short are left out).

Everything is written to a JSON Lines file in shuffled order and imported through the real
pipeline (``import_inputs``: ingest, cleaning, workers, every library stage) into a fresh
temporary library, in batches, so copies meet their originals across batches as well.

Scoring. Each imported article knows which source texts it is made of. A found pair is
*correct* when the two share a source text (two copies of one article are duplicates of
each other too); otherwise it is a false duplicate. Recall is over the planted pairs
(original, copy) and the pages' parts; a planted pair counts for its relation only when it
was found with that relation (and, for ``contained``, the right way round).
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
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
sys.path.insert(0, str(ROOT))

from rapidfuzz.distance import LCSseq

from reader.config import Limits
from reader.ingest import read_inputs
from reader.model import RawArticle
from reader.pipeline import import_inputs
from reader.store import open_library
from reader.text.cleaning import clean_text

RELATIONS = ("exact", "near", "contained")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý0-9«\"“])")
MIN_PLANT_WORDS = 40

BOILERPLATE = {
    "en": [
        "Subscribe to our newsletter to get the latest news delivered to your inbox every morning.",
        "Copyright 2024 Example Media Group. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.",
        "Follow us on Twitter, Facebook and Instagram for breaking news and updates.",
        "Read more: our full coverage of the story and the latest analysis from our correspondents.",
        "This article was updated to include additional reporting.",
        "Sign up for our daily briefing.",
        "Advertisement",
    ],
    "de": [
        "Abonnieren Sie unseren Newsletter und erhalten Sie jeden Morgen die wichtigsten Nachrichten.",
        "Alle Rechte vorbehalten. Vervielfältigung nur mit Genehmigung des Verlags.",
        "Mehr zum Thema lesen Sie in unserem Dossier.",
    ],
    "pt": [
        "Assine nossa newsletter e receba as principais notícias do dia no seu e-mail.",
        "Todos os direitos reservados. É proibida a reprodução do conteúdo sem autorização.",
        "Leia mais: a cobertura completa do caso.",
    ],
    "fr": [
        "Abonnez-vous à notre newsletter pour recevoir l'essentiel de l'actualité chaque matin.",
        "Tous droits réservés. Reproduction interdite sans autorisation.",
        "Lire aussi : notre dossier complet sur le sujet.",
    ],
}


@dataclass
class Item:
    external_id: str
    title: str
    text: str
    lang: str
    parts: set[str]  # ids of the source texts this article is made of
    source: str = "outlet"


@dataclass
class Plant:
    items: list[Item] = field(default_factory=list)
    gold: dict[tuple[str, str], str] = field(default_factory=dict)  # (a, b) -> relation; contained: a inside b


# -- real text --------------------------------------------------------------------------------------


def real_texts() -> list[Item]:
    items: list[Item] = []
    dev = CORPORA / "ecbplus_dev.jsonl"
    for line in dev.open(encoding="utf-8"):
        record = json.loads(line)
        items.append(Item(f"ecb/{record['id']}", record["title"], record["text"], record.get("lang") or "en", set()))
    inputs = [str(p) for p in sorted((CORPORA / "feeds").glob("*"))] + [str(p) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    langs = {"heise": "de", "uolNoticias": "pt", "002_": "fr"}
    for raw in read_inputs(inputs, Limits()):
        if isinstance(raw, RawArticle) and raw.text.strip():
            lang = next((v for k, v in langs.items() if k in raw.origin), "en")
            items.append(Item(f"real/{raw.external_id}", raw.title, raw.text, lang, set()))
    for item in items:
        item.parts = {item.external_id}
    return items


def paragraphs_of(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]


def sentences_of(text: str) -> list[str]:
    return [s.strip() for p in paragraphs_of(text) for s in _SENTENCE_END.split(p) if s.strip()]


# -- edits ------------------------------------------------------------------------------------------


def substitute_words(text: str, rng: random.Random, rate: float, vocabulary: list[str]) -> str:
    out = []
    for paragraph in paragraphs_of(text):
        words = paragraph.split()
        for i in range(len(words)):
            if rng.random() < rate:
                words[i] = rng.choice(vocabulary)
        out.append(" ".join(words))
    return "\n\n".join(out)


def delete_words(text: str, rng: random.Random, rate: float) -> str:
    out = []
    for paragraph in paragraphs_of(text):
        words = [w for w in paragraph.split() if rng.random() >= rate]
        if words:
            out.append(" ".join(words))
    return "\n\n".join(out)


def rewrite_intro(text: str, rng: random.Random, donor: str) -> str | None:
    """The first sentences (at most 15 % of the words) replaced by about as many words of another article."""
    sentences = sentences_of(text)
    total = sum(len(x.split()) for x in sentences)
    intro_words = len(sentences[0].split()) if sentences else 0
    if len(sentences) < 3 or intro_words > 0.15 * total:
        return None
    donor_words = " ".join(sentences_of(donor)).split()
    start = rng.randrange(max(1, len(donor_words) - intro_words))
    intro = " ".join(donor_words[start : start + intro_words]).rstrip(".") + "."
    return " ".join([intro, *sentences[1:]])


def add_boilerplate(text: str, rng: random.Random, lang: str) -> str:
    """One or two boilerplate lines, adding at most 15 % to the text."""
    paragraphs = paragraphs_of(text)
    budget = 0.15 * len(text.split())
    lines = [line for line in BOILERPLATE.get(lang, BOILERPLATE["en"]) if len(line.split()) <= budget]
    for line in rng.sample(lines, k=min(len(lines), rng.randint(1, 2))):
        if len(line.split()) > budget:
            break
        budget -= len(line.split())
        if rng.random() < 0.5:
            paragraphs.append(line)
        else:
            paragraphs.insert(rng.randint(0, min(1, len(paragraphs))), line)
    return "\n\n".join(paragraphs)


def near_copy(item: Item, rng: random.Random, donor: Item, vocabulary: list[str]) -> str:
    """Light edits: one to three of the four kinds, changing at most about a fifth of the text."""
    edits = rng.sample(["substitute", "delete", "intro", "boilerplate"], k=rng.randint(1, 3))
    text = item.text
    for edit in edits:
        if edit == "substitute":
            text = substitute_words(text, rng, rng.uniform(0.01, 0.04), vocabulary)
        elif edit == "delete":
            text = delete_words(text, rng, rng.uniform(0.01, 0.04))
        elif edit == "intro":
            text = rewrite_intro(text, rng, donor.text) or text
        else:
            text = add_boilerplate(text, rng, item.lang)
    return text


def prefix_of(item: Item, rng: random.Random, vocabulary: list[str]) -> str | None:
    sentences = sentences_of(item.text)
    total = sum(len(s.split()) for s in sentences)
    share = rng.uniform(0.15, 0.45)
    kept: list[str] = []
    words = 0
    for sentence in sentences:
        if kept and words + len(sentence.split()) > share * total:
            break
        kept.append(sentence)
        words += len(sentence.split())
    if words < 30 or words > 0.5 * total:
        return None
    text = " ".join(kept)
    if rng.random() < 0.3:  # a word or two changed
        text = substitute_words(text, rng, 0.02, vocabulary)
    return text


def page_around(item: Item, rng: random.Random, fillers: list[Item]) -> tuple[str, list[Item]]:
    """A longer page: the item among other articles, which make at least 60 % of the page."""
    words = len(item.text.split())
    others: list[Item] = []
    while sum(len(o.text.split()) for o in others) < 1.5 * words:
        other = rng.choice(fillers)
        if other.external_id != item.external_id and other not in others:
            others.append(other)
    parts = [*others]
    parts.insert(rng.randint(0, len(parts)), item)
    return "\n\n".join(p.text for p in parts), others


# -- planting --------------------------------------------------------------------------------------


def clean_words(item: Item) -> int:
    return len(clean_text(item.text, title=item.title).split())


def squeezed(text: str) -> str:
    return " ".join(text.split())


def plant(seed: int, copies: int) -> Plant:
    rng = random.Random(seed)
    originals = real_texts()
    vocabulary = [w for item in originals for w in item.text.split() if w.isalpha()]
    candidates = [o for o in originals if clean_words(o) >= MIN_PLANT_WORDS]
    result = Plant(items=list(originals))
    for n in range(copies):
        original = rng.choice(candidates)
        roll = rng.random()
        copy_id = f"plant/{n}"
        title = f"{original.title} ({rng.choice(['update', 'AP', 'Reuters'])})" if rng.random() < 0.5 else original.title
        if roll < 0.1:
            text, relation, parts, title = original.text, "exact", {original.external_id}, original.title
        elif roll < 0.6:
            donor = rng.choice([o for o in candidates if o is not original])
            text, relation, parts = near_copy(original, rng, donor, vocabulary), "near", {original.external_id}
        elif roll < 0.8:
            found = prefix_of(original, rng, vocabulary)
            if found is None:
                continue
            text, relation, parts = found, "contained", {original.external_id}
        else:
            text, others = page_around(original, rng, candidates)
            relation, parts = "contained-page", {original.external_id, *(o.external_id for o in others)}
            page = squeezed(clean_text(text, title=title))
            if squeezed(clean_text(original.text, title=original.title)) not in page:
                continue  # cleaning cut the page short (a comment section before the story, say)
            for other in others:  # the other articles on the page are inside it too, when small enough
                whole = squeezed(clean_text(other.text, title=other.title)) in page
                if whole and len(other.text.split()) <= 0.4 * len(text.split()):
                    result.gold[(other.external_id, copy_id)] = "contained"
        result.items.append(Item(copy_id, title, text, original.lang, parts, source=f"outlet-{rng.randint(1, 40)}"))
        if relation == "contained":
            result.gold[(copy_id, original.external_id)] = "contained"
        elif relation == "contained-page":
            result.gold[(original.external_id, copy_id)] = "contained"
        else:
            result.gold[tuple(sorted((original.external_id, copy_id)))] = relation  # type: ignore[index]
    rng.shuffle(result.items)
    return result


# -- the reference judge ---------------------------------------------------------------------------

_JUDGE_WORD = re.compile(r"\w+")


def aligned_coverage(a: list[str], b: list[str], min_run: int = 5) -> tuple[float, float]:
    """Shares of a's and b's words in runs of >= min_run words aligned between them in order
    (a longest-common-subsequence alignment of the word sequences, by rapidfuzz)."""
    if not a or not b:
        return 0.0, 0.0
    aligned = 0
    for block in LCSseq.opcodes(a, b).as_matching_blocks():
        if block.size >= min_run:
            aligned += block.size
    return aligned / len(a), aligned / len(b)


def judged_copies(a_text: str, b_text: str) -> bool:
    """The independent check of a pair the planting does not explain: are they copies?

    Yes when at least 70 % of one text, or 60 % of each, is aligned with the other in runs
    of five words or more: 0.1 below reader's own thresholds (which count shingles, not an
    alignment), so that only a pair that is clearly not a copy counts as a false duplicate."""
    a = _JUDGE_WORD.findall(a_text.lower())
    b = _JUDGE_WORD.findall(b_text.lower())
    a_share, b_share = aligned_coverage(a, b)
    return max(a_share, b_share) >= 0.7 or min(a_share, b_share) >= 0.6


# -- scoring ---------------------------------------------------------------------------------------


@dataclass
class Score:
    gold: dict[str, int] = field(default_factory=dict)  # planted pairs per relation
    found: dict[str, int] = field(default_factory=dict)  # pairs found per relation
    false: dict[str, int] = field(default_factory=dict)  # found, neither planted nor judged copies
    recalled: dict[str, int] = field(default_factory=dict)  # planted pairs found with their relation
    recalled_any: int = 0  # planted pairs found with any relation
    real_copies: int = 0  # found pairs the planting does not explain but the judge confirms
    errors: list[str] = field(default_factory=list)

    def precision(self, relation: str | None = None) -> float:
        found = sum(self.found.values()) if relation is None else self.found.get(relation, 0)
        false = sum(self.false.values()) if relation is None else self.false.get(relation, 0)
        return 1 - false / found if found else 1.0

    def recall(self, relation: str | None = None) -> float:
        if relation is None:
            total = sum(self.gold.values())
            return self.recalled_any / total if total else 1.0
        return self.recalled.get(relation, 0) / self.gold[relation] if self.gold.get(relation) else 1.0


def copy_families(items: list[Item]) -> dict[str, str]:
    """Real articles that are already copies of each other (wire stories carried by several
    outlets), by the judge: {article id: id of its family}. Only pairs sharing a run of eight
    words are judged."""
    real = [item for item in items if not item.external_id.startswith("plant/")]
    words = {item.external_id: _JUDGE_WORD.findall(clean_text(item.text, title=item.title).lower()) for item in real}
    family = {item.external_id: item.external_id for item in real}

    def root(x: str) -> str:
        while family[x] != x:
            family[x] = family[family[x]]
            x = family[x]
        return x

    holders: dict[tuple[str, ...], set[str]] = {}
    for item_id, item_words in words.items():
        for i in range(len(item_words) - 7):
            holders.setdefault(tuple(item_words[i : i + 8]), set()).add(item_id)
    pairs = {tuple(sorted((a, b))) for ids in holders.values() if 1 < len(ids) < 50 for a in ids for b in ids if a < b}
    for a, b in pairs:
        a_share, b_share = aligned_coverage(words[a], words[b])
        if max(a_share, b_share) >= 0.7 or min(a_share, b_share) >= 0.6:
            family[root(a)] = root(b)
    return {item_id: root(item_id) for item_id in family}


def score(planted: Plant, found: list[tuple[str, str, str, float]], texts: dict[str, str], verbose: bool) -> Score:
    """Score the pairs found; ``texts`` are the clean texts as stored, for the judge."""
    families = copy_families(planted.items)
    parts = {item.external_id: {families.get(p, p) for p in item.parts} for item in planted.items}
    result = Score()
    for relation in planted.gold.values():
        result.gold[relation] = result.gold.get(relation, 0) + 1
    found_as: dict[tuple[str, str], str] = {}
    for a, b, relation, value in found:
        result.found[relation] = result.found.get(relation, 0) + 1
        found_as[(a, b)] = relation
        if relation == "exact" or parts.get(a, set()) & parts.get(b, set()):
            continue  # exact is the same clean text by construction; planted family: correct
        if judged_copies(texts[a], texts[b]):
            result.real_copies += 1
            if verbose:
                result.errors.append(f"real copy {relation} {value:.3f}: {a} ~ {b}")
            continue
        result.false[relation] = result.false.get(relation, 0) + 1
        result.errors.append(f"FALSE {relation} {value:.3f}: {a} ~ {b}")
    for (a, b), relation in planted.gold.items():
        got = found_as.get((a, b)) or found_as.get((b, a))
        if relation == "contained" and found_as.get((b, a)) == "contained":
            got = "contained the wrong way"
        if relation == "near" and got == "exact":
            got = "near"  # the edits were all undone by cleaning (boilerplate lines removed)
        if got is not None:
            result.recalled_any += 1
        if got == relation:
            result.recalled[relation] = result.recalled.get(relation, 0) + 1
        else:
            result.errors.append(f"MISSED {relation} (found {got}): {a} ~ {b}")
    if verbose:
        for line in result.errors:
            print("  " + line)
    return result


def run(seed: int, copies: int, verbose: bool) -> tuple[Score, float, int]:
    planted = plant(seed, copies)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "plant.jsonl"
        with corpus.open("w", encoding="utf-8") as handle:
            for item in planted.items:
                record = {"id": item.external_id, "title": item.title, "text": item.text, "source": item.source, "lang": item.lang}
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        library = open_library(Path(tmp) / "library.sqlite3")
        start = time.perf_counter()
        report = import_inputs(library, [str(corpus)], batch_size=200)
        elapsed = time.perf_counter() - start
        found = [(p.a.external_id, p.b.external_id, p.relation, p.score) for p in library.iter_duplicate_pairs()]
        ids = {p.a.id for p in library.iter_duplicate_pairs()} | {p.b.id for p in library.iter_duplicate_pairs()}
        texts = {}
        for article_id in ids:
            article = library.get_article(article_id)
            texts[article.external_id] = article.text or ""
        library.close()
    if report.failed:
        print(f"  warning: {report.failed} articles failed to import", file=sys.stderr)
    return score(planted, found, texts, verbose), elapsed, len(planted.items)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1])
    parser.add_argument("--copies", type=int, default=400, help="planted copies per run")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    if not CORPORA.is_dir():
        raise SystemExit("../shared/corpora is missing")
    rows: dict[str, list[tuple[float, float]]] = {}
    for seed in args.seeds:
        result, elapsed, n = run(seed, args.copies, args.verbose)
        print(f"seed {seed}: {n} articles imported in {elapsed:.1f} s; {sum(result.found.values())} pairs found, "
              f"{sum(result.false.values())} false, {result.real_copies} copies already in the real text")
        print(f"  {'relation':<10} {'planted':>8} {'found':>7} {'precision':>10} {'recall':>8}")
        for relation in RELATIONS:
            p, r = result.precision(relation), result.recall(relation)
            rows.setdefault(relation, []).append((p, r))
            print(f"  {relation:<10} {result.gold.get(relation, 0):>8} {result.found.get(relation, 0):>7} {p:>10.4f} {r:>8.4f}")
        p, r = result.precision(), result.recall()
        rows.setdefault("overall", []).append((p, r))
        print(f"  {'overall':<10} {sum(result.gold.values()):>8} {sum(result.found.values()):>7} {p:>10.4f} {r:>8.4f}")
    if len(args.seeds) > 1:
        print(f"median over {len(args.seeds)} seeds:")
        for relation, values in rows.items():
            print(f"  {relation:<10} precision {statistics.median(v[0] for v in values):.4f}  "
                  f"recall {statistics.median(v[1] for v in values):.4f}")
    print("targets: precision >= 0.99, recall >= 0.95")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
