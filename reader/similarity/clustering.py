"""Story clustering: incremental, cross-lingual, at library scale.

Each story (an article, or a section of a multi-story page) is a vector of term keys
(content words, names, numbers, entity keys; see :mod:`reader.similarity.story_terms`)
weighted by TF-IDF, with document frequencies kept in the store. A cluster is its mean
vector (its *profile*). A new story finds candidate clusters through an inverted index
from each cluster's strongest keys, scores them by cosine similarity and joins the best one
if it is similar enough; otherwise it starts a cluster of its own. Nothing is re-clustered.

Signals, and why they carry over:
- words only compare within one language; names, numbers and entity keys compare across
  languages, so a French and an English article on one event match on "TikTok", "Oracle",
  "ByteDance", "12.5%" (and on the entity keys, when the entity linker gives them);
- the title and the lead weigh more than the rest (the inverted pyramid of news writing);
- IDF makes shared rare names decisive and shared common words nearly worthless;
- time: when both sides have a known date, a gap of more than a few days decays the
  similarity, halving it every week, so articles far apart in time do not merge.
"""

from __future__ import annotations

import gc
import heapq
import math
import multiprocessing
import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import datetime
from itertools import chain, compress, islice, repeat
from operator import add, itemgetter, methodcaller, mul, not_, truediv

from reader.entities.lexicon import NOUN_CAPITALISING_LANGS
from reader.model import Article, EntityMention, PreparedArticle, RawArticle
from reader.parallel import bounded_imap
from reader.similarity.story_terms import MAX_COUNT, TERM_FREQUENCY, StoryTerms, name_key_counts, story_terms_of
from reader.store import Library, UpsertResult
from reader.store.story_clusters import StoredUnit, StoryProfile, copy_profile, float32_values
from reader.text.dates import MONTHS

# A story joins the most similar cluster when the cosine similarity to its mean vector reaches this.
JOIN_SIMILARITY = 0.25
# A cluster started in this batch joins another when the average similarity between their
# members (the dot product of the two mean vectors, i.e. average linkage) reaches this.
MERGE_SIMILARITY = 0.20
# A story whose best cluster is less similar than this (twice the join level: a loose fit)
# waits until the rest of its batch is placed (see StoryClusterer.place_all).
SURE_SIMILARITY = 2 * JOIN_SIMILARITY
# Names, numbers and entity keys weigh this much more than words: they identify an event's
# participants and figures, where words describe what kind of event it is (two hit-and-runs
# share the words, not the victims and places).
ANCHOR_WEIGHT = 2.0
# Entity keys are a second view of names the text already gives as "n:" keys; they add what
# the names miss (one entity across spellings and languages) without counting it twice over.
ENTITY_WEIGHT = 0.5
# A person its stories mention less than this share as often as the cluster's lead protagonist is a
# minor figure of them (a name in the background paragraph), not who they are about.
MINOR_SHARE = 0.5
# A story whose headline names no one is about the person it mentions most, if this often (see
# protagonist_conflict).
PRINCIPAL_MENTIONS = 3
KIND_WEIGHTS = {"w": 1.0, "n": ANCHOR_WEIGHT, "#": ANCHOR_WEIGHT, "e": ENTITY_WEIGHT}
# Candidate retrieval: the story's strongest keys that other stories share, the most recent
# clusters listed under each, and how many of the best-hit clusters are scored exactly.
RETRIEVAL_KEYS = 8
POSTINGS_PER_KEY = 16
# Keys held by more than this share of all stories are too common to retrieve candidates by.
COMMON_KEY_SHARE = 0.02
SCORED_CANDIDATES = 4
# A story is compared by its strongest TF-IDF terms (the rest weigh little and cost time).
VECTOR_TERMS = 96
# A profile keeps its strongest terms; the inverted index lists a cluster under its top keys.
PROFILE_TERMS = 200
# ... and the most mentioned persons of its stories (see persons_of)
PROFILE_PERSONS = 32
INDEX_KEYS = 16
# Time: full similarity within this many days of the cluster's date span, then halved weekly.
SAME_EVENT_DAYS = 3
HALF_LIFE_DAYS = 7.0

# A story with fewer distinct terms than this is never taken for a copy by its text alone.
MIN_COPY_TERMS = 20
# Key entities shown after the headline come from the profile's strongest terms.
LABEL_CANDIDATES = 40
# Key entities shown after the headline in a cluster's label.
LABEL_ENTITIES = 3


@dataclass(frozen=True)
class StoryUnit:
    """One story to cluster: an article, or a section of a multi-story page."""

    article_id: int
    lang: str | None
    day: int | None  # proleptic ordinal of the date, when the date is known from metadata
    terms: StoryTerms
    content_hash: str | None
    cluster_id: int | None  # the cluster it is in now (updated articles), if any
    title: str


# -- per-article analysis (worker processes) ------------------------------------------------------


def add_story_terms(prepared: PreparedArticle) -> PreparedArticle:
    """ARTICLE_ANALYZER: one term vector per story of the page (its sections, or the page), with
    the entity keys of the mentions inside it (the entity analyser runs before this one).

    Everything that does not need the library is done here, in the worker processes; the
    library stage only weighs the terms by their document frequencies.
    """
    mentions = prepared.mentions
    names = name_words(mentions) if prepared.lang in NOUN_CAPITALISING_LANGS else None
    if len(prepared.sections) > 1:
        terms = tuple(
            with_entity_keys(
                story_terms_of(section.title, prepared.text[section.start : section.end], prepared.lang, names),
                mentions, section.start, section.end,
            )
            for section in prepared.sections
        )
    else:
        story = story_terms_of(prepared.raw.title, prepared.text, prepared.lang, names)
        terms = (with_keys_of_mentions(story, tuple(mentions)),)  # (every mention is a span of the page's text)
    return prepared.replaced(story_terms=terms)


def name_words(mentions: Iterable[EntityMention]) -> set[str]:
    """The folded capitalised words of the recognised entity names ("Nancy Faeser" -> nancy,
    faeser): in German, where every noun is capitalised, the only sign that a word is a name."""
    return {key[2:] for text in {m.text for m in mentions} for key, _ in name_key_counts(text)}


def with_entity_keys(terms: StoryTerms, mentions: Iterable[EntityMention], start: int, end: int) -> StoryTerms:
    """Add the entity linker's keys (cross-lingual, e.g. United States = États-Unis) to a story,
    and give its name words the full names they are part of, for labels (see ``full_names``):
    the keys and names of the ``mentions`` that start in the story's span [start, end) of the text."""
    return with_keys_of_mentions(terms, [m for m in mentions if start <= m.start < end])


