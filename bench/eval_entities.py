"""Entity recognition quality against CoNLL-style gold: span precision, recall and F1.

Usage: python bench/eval_entities.py FILE [FILE ...] [--errors]

FILE holds one ``token<TAB>tag`` per line with IOB2 tags (B-PER, I-ORG, B-LOC, B-MISC ...),
a blank line between sentences and ``-DOCSTART-`` lines between documents (lines starting
with ``#`` are comments). Each document is rebuilt as text (tokens joined by spaces, one
sentence per line), its language detected, and given to the recognizer; predicted
character spans are mapped back onto tokens. A span counts when its token boundaries
match exactly (untyped), and also its type (typed: PERSON=PER, ORG=ORG, PLACE=LOC,
OTHER=MISC).

The peer baseline in the same run tags every run of capitalised tokens that does not open
a sentence (untyped only).
"""

from __future__ import annotations

import argparse
from collections import Counter
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reader.entities import get_recognizer  # noqa: E402
from reader.text.language import detect_language  # noqa: E402

TYPE_TAGS = {"PERSON": "PER", "ORG": "ORG", "PLACE": "LOC", "OTHER": "MISC"}

Span = tuple[int, int, str]  # (first token, end token, tag type) within a document


@dataclass
class Document:
    name: str
    sentences: list[list[tuple[str, str]]] = field(default_factory=list)

    def tokens(self) -> list[str]:
        return [t for s in self.sentences for t, _ in s]

    def gold_spans(self) -> set[Span]:
        spans: set[Span] = set()
        index = 0
        for sentence in self.sentences:
            start: int | None = None
            kind = ""
            for position, (_, tag) in enumerate(sentence + [("", "O")]):
                at = index + position
                begins = tag.startswith("B-") or (tag.startswith("I-") and (start is None or tag[2:] != kind))
                if start is not None and (tag == "O" or begins):
                    spans.add((start, at, kind))
                    start = None
                if begins:
                    start, kind = at, tag[2:]
            index += len(sentence)
        return spans


def read_conll(path: Path) -> list[Document]:
    documents: list[Document] = []
    current = Document(path.name)
    sentence: list[tuple[str, str]] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.rstrip("\n")
        if line.startswith("-DOCSTART-"):
            if sentence:
                current.sentences.append(sentence)
                sentence = []
            if current.sentences:
                documents.append(current)
            current = Document(f"{path.name}#{len(documents) + 1}")
            continue
        if line.startswith("#") and "\t" not in line:
            current.name = line[1:].strip() or current.name
            continue
        if not line.strip():
            if sentence:
                current.sentences.append(sentence)
                sentence = []
            continue
        token, _, tag = line.partition("\t")
        sentence.append((token, tag.strip() or "O"))
    if sentence:
        current.sentences.append(sentence)
    if current.sentences:
        documents.append(current)
    return documents


def document_text(document: Document) -> tuple[str, list[tuple[int, int]]]:
    """The document as text and each token's character range in it."""
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    position = 0
    for number, sentence in enumerate(document.sentences):
        if number:
            parts.append("\n")
            position += 1
        for index, (token, _) in enumerate(sentence):
            if index:
                parts.append(" ")
                position += 1
            parts.append(token)
            offsets.append((position, position + len(token)))
            position += len(token)
    return "".join(parts), offsets


def predicted_spans(document: Document) -> set[Span]:
    text, offsets = document_text(document)
    lang, _ = detect_language(text)
    spans: set[Span] = set()
    for mention in get_recognizer().recognize(text, lang):
        covered = [i for i, (start, end) in enumerate(offsets) if start < mention.end and end > mention.start]
        if covered:
            spans.add((covered[0], covered[-1] + 1, TYPE_TAGS.get(mention.type, "MISC")))
    return spans


def baseline_spans(document: Document) -> set[Span]:
    """Runs of capitalised tokens, the first token of each sentence excluded."""
    spans: set[Span] = set()
    index = 0
    for sentence in document.sentences:
        start = None
        for position, (token, _) in enumerate(sentence + [("", "O")]):
            capital = position > 0 and token[:1].isupper()
            if capital and start is None:
                start = index + position
            elif not capital and start is not None:
                spans.add((start, index + position, "MISC"))
                start = None
        index += len(sentence)
    return spans


@dataclass
class Score:
    true_positives: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, gold: set, predicted: set) -> None:
        self.true_positives += len(gold & predicted)
        self.predicted += len(predicted)
        self.gold += len(gold)

    def prf(self) -> tuple[float, float, float]:
        p = self.true_positives / self.predicted if self.predicted else 0.0
        r = self.true_positives / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def line(self, label: str) -> str:
        p, r, f = self.prf()
        return f"{label:<28} P {p:.3f}  R {r:.3f}  F1 {f:.3f}   (gold {self.gold}, predicted {self.predicted}, correct {self.true_positives})"


def untyped(spans: set[Span]) -> set[tuple[int, int]]:
    return {(s, e) for s, e, _ in spans}


def evaluate(paths: list[Path], *, show_errors: bool) -> None:
    documents = [d for path in paths for d in read_conll(path)]
    typed, plain, base = Score(), Score(), Score()
    per_type: dict[str, Score] = {}
    confusions: Counter[tuple[str, str]] = Counter()  # (gold type, predicted type) of spans found with the wrong type
    started = time.perf_counter()
    for document in documents:
        gold = document.gold_spans()
        predicted = predicted_spans(document)
        typed.add(gold, predicted)
        plain.add(untyped(gold), untyped(predicted))
        base.add(untyped(gold), untyped(baseline_spans(document)))
        predicted_type = {(s, e): k for s, e, k in predicted}
        for s, e, k in gold - predicted:
            if (s, e) in predicted_type:
                confusions[(k, predicted_type[(s, e)])] += 1
        for kind in ("PER", "ORG", "LOC", "MISC"):
            per_type.setdefault(kind, Score()).add({s for s in gold if s[2] == kind}, {s for s in predicted if s[2] == kind})
        if show_errors:
            tokens = document.tokens()
            for s, e, k in sorted(gold - predicted):
                print(f"  miss  {document.name}: {' '.join(tokens[s:e])!r} {k}")
            for s, e, k in sorted(predicted - gold):
                print(f"  extra {document.name}: {' '.join(tokens[s:e])!r} {k}")
    elapsed = time.perf_counter() - started
    print(f"{', '.join(p.name for p in paths)}: {len(documents)} documents, {sum(len(d.tokens()) for d in documents)} tokens")
    print(plain.line("recognizer, untyped spans"))
    print(typed.line("recognizer, typed spans"))
    for kind, score in per_type.items():
        print(score.line(f"  {kind}"))
    if confusions:
        print("  right span, wrong type (gold -> predicted): " + ", ".join(f"{g}->{p} {n}" for (g, p), n in confusions.most_common()))
    print(base.line("baseline: capitalised runs"))
    print(f"({elapsed:.2f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--errors", action="store_true", help="list missed and extra spans (for tuning on dev data only)")
    args = parser.parse_args()
    evaluate(args.files, show_errors=args.errors)


if __name__ == "__main__":
    main()