def with_keys_of_mentions(terms: StoryTerms, inside: Sequence[EntityMention]) -> StoryTerms:
    """``with_entity_keys`` for the mentions of the story itself (``inside``: all in its span)."""
    keyed = [m for m in inside if m.key]
    entity_keys = ["e:" + m.key for m in keyed]
    names = full_names(inside, terms.surfaces)
    persons, protagonists = persons_of(keyed, terms.title_keys)
    if not entity_keys and not names and not persons:
        return terms
    counts = dict(terms.counts)
    counts.update(Counter(entity_keys))
    if len(entity_keys) > MAX_COUNT:
        counts.update((key, min(counts[key], MAX_COUNT)) for key in set(entity_keys))
    return StoryTerms(counts, terms.title_keys, {**terms.surfaces, **first_written(entity_keys, keyed), **names}, persons, protagonists)


def persons_of(keyed: Sequence[EntityMention], title_keys: Sequence[str]) -> tuple[dict[str, int], tuple[str, ...]]:
    """The persons a story mentions, each as the name key of their surname (so that "Williams" and
    "Jamal Williams" are one person, whatever the entity linker made of them), with how often;
    and the ones its headline names, strongest first: its protagonists."""
    written: dict[str, str] = {}  # the longest written form of each person's entity key
    counts: Counter[str] = Counter()
    for mention in keyed:
        if mention.type == "PERSON":
            counts[mention.key] += 1
            if len(mention.text) > len(written.get(mention.key, "")):
                written[mention.key] = mention.text
    persons: dict[str, int] = {}
    for key, times in counts.most_common():
        names = name_key_counts(written[key])
        if names:
            surname = names[-1][0]
            persons[surname] = persons.get(surname, 0) + times
    headline = set(title_keys)
    return persons, tuple(name for name in persons if name in headline)


def lead_protagonist(profile: StoryProfile) -> str | None:
    """The person a cluster is about: the protagonist of more of its stories than any other
    person, and of at least a third of them. None when its stories are about no one in
    particular, or about several people (a summit, one report about each leader)."""
    found = profile.protagonists
    if not found:
        return None
    lead = max(found, key=found.__getitem__)
    times = found[lead]
    if 3 * times < profile.members or sum(n == times for n in found.values()) > 1:
        return None
    return lead


def minor_in(name: str, lead: str, profile: StoryProfile) -> bool:
    """Whether a person is a minor figure of a cluster's stories, beside its lead protagonist."""
    mentions = profile.person_mentions
    return mentions.get(name, 0) < MINOR_SHARE * mentions.get(lead, 0)


def principal_person(persons: dict[str, int]) -> str | None:
    """The person a story mentions most, if at least PRINCIPAL_MENTIONS times."""
    if not persons:
        return None
    top = max(persons, key=persons.__getitem__)
    return top if persons[top] >= PRINCIPAL_MENTIONS else None


def protagonist_conflict(
    protagonists: Sequence[str], persons: dict[str, int], profile: StoryProfile,
    first_day: int | None = None, last_day: int | None = None,
) -> bool:
    """Whether a story about one person would join a cluster about another. Two drunk-driving
    arrests of two players of one team share every word but the player's name, and the second
    event's reports name the first player too, in the background. So: the cluster is about
    someone (:func:`lead_protagonist`), none of its stories is about a person this story is about,
    and they are minor figures of its stories.

    A story whose headline names no one ("San Diego lineman arrested") is about its
    :func:`principal_person` when the cluster's lead is a minor figure of the story, in turn.

    An event with many actors (a summit: one report about each leader) is not parted: stories
    dated within SAME_EVENT_DAYS of the cluster, or that know its people as it knows theirs (the
    story names the cluster's lead, the cluster's stories name the story's persons), may join.
    """
    lead = lead_protagonist(profile)
    if lead is None or same_days(first_day, last_day, profile):
        return False
    about = tuple(protagonists)
    if not about:
        principal = principal_person(persons)
        if principal is None or persons.get(lead, 0) >= MINOR_SHARE * persons[principal]:
            return False
        about = (principal,)
    if not profile.protagonists.keys().isdisjoint(about):
        return False
    if persons.get(lead, 0) and all(profile.person_mentions.get(name, 0) for name in about):
        return False  # they know each other's people
    return all(minor_in(name, lead, profile) for name in about)


def clusters_conflict(a: StoryProfile, b: StoryProfile) -> bool:
    """Whether two clusters are about two persons, neither of whom any story of the other is about,
    and one of them a minor figure of the other's stories (the later of two arrests names the
    first player in the background: he is no minor figure there, but the second player is one of
    the first arrest's stories). Not when they are dated within SAME_EVENT_DAYS of each other,
    or each names the other's lead: see :func:`protagonist_conflict`."""
    lead_a, lead_b = lead_protagonist(a), lead_protagonist(b)
    if lead_a is None or lead_b is None or not a.protagonists.keys().isdisjoint(b.protagonists):
        return False
    if same_days(a.first_day, a.last_day, b) or (b.person_mentions.get(lead_a, 0) and a.person_mentions.get(lead_b, 0)):
        return False
    return minor_in(lead_a, lead_b, b) or minor_in(lead_b, lead_a, a)


def first_written(keys: Sequence[str], mentions: Sequence[EntityMention]) -> dict[str, str]:
    """The first written form of each key (``keys[i]`` is the key of ``mentions[i]``), in order of first sight."""
    written: dict[str, str] = {}
    for key, mention in zip(keys, mentions):
        if key not in written:
            written[key] = mention.text
    return written


def full_names(mentions: Iterable[EntityMention], name_surfaces: dict[str, str]) -> dict[str, str]:
    """For each name word a label may show, the most frequent longer name it is written in:
    "Justice" -> "US Department of Justice", "House" -> "White House". Labels draw on name
    words, which are strong cluster terms, where entity keys weigh too little to be kept.

    Read once per distinct written name: the name keys of a name are looked up, not made again
    (see ``name_key_counts``)."""
    best: dict[str, tuple[int, int, str]] = {}
    for text, count in Counter([m.text for m in mentions]).items():
        for key, times in name_key_counts(text):
            if key in name_surfaces:
                rank = (count * times, len(text), text)
                found = best.get(key)
                if found is None or rank > found:
                    best[key] = rank
    # a word mostly written alone ("TikTok", not "TikTok Global") keeps its own written form
    return {key: text for key, (_, _, text) in best.items() if " " in text.strip()}


# -- weights and similarity -------------------------------------------------------------------------


def key_weights(df: dict[str, int], units: int) -> dict[str, float]:
    """IDF of each key, anchors weighted up: what a term frequency is multiplied by."""
    # (ln((units + 1) / (count + 1)) + 1) * the kind's weight, in C (operator functions: a bound
    # method such as (1.0).__add__ costs an argument tuple per call)
    counts_plus_one = map(add, df.values(), repeat(1))
    idf = map(add, map(math.log, map(truediv, repeat(float(units + 1)), counts_plus_one)), repeat(1.0))
    kinds = map(KIND_WEIGHTS.get, map(itemgetter(0), df), repeat(ANCHOR_WEIGHT))
    return dict(zip(df, map(mul, idf, kinds)))


def weighted_vector(counts: dict[str, int], key_weight: dict[str, float]) -> dict[str, float]:
    """The story's strongest TF-IDF terms as a vector of unit length, strongest first: each
    key's term frequency (see StoryTerms) times its weight.

    Every step runs in C (map, sort, hypot); a key without a known weight weighs 1.
    """
    frequencies = map(TERM_FREQUENCY.__getitem__, counts.values())
    values = map(mul, frequencies, map(key_weight.get, counts, repeat(1.0)))
    ranked = sorted(zip(counts, values), key=itemgetter(1), reverse=True)[:VECTOR_TERMS]
    if not ranked:
        return {}
    keys, strengths = zip(*ranked)
    norm = math.hypot(*strengths)
    if not norm:
        return {}
    return dict(zip(keys, map(mul, repeat(1.0 / norm), strengths)))


def word_lang(key: str) -> str:
    """'w:en:oracle' -> 'en'."""
    return key[2 : key.index(":", 2)]


def square_norms(weights: dict[str, float], langs: Iterable[str | None] = ()) -> dict[str, float]:
    """Squared norm of the language-neutral keys (under "") and of each language's words.

    With one known language (a story, or most clusters) its words need no parsing: they are
    the rest of the total.
    """
    known = {lang or "xx" for lang in langs}
    anchors = list(compress(weights.values(), map(not_, map(str.startswith, weights, repeat("w")))))
    anchor_norm = sum(map(mul, anchors, anchors))
    if len(known) == 1:
        total = sum(map(mul, weights.values(), weights.values()))
        return {"": anchor_norm, next(iter(known)): max(0.0, total - anchor_norm)}
    norms: dict[str, float] = {"": anchor_norm}
    for key, weight in weights.items():
        if key[0] == "w":
            part = word_lang(key)
            norms[part] = norms.get(part, 0.0) + weight * weight
    return norms


def profile_norms(profile: StoryProfile) -> dict[str, float]:
    if profile.norms is None:
        profile.norms = square_norms(profile.weights, profile.langs)
    return profile.norms


def dot(small: dict[str, float], large: dict[str, float]) -> float:
    """Dot product of two sparse vectors, in C, over the keys they share (most keys are not:
    the intersection probes the larger dict once per key of the smaller). ``fsum`` is exact,
    so the result does not depend on the order the set of shared keys happens to iterate in."""
    shared = small.keys() & large.keys()
    return math.fsum(map(mul, map(small.__getitem__, shared), map(large.__getitem__, shared)))


def cosine(vector: dict[str, float], lang: str | None, profile: StoryProfile, vector_norms: dict[str, float]) -> float:
    """Cosine over the keys both sides can share: words only when the profile has the language.

    Names, numbers and entity keys always compare, so across languages the cosine is that of
    the language-neutral parts of the two vectors. (Word keys carry their language, so the dot
    product over all keys is already that of the shared keys; only the norms are restricted.)
    Worked out by :func:`best_match`, which scores many candidates at once.
    """
    return best_match(vector, lang, None, None, vector_norms, [profile])[1]


def profile_similarity(small: StoryProfile, large: StoryProfile) -> float:
    """Average similarity between the members of two clusters (the dot product of their mean
    vectors: average linkage), decayed by their time gap. Word keys carry their language, so
    words only ever meet words of the same language."""
    if len(small.weights) > len(large.weights):
        small, large = large, small
    product = dot(small.weights, large.weights) * small.scale * large.scale
    if product <= 0.0:
        return 0.0
    return product * time_factor(small.first_day, small.last_day, large)


def time_factor(first: int | None, last: int | None, profile: StoryProfile) -> float:
    """How much of a similarity holds across the time gap between a date span and a cluster's:
    all of it within a few days, then half per week; all of it when a date is unknown."""
    gap = days_apart(first, last, profile)
    return 1.0 if gap is None else gap_decay(gap)


def days_apart(first: int | None, last: int | None, profile: StoryProfile) -> int | None:
    """Days between a date span and a cluster's (0 when they overlap); None when a date is unknown."""
    if first is None or last is None or profile.first_day is None or profile.last_day is None:
        return None
    return max(0, profile.first_day - last, first - profile.last_day)


def same_days(first: int | None, last: int | None, profile: StoryProfile) -> bool:
    """Whether a date span is known to lie within SAME_EVENT_DAYS of a cluster's."""
    gap = days_apart(first, last, profile)
    return gap is not None and gap <= SAME_EVENT_DAYS


def gap_decay(gap: int) -> float:
    """The share of a similarity that holds across a gap of this many days."""
    if gap <= SAME_EVENT_DAYS:
        return 1.0
    return 0.5 ** ((gap - SAME_EVENT_DAYS) / HALF_LIFE_DAYS)


def best_match(
    vector: dict[str, float], lang: str | None, first_day: int | None, last_day: int | None,
    vector_norms: dict[str, float], candidates: Iterable[StoryProfile], floor: float = 0.0,
) -> tuple[StoryProfile | None, float]:
    """The candidate with the highest :func:`cosine` times :func:`time_factor` (the first of
    equals), and that score, with what depends only on the vector worked out once rather than
    once per candidate.

    A candidate whose time gap keeps it under ``floor``, or under the best so far, is not
    compared (see :func:`score_bound`): most candidates that share a story's keys are stories
    of other months. A caller that only takes a match from ``floor`` up passes it; the best
    score it gets back is then exact from ``floor`` up only.
    """
    language = lang or "xx"
    anchor_norm = vector_norms[""]
    words_norm = vector_norms.get(language, 0.0)
    vector_square_norm = sum(vector_norms.values())
    keys = vector.keys()
    get = vector.__getitem__
    dated = first_day is not None and last_day is not None
    best: StoryProfile | None = None
    best_score = 0.0
    for profile in candidates:
        norms = profile.norms if profile.norms is not None else profile_norms(profile)
        if language in profile.langs:
            left, right = anchor_norm + words_norm, norms[""] + norms.get(language, 0.0)
        else:
            left, right = anchor_norm, norms[""]
        if left <= 0.0 or right <= 0.0:
            continue
        decay = 1.0
        if dated and profile.first_day is not None and profile.last_day is not None:
            decay = gap_decay(max(0, profile.first_day - last_day, first_day - profile.last_day))  # type: ignore[operator]
            if decay < 1.0 and score_bound(decay, vector_square_norm, norms, left * right) < max(floor, best_score):
                continue
        weights = profile.weights
        shared = keys & weights.keys()
        product = math.fsum(map(mul, map(get, shared), map(weights.__getitem__, shared))) if shared else 0.0
        if product <= 0.0:
            continue
        score = product / math.sqrt(left * right) * decay
        if score > best_score:
            best, best_score = profile, score
    return best, best_score


def score_bound(decay: float, vector_square_norm: float, profile_norms: dict[str, float], norms_product: float) -> float:
    """At least the score :func:`best_match` works out for a candidate, from the norms alone: the
    dot product over the shared keys is at most the product of the two whole vectors' norms
    (Cauchy-Schwarz), over the norms of the parts that compare (``norms_product``), times the
    time decay; with room for the rounding of the norms kept up member by member."""
    return decay * math.sqrt(vector_square_norm * sum(profile_norms.values()) / norms_product) * (1.0 + 1e-6)


# -- profiles ------------------------------------------------------------------------------------------


def add_to_profile(profile: StoryProfile, unit: StoryUnit, vector: dict[str, float], vector_norms: dict[str, float] | None = None) -> None:
    """Fold a member's vector into the cluster's mean vector.

    Only the member's keys are touched: the mean is ``weights * scale``, so the other keys
    are rescaled by changing ``scale``; the squared norms are updated key by key. The
    profile is cut to its strongest terms when it is written (:func:`finish_profile`).
    """
    language = unit.lang or "xx"
    members = profile.members
    if members == 0 or not profile.weights:
        profile.weights = dict(vector)
        profile.scale = 1.0
        profile.norms = dict(vector_norms) if vector_norms is not None else square_norms(vector, [unit.lang])
    else:
        norms = profile_norms(profile)
        factor = 1.0 / (profile.scale * members)
        weights = profile.weights
        # weights[key] += step for each of the member's keys, and the change of each key's
        # square, step * (2 * before + step), all in C
        before = list(map(weights.get, vector, repeat(0.0)))
        steps = list(map(mul, repeat(factor), vector.values()))
        weights.update(zip(vector, map(add, before, steps)))
        changes = list(map(mul, steps, map(add, map(add, before, before), steps)))
        is_word = list(map(str.startswith, vector, repeat("w")))
        norms[""] = norms.get("", 0.0) + sum(compress(changes, map(not_, is_word)))
        norms[language] = norms.get(language, 0.0) + sum(compress(changes, is_word))
        profile.scale *= members / (members + 1)
    profile.members = members + 1
    profile.langs.add(language)
    add_counts(profile.person_mentions, unit.terms.persons)
    add_counts(profile.protagonists, dict.fromkeys(unit.terms.protagonists, 1))
    if unit.day is not None:
        profile.first_day = unit.day if profile.first_day is None else min(profile.first_day, unit.day)
        profile.last_day = unit.day if profile.last_day is None else max(profile.last_day, unit.day)
    surfaces = profile.surfaces
    if not surfaces:  # a new cluster: its first story's written forms, copied in C
        profile.surfaces = dict(unit.terms.surfaces)
    else:
        for key, surface in unit.terms.surfaces.items():
            if key not in surfaces:
                surfaces[key] = surface
    score = headline_score(unit, profile)
    if profile.best_article is None or score > profile.best_score:
        profile.best_article, profile.best_title, profile.best_score = unit.article_id, unit.title, score


def add_counts(counts: dict[str, int], more: dict[str, int]) -> None:
    for key, times in more.items():
        counts[key] = counts.get(key, 0) + times


def finish_profile(profile: StoryProfile) -> None:
    """The profile as stored: the mean vector's strongest terms, strongest first, its index keys
    and the written forms of the names a label may show."""
    if profile.members > 1 or profile.scale != 1.0 or len(profile.weights) > PROFILE_TERMS:
        strongest = sorted(profile.weights.items(), key=itemgetter(1), reverse=True)[:PROFILE_TERMS]
        values = float32_values(list(map(mul, repeat(profile.scale), map(itemgetter(1), strongest))))  # as stored
        profile.weights = dict(zip(map(itemgetter(0), strongest), values))
        profile.scale = 1.0
        profile.norms = None
    else:  # one story's vector, already cut to its strongest terms, strongest first
        profile.weights = dict(zip(profile.weights, float32_values(profile.weights.values())))
    profile.index_keys = tuple(islice(profile.weights, INDEX_KEYS))
    if len(profile.person_mentions) > PROFILE_PERSONS:
        kept = sorted(profile.person_mentions.items(), key=itemgetter(1), reverse=True)[:PROFILE_PERSONS]
        profile.person_mentions = dict(kept)
        profile.protagonists = {name: n for name, n in profile.protagonists.items() if name in profile.person_mentions}
    names = strongest_names(profile)
    surfaces = profile.surfaces
    profile.surfaces = dict(compress(surfaces.items(), map(names.__contains__, surfaces)))


def strongest_names(profile: StoryProfile) -> set[str]:
    """The name and entity keys among a profile's strongest terms: the ones a label may show."""
    return {key for key in islice(profile.weights, LABEL_CANDIDATES) if key[0] in "ne"}


def merge_profiles(into: StoryProfile, other: StoryProfile) -> None:
    """Fold cluster ``other`` into ``into``: member-weighted mean vector, spans and labels combined."""
    total = into.members + other.members
    factor = (other.scale * other.members) / (into.scale * into.members)
    weights = into.weights
    get = weights.get
    for key, weight in other.weights.items():
        weights[key] = get(key, 0.0) + weight * factor
    into.scale *= into.members / total
    into.members = total
    into.norms = None
    into.langs |= other.langs
    add_counts(into.person_mentions, other.person_mentions)
    add_counts(into.protagonists, other.protagonists)
    days = [d for d in (into.first_day, into.last_day, other.first_day, other.last_day) if d is not None]
    into.first_day, into.last_day = (min(days), max(days)) if days else (None, None)
    into.surfaces = {**other.surfaces, **into.surfaces}
    if other.best_score > into.best_score:
        into.best_article, into.best_title, into.best_score = other.best_article, other.best_title, other.best_score


def headline_score(unit: StoryUnit, profile: StoryProfile) -> float:
    """How much of the cluster's weight a member's headline names: the best headline names most.

    Summed in headline order (each key once), not in a set's order: a float sum depends on its
    order, and a set of strings is ordered by the process's hash seed, so two runs could pick
    different headlines on a near-tie."""
    if not unit.title.strip():
        return -1.0
    return sum(map(profile.weights.get, dict.fromkeys(unit.terms.title_keys), repeat(0.0))) * profile.scale


def cluster_label(profile: StoryProfile) -> str:
    """The best headline, then the key entities it does not already name.

    Linked entities ("e:" keys, written as a full name: "US Department of Justice") come
    before single capitalised words ("n:" keys: "Department", "Justice"), which only fill in
    when the story has too few entities."""
    headline = " ".join(profile.best_title.split())
    seen = headline.casefold()
    names: list[str] = []
    surfaces = profile.surfaces
    # only the strongest terms keep their written forms (see finish_profile), strongest first
    written = [key for key in islice(profile.weights, LABEL_CANDIDATES) if key in surfaces]
    for kind in ("e:", "n:"):
        for key in written:
            if key[:2] != kind:
                continue
            surface = surfaces.get(key)
            if not surface or surface.casefold() in seen or surface.casefold() in MONTHS:
                continue
            names.append(surface)
            seen += " " + surface.casefold()
            if len(names) == LABEL_ENTITIES:
                break
        if len(names) == LABEL_ENTITIES:
            break
    if not names:
        return headline
    return f"{headline} · {', '.join(names)}" if headline else ", ".join(names)


# -- assigning stories -----------------------------------------------------------------------------------


def day_of(date: str | None) -> int | None:
    if not date:
        return None
    try:
        return datetime.fromisoformat(date).date().toordinal()
    except ValueError:
        try:
            return Date.fromisoformat(date[:10]).toordinal()
        except ValueError:
            return None


@dataclass(slots=True)
class WeighedStory:
    """A story of the batch, weighed: its unit vector (strongest first), the squared norms of
    its language-neutral part and of its words, and the keys it retrieves candidates by."""

    unit: StoryUnit
    vector: dict[str, float]
    norms: dict[str, float]
    query: list[str]
    stored_ranked: list[int] = field(default_factory=list)  # best candidates among stored clusters


class StoryClusterer:
    """Assigns one batch of stories to clusters through the store's index.

    The store is read up front, a few statements for the whole batch (document frequencies,
    postings of the batch's query keys, the profiles of the best candidates, copies); the
    batch is then worked out in memory (profiles, assignments, postings of the clusters it
    changes) and written once at the end: each changed cluster's profile is saved once,
    however many stories joined it, and clusters the batch started only get a row (an id)
    if they survive the second look of :meth:`merge_new_clusters`. Nothing outlives the batch.
    """

    def __init__(self, library: Library) -> None:
        self.library = library
        self.profiles: dict[int, StoryProfile] = {}  # by cluster id; new clusters have ids < 0
        self.indexed: dict[int, tuple[str, ...]] = {}  # the index keys the store holds, per cluster
        self.shared: set[int] = set()  # profiles the store remembers, not to be changed (see own)
        self.overlay: dict[str, list[int]] = {}  # postings of the clusters changed in this batch, latest last
        self.overlay_keys: dict[int, set[str]] = {}  # ... and the other way round
        self.postings: dict[str, list[int]] = {}  # stored postings of the batch's query keys
        self.changed: set[int] = set()
        self.finished: set[int] = set()  # changed clusters whose profile is cut to its stored form
        self.created: list[int] = []
        self.queries: dict[int, list[str]] = {}  # the retrieval keys of the story that started each new cluster
        self.members: dict[int, int] = {}  # article id -> cluster id, for this batch's stories
        self.previous: dict[int, int | None] = {}
        self.same_text: dict[str, int] = {}  # content hash -> cluster, stored and from this batch
        self.copies: dict[int, list[int]] = {}  # article id -> its exact and near copies, best first
        self.copy_clusters: dict[int, int | None] = {}  # stored cluster of each of those copies
        self.next_new_id = -1
        self.touched: set[int] = set()
        self.common_df = POSTINGS_PER_KEY
        self.new_ids: set[int] = set()  # clusters created by this batch (with their label)

    # -- assignment ---------------------------------------------------------------------------

    def assign(self, units: Sequence[StoryUnit]) -> dict[int, int]:
        """Cluster these stories and write the result; returns {article id: cluster id}."""
        if not units:
            return {}
        counts = Counter(chain.from_iterable(unit.terms.counts for unit in units))
        df = self.library.count_story_terms(counts, len(units))
        total = self.library.story_unit_count()
        key_weight = key_weights(df, total)
        self.common_df = max(POSTINGS_PER_KEY, int(total * COMMON_KEY_SHARE))
        stories = [self.weigh(unit, key_weight, df) for unit in units]
        self.read_store(stories)
        self.place_all(stories)
        merged_into = self.merge_new_clusters()
        return self.write(merged_into)

    def weigh(self, unit: StoryUnit, key_weight: dict[str, float], df: dict[str, int]) -> WeighedStory:
        vector = weighted_vector(unit.terms.counts, key_weight)
        values = list(vector.values())
        anchors = list(compress(values, map(not_, map(str.startswith, vector, repeat("w")))))
        anchor_norm = sum(map(mul, anchors, anchors))
        words_norm = sum(map(mul, values, values)) - anchor_norm
        norms = {"": anchor_norm, unit.lang or "xx": max(0.0, words_norm)}
        # keys other stories share, but not so many that they say nothing about which story: the
        # strongest few, so the keys are looked at lazily, until there are enough
        shared_counts = range(2, self.common_df + 1)
        shared = map(shared_counts.__contains__, map(df.get, vector, repeat(0)))
        query = list(islice(compress(vector, shared), RETRIEVAL_KEYS))
        return WeighedStory(unit, vector, norms, query)

    def read_store(self, stories: Sequence[WeighedStory]) -> None:
        """Everything the batch needs from the store, in a few statements."""
        library = self.library
        self.postings = library.story_postings({key for s in stories for key in s.query}, per_key=POSTINGS_PER_KEY)
        wanted: set[int] = set()
        for story in stories:
            story.stored_ranked = self.ranked(story.query, story.vector, self.postings, {})
            wanted.update(story.stored_ranked)
            if story.unit.cluster_id is not None:
                wanted.add(story.unit.cluster_id)
        self.load_profiles(wanted)
        units = [s.unit for s in stories]
        hashes = [u.content_hash for u in units if u.content_hash]
        self.same_text.update(library.clusters_of_texts(hashes, other_than=[u.article_id for u in units]))
        self.copies = library.copy_partners([u.article_id for u in units])
        self.copy_clusters = library.cluster_ids_of({i for found in self.copies.values() for i in found})

    def place_all(self, stories: Sequence[WeighedStory]) -> None:
        """Place a batch's stories: first the ones that start a cluster or fit one well, in
        arrival order; then the loose fits (best similarity below SURE_SIMILARITY), the best
        fitting first, against the clusters as the rest of the batch left them.

        A single pass depends on arrival order: a story of one event that comes before the
        other stories of its event joins the nearest cluster it finds, a similar event's
        (same team, same kind of crime), and the stories of its own event then follow it
        there, since the cluster's mean now holds their names. Waiting lets their own cluster
        form first. (Over 20 arrival orders of ecbplus_dev: mean B-cubed F1 0.890 -> 0.906,
        spread 0.031 -> 0.018; see bench/eval_clusters.py --orders.)
        """
        waiting: list[tuple[float, int, WeighedStory]] = []
        for index, story in enumerate(stories):
            score = self.place(story, wait_below=SURE_SIMILARITY)
            if score is not None:
                waiting.append((-score, index, story))
        waiting.sort(key=itemgetter(0, 1))
        for _, _, story in waiting:
            self.place(story)

    def place(self, story: WeighedStory, wait_below: float = 0.0) -> float | None:
        """Put a story into its cluster (a copy's, the best one, or a new one); or, when its
        best cluster's similarity is under ``wait_below``, leave it and return that similarity."""
        unit = story.unit
        target = self.known_copy_cluster(unit)
        if target is None:
            target, score = self.best_cluster(story)
            if target is not None and score < wait_below:
                return score
        if target is None:
            target = self.next_new_id
            self.next_new_id -= 1
            self.profiles[target] = StoryProfile(cluster_id=target)
            self.created.append(target)
            self.queries[target] = story.query
        profile = self.own(target)
        add_to_profile(profile, unit, story.vector, story.norms)
        self.note_change(profile, islice(story.vector, INDEX_KEYS))
        self.members[unit.article_id] = target
        self.previous[unit.article_id] = unit.cluster_id
        if unit.content_hash and len(unit.terms.counts) >= MIN_COPY_TERMS:
            self.same_text.setdefault(unit.content_hash, target)
        return None

    def note_change(self, profile: StoryProfile, keys: Iterable[str] = ()) -> None:
        """List a changed cluster in this batch's postings: under its stored index keys and
        under the strongest keys of each story that joined it."""
        cluster_id = profile.cluster_id
        self.changed.add(cluster_id)
        listed = self.overlay_keys.get(cluster_id)
        if listed is None:
            listed = self.overlay_keys[cluster_id] = set()
            keys = chain(profile.index_keys, keys)
        new = set(keys)
        new -= listed
        if new:
            listed |= new
            # overlay.setdefault(key, []).append(cluster_id) for each new key, in C
            deque(map(methodcaller("append", cluster_id), map(self.overlay.setdefault, new, iter(list, None))), maxlen=0)

    def profile(self, cluster_id: int) -> StoryProfile:
        if cluster_id not in self.profiles:
            self.load_profiles([cluster_id])
        if cluster_id not in self.profiles:  # a cluster without a profile (made by an older reader)
            self.profiles[cluster_id] = StoryProfile(cluster_id=cluster_id)
            self.indexed[cluster_id] = ()
        return self.profiles[cluster_id]

    def own(self, cluster_id: int) -> StoryProfile:
        """The profile of a cluster the batch changes: its own copy of one the store remembers."""
        profile = self.profile(cluster_id)
        if cluster_id in self.shared:
            self.shared.discard(cluster_id)
            profile = self.profiles[cluster_id] = copy_profile(profile)
        return profile

    def load_profiles(self, cluster_ids: Iterable[int]) -> None:
        missing = [c for c in cluster_ids if c not in self.profiles and c > 0]
        if missing:
            for cluster_id, profile in self.library.story_profiles(missing, shared=True).items():
                self.profiles[cluster_id] = profile
                self.indexed[cluster_id] = profile.index_keys
                self.shared.add(cluster_id)

    def known_copy_cluster(self, unit: StoryUnit) -> int | None:
        """Copies go where their original is: the same clean text, or an exact or near copy
        found by the duplicate detector (never a containment: see ``copy_partners``).

        Only stories with some substance count as copies by text: two empty or one-line
        texts are the same by coincidence, not because one copies the other.
        """
        if unit.content_hash and len(unit.terms.counts) >= MIN_COPY_TERMS and unit.content_hash in self.same_text:
            return self.same_text[unit.content_hash]
        originals = [i for i in self.copies.get(unit.article_id, ()) if i != unit.article_id]
        for original in originals:
            if original in self.members:
                return self.members[original]
        stored = [c for c in map(self.copy_clusters.get, originals) if c is not None]
        return min(stored) if stored else None

    def ranked(
        self, query: Sequence[str], weights: dict[str, float], stored: dict[str, list[int]], batch: dict[str, list[int]],
        exclude: Iterable[int] = (),
    ) -> list[int]:
        """Clusters listed under the query keys (in the store, and the latest in this batch), by
        the weight of the keys they share, best first: the ones worth scoring."""
        mass: dict[int, float] = {}
        for key in query:
            listed: Iterable[int] = stored.get(key, ())  # a stored posting list holds each cluster once
            in_batch = batch.get(key)
            if in_batch:
                listed = {*listed, *in_batch[-POSTINGS_PER_KEY:]}
            # mass[c] += weight for each listed cluster: most are listed under no earlier key, so
            # the key's share is made in C and only the clusters seen before are added up here
            weight = weights[key]
            share = dict.fromkeys(listed, weight)
            for cluster_id in mass.keys() & share:
                share[cluster_id] = weight + mass[cluster_id]
            mass.update(share)
        for cluster_id in exclude:
            mass.pop(cluster_id, None)
        return sorted(mass, key=mass.__getitem__, reverse=True)[:SCORED_CANDIDATES]

    def best_cluster(self, story: WeighedStory) -> tuple[int | None, float]:
        unit = story.unit
        overlay = self.overlay
        if not overlay.keys().isdisjoint(story.query):
            ranked = self.ranked(story.query, story.vector, self.postings, overlay)
        else:  # no cluster of this batch shares a query key: the stored ranking stands
            ranked = list(story.stored_ranked)
        if unit.cluster_id is not None and unit.cluster_id not in ranked:
            ranked.append(unit.cluster_id)
        self.load_profiles(ranked)
        terms = unit.terms
        candidates = [
            p for p in self.scored(ranked) if not protagonist_conflict(terms.protagonists, terms.persons, p, unit.day, unit.day)
        ]
        best, best_score = best_match(
            story.vector, unit.lang, unit.day, unit.day, story.norms, candidates, floor=JOIN_SIMILARITY
        )
        if best is None or best_score < JOIN_SIMILARITY:
            return None, best_score
        return best.cluster_id, best_score

    def scored(self, cluster_ids: Iterable[int]) -> list[StoryProfile]:
        """The profiles of these clusters that have members, in order."""
        profiles = map(self.profiles.get, cluster_ids)
        return [profile for profile in profiles if profile is not None and profile.members]

    def merge_new_clusters(self) -> dict[int, int]:
        """Second look at the clusters this batch started, smallest first: one whose members are
        on average as similar to another cluster's as MERGE_SIMILARITY joins it. This undoes the
        order effects of a single pass (an early, atypical story starting its own cluster, before
        the stories that would have drawn it elsewhere came). The candidates are the clusters
        this batch started or changed: each new cluster's first story was already compared
        with the rest of the library. Clusters from earlier batches are never merged away.

        Profiles are compared as they are stored (their strongest terms), so that whether two
        clusters merge does not depend on whether they grew in one batch or in several.
        """
        for cluster_id in self.changed - self.finished:
            finish_profile(self.profiles[cluster_id])
        self.finished.update(self.changed)
        merged_into: dict[int, int] = {}
        for cluster_id in sorted(self.created, key=lambda c: (self.profiles[c].members, -c)):
            profile = self.profiles[cluster_id]
            weights = profile.weights
            if profile.members == 1:  # the keys its story retrieved candidates by
                query = self.queries.get(cluster_id) or list(islice(weights, RETRIEVAL_KEYS))
            else:
                query = heapq.nlargest(RETRIEVAL_KEYS, weights, key=weights.__getitem__)
            ranked = self.ranked(query, weights, {}, self.overlay, exclude=[cluster_id, *merged_into])
            alone = profile.members == 1
            if alone:  # as the story would have been placed, had it come after them
                about, persons = tuple(profile.protagonists), profile.person_mentions
                candidates = [
                    other for other in self.scored(ranked)
                    if not protagonist_conflict(about, persons, other, profile.first_day, profile.last_day)
                ]
                lang = next(iter(profile.langs), None)
                match, best_score = best_match(
                    weights, lang, profile.first_day, profile.last_day, profile_norms(profile), candidates,
                    floor=JOIN_SIMILARITY,
                )
            else:
                match, best_score = None, 0.0
                for other in self.scored(ranked):
                    score = profile_similarity(profile, other)
                    if score > best_score and not clusters_conflict(profile, other):
                        match, best_score = other, score
            if match is None or best_score < (JOIN_SIMILARITY if alone else MERGE_SIMILARITY):
                continue
            best = match.cluster_id
            into = self.own(best)
            merge_profiles(into, profile)
            self.finished.discard(best)
            self.note_change(into, self.overlay_keys.get(cluster_id, ()))
            merged_into[cluster_id] = best
        for gone, into in list(merged_into.items()):  # follow chains a -> b -> c
            while into in merged_into:
                into = merged_into[into]
            merged_into[gone] = into
        return merged_into

    # -- writing --------------------------------------------------------------------------------

    def write(self, merged_into: dict[int, int]) -> dict[int, int]:
        """Create the surviving new clusters, save changed profiles, move the stories."""
        real: dict[int, int] = {}
        kept = [c for c in sorted(self.changed, reverse=True) if c not in merged_into]  # existing ids first, then new in order
        for cluster_id in kept:
            if cluster_id not in self.finished:
                finish_profile(self.profiles[cluster_id])
            profile_norms(self.profiles[cluster_id])  # stored with the profile
        created = [c for c in kept if c < 0]
        new_ids = self.library.create_clusters([cluster_label(self.profiles[c]) for c in created])
        for cluster_id, new_id in zip(created, new_ids):
            real[cluster_id] = new_id
            self.profiles[cluster_id].cluster_id = new_id
        self.new_ids.update(new_ids)
        for cluster_id in kept:
            real.setdefault(cluster_id, cluster_id)
        self.library.save_story_profiles([(self.profiles[c], self.indexed.get(c, ())) for c in kept])
        for gone, into in merged_into.items():
            real[gone] = real[into]
        assigned = {article_id: real[cluster_id] for article_id, cluster_id in self.members.items()}
        moves = [(article_id, c) for article_id, c in assigned.items() if c != self.previous.get(article_id)]
        self.library.set_clusters_of(moves)
        self.touched.update(real.values())
        self.touched.update(c for c in self.previous.values() if c is not None)
        self.profiles = {profile.cluster_id: profile for profile in self.profiles.values() if profile.cluster_id > 0}
        return assigned

    def finish(self) -> None:
        """Refresh the figures and labels of every cluster this batch changed."""
        touched = self.touched | set(self.library.take_dirty_clusters())
        self.library.refresh_cluster_stats(touched)
        labels = []
        for cluster_id in sorted(touched - self.new_ids):  # new clusters were created with their label
            profile = self.profiles.get(cluster_id)
            if profile is not None and profile.members:
                labels.append((cluster_id, cluster_label(profile)))
        self.library.set_cluster_labels(labels)


def duplicate_groups(library: Library, cluster_id: int, members: Sequence[Article]) -> list[list[int]]:
    """Groups of members that are copies of each other (ids, each group sorted): the same text,
    or related by the duplicate detector (exact, near or contained) when it is installed. The
    detector relates pages, so a section stands for its page there."""
    parent = {a.id: a.id for a in members}
    page_of = {a.id: a.parent_id or a.id for a in members}
    members_of_page: dict[int, list[int]] = {}
    for article_id, page in page_of.items():
        members_of_page.setdefault(page, []).append(article_id)

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(a: int, b: int) -> None:
        parent[root(a)] = root(b)

    for group in library.same_text_groups(cluster_id):
        for other in group[1:]:
            if other in parent and group[0] in parent:
                join(group[0], other)
    pairs_among = getattr(library, "duplicate_pairs_among", None)
    if pairs_among is not None:
        for pair in pairs_among(list(members_of_page)):
            for a in members_of_page.get(pair.a_id, ()):
                for b in members_of_page.get(pair.b_id, ()):
                    join(a, b)
    groups: dict[int, list[int]] = {}
    for article_id in parent:
        groups.setdefault(root(article_id), []).append(article_id)
    return sorted((sorted(g) for g in groups.values() if len(g) > 1), key=lambda g: g[0])


# -- the library stage -----------------------------------------------------------------------------------


def units_of_batch(library: Library, batch: Sequence[PreparedArticle], results: Sequence[UpsertResult]) -> tuple[list[StoryUnit], list[int]]:
    """The stories a stored batch brings (new or changed), and the pages split into sections."""
    units: list[StoryUnit] = []
    split_pages: list[int] = []
    changed = [(p, r) for p, r in zip(batch, results) if r.status != "unchanged"]
    current = library.cluster_ids_of(
        [i for _, r in changed for i in (r.section_ids or (r.article_id,))]
    )
    for prepared, result in changed:
        terms = prepared.story_terms or add_story_terms(prepared).story_terms  # entity keys included
        day = day_of(prepared.date) if prepared.date_origin == "metadata" else None
        if result.section_ids and len(prepared.sections) == len(result.section_ids) == len(terms):
            split_pages.append(result.article_id)
            for section_id, section, section_terms in zip(result.section_ids, prepared.sections, terms):
                units.append(
                    StoryUnit(
                        article_id=section_id,
                        lang=prepared.lang,
                        day=day,
                        terms=section_terms,
                        content_hash=f"{prepared.content_hash}#{section.index}",
                        cluster_id=current.get(section_id),
                        title=section.title,
                    )
                )
        else:
            units.append(
                StoryUnit(
                    article_id=result.article_id,
                    lang=prepared.lang,
                    day=day,
                    terms=terms[0],
                    content_hash=prepared.content_hash,
                    cluster_id=current.get(result.article_id),
                    title=prepared.raw.title,
                )
            )
    return units, split_pages


@contextmanager
def collection_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a batch is clustered: the stage makes and drops
    hundreds of thousands of small dicts, lists and tuples, none in a reference cycle (reference
    counting frees them), and the collections their count triggers would walk the import's
    whole heap (about 5% of the stage at 10,000 articles). The collector's state is restored."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def cluster_stories(library: Library, batch: Sequence[PreparedArticle], results: Sequence[UpsertResult]) -> None:
    """LIBRARY_STAGE: put each new or changed story of the batch into a cluster."""
    with collection_paused():
        # what the batch made is freed (by reference counting) when cluster_batch returns,
        # before the collector is back: it then finds none of it to walk through
        cluster_batch(library, batch, results)


def cluster_batch(library: Library, batch: Sequence[PreparedArticle], results: Sequence[UpsertResult]) -> None:
    """The work of :func:`cluster_stories`: the batch's new and changed stories into clusters, written."""
    units, split_pages = units_of_batch(library, batch, results)
    clusterer = StoryClusterer(library)
    if split_pages:
        # A page split into stories is not itself a member: its sections are (never counted twice).
        previous = library.cluster_ids_of(split_pages)
        library.set_cluster_of(split_pages, None)
        clusterer.touched.update(c for c in previous.values() if c is not None)
    clusterer.assign(units)
    clusterer.finish()


# -- rebuilding ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReclusterReport:
    stories: int
    clusters: int
    kept_ids: int  # new clusters that took over the id of the old cluster they overlap most
    starred_carried: int  # starred old clusters whose star moved to the cluster holding most of them


def unit_from_store(stored: StoredUnit, analyzers: Sequence[Callable[[PreparedArticle], PreparedArticle]]) -> StoryUnit:
    """A stored article or section as a story to cluster, analysed again from its clean text."""
    prepared = PreparedArticle(
        raw=RawArticle(external_id=stored.external_id, title=stored.title, text=stored.text, origin="", source=stored.source),
        text=stored.text,
        content_hash=stored.content_hash,
        lang=stored.lang,
        lang_prob=None,
        date=stored.date,
        date_origin=stored.date_origin,
    )
    for analyze in analyzers:  # entity mentions (and whatever else is registered), never re-split
        prepared = analyze(prepared)
    terms = story_terms_of(stored.title, stored.text, stored.lang)
    return StoryUnit(
        article_id=stored.id,
        lang=stored.lang,
        day=day_of(stored.date) if stored.date_origin == "metadata" else None,
        terms=with_entity_keys(terms, prepared.mentions, 0, len(stored.text)),
        content_hash=stored.content_hash,
        cluster_id=None,
        title=stored.title,
    )


def _rebuild_analyzers() -> list[Callable[[PreparedArticle], PreparedArticle]]:
    """Entity mentions and whatever else other areas add; not the similarity analysers
    (sections are kept as stored, fingerprints are not needed to cluster)."""
    from reader.pipeline import ARTICLE_ANALYZERS

    return [a for a in ARTICLE_ANALYZERS if not getattr(a, "__module__", "").startswith("reader.similarity")]


def units_from_store(page: list[StoredUnit]) -> list[StoryUnit]:
    """Analyse a page of stored stories again (runs in worker processes for large libraries)."""
    analyzers = _rebuild_analyzers()
    return [unit_from_store(stored, analyzers) for stored in page]


# Libraries with more stories than this are analysed again in a process pool.
POOL_THRESHOLD = 2000
IN_FLIGHT_PAGES = 4


def analysed_pages(library: Library, workers: int) -> Iterator[list[StoryUnit]]:
    """Stored stories, a page at a time, analysed in order; the store is read on this thread only."""
    pages = library.iter_story_units(page_size=500)
    if workers <= 1 or library.article_count() < POOL_THRESHOLD:
        yield from map(units_from_store, pages)
        return
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        yield from bounded_imap(pool, units_from_store, pages, in_flight=IN_FLIGHT_PAGES)


def recluster(
    library: Library, *, workers: int | None = None, on_progress: Callable[[int], None] | None = None
) -> ReclusterReport:
    """Rebuild every cluster from scratch, in one transaction, keeping user state.

    Old clusters are mapped to new ones by largest overlap (each old id used once): a new
    cluster takes over the id, label row and star of the old cluster it overlaps most, so read
    state, stars and notes stay where the reader left them. A starred old cluster whose id
    is not reused passes its star to the new cluster holding most of its members.
    """
    stories = 0
    with library.transaction():
        library.begin_story_rebuild()
        for units in analysed_pages(library, workers if workers is not None else (os.cpu_count() or 1)):
            with collection_paused():
                clusterer = StoryClusterer(library)
                clusterer.assign(units)
                clusterer.finish()
            stories += len(units)
            if on_progress:
                on_progress(stories)
        kept, carried = map_rebuilt_clusters(library)
        library.end_story_rebuild()
        clusters = library.cluster_count()
    return ReclusterReport(stories=stories, clusters=clusters, kept_ids=kept, starred_carried=carried)


def map_rebuilt_clusters(library: Library) -> tuple[int, int]:
    """Give new clusters the ids of the old ones they overlap most; carry stars; drop the rest."""
    overlaps = library.story_rebuild_overlaps()
    old_ids = library.old_story_clusters()
    starred = {cluster_id for cluster_id in old_ids if library.cluster_is_starred(cluster_id)}
    final: dict[int, int] = {}  # new id -> id it ends up with
    used_old: set[int] = set()
    for new_id, old_id, _ in overlaps:  # largest overlap first
        if new_id in final or old_id in used_old:
            continue
        final[new_id] = old_id
        used_old.add(old_id)
    for new_id, old_id in final.items():
        library.move_cluster(new_id, old_id)
    carried = 0
    best_new_of_old: dict[int, int] = {}
    for new_id, old_id, _ in overlaps:
        best_new_of_old.setdefault(old_id, new_id)
    for old_id in starred - used_old:
        if old_id in best_new_of_old:
            library.star_cluster_if(final.get(best_new_of_old[old_id], best_new_of_old[old_id]), True)
            carried += 1
    library.delete_empty_clusters(old_id for old_id in old_ids if old_id not in used_old)
    library.refresh_cluster_stats(used_old)
    for old_id in used_old:
        profile = library.story_profiles([old_id]).get(old_id)
        if profile is not None:
            library.set_cluster_label(old_id, cluster_label(profile))
    return len(used_old), carried
