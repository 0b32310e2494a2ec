"""The signals story clustering compares: names, numbers, words per language, time."""

from __future__ import annotations

from reader.model import RawArticle
from reader.pipeline import prepare_article
from reader.similarity.clustering import (
    cosine,
    square_norms,
    time_factor,
    weighted_vector,
)
from reader.similarity.story_terms import MAX_COUNT, TERM_FREQUENCY, number_key, story_terms_of, term_counts
from reader.store.story_clusters import StoryProfile, term_id


def test_a_spaced_percent_sign_is_the_same_number_key() -> None:
    french = term_counts("Walmart prend 7,5 %", "Oracle prend 12,5 % et Walmart 7,5\u00a0%, soit 3\u202f% de plus.", "fr")
    english = term_counts("Walmart takes 7.5%", "Oracle takes 12.5% and Walmart 7.5%, 3% more.", "en")
    numbers = {key for key in english if key.startswith("#")}
    assert numbers == {"#12.5%", "#7.5%", "#3%"}
    assert {key for key in french if key.startswith("#")} == numbers


def test_numbers_are_written_one_way_whatever_the_language() -> None:
    assert number_key("12,5%") == number_key("12.5%") == "#12.5%"
    assert number_key("1,000") == number_key("1.000") == "#1000"
    assert number_key("2020") == "#2020"


def test_names_carry_over_between_languages_and_words_do_not() -> None:
    english = term_counts("Oracle wins TikTok deal", "ByteDance chose Oracle as the partner for TikTok in 2020.", "en")
    french = term_counts("Oracle remporte TikTok", "ByteDance a choisi Oracle comme partenaire de TikTok en 2020.", "fr")
    shared = set(english) & set(french)
    assert {"n:oracle", "n:tiktok", "n:bytedance", "#2020"} <= shared
    assert not any(key.startswith("w:") for key in shared)


def test_sentence_initial_words_are_not_names_unless_seen_mid_sentence() -> None:
    keys = term_counts("", "Yesterday the board met. Oracle said the board met Oracle.", "en")
    assert "n:oracle" in keys and "n:yesterday" not in keys


def test_title_case_headlines_do_not_make_names() -> None:
    keys = term_counts("Ellen DeGeneres To Host Oscars", "The comedian Ellen DeGeneres will host the Oscars.", "en")
    assert "n:degeneres" in keys and "n:oscars" in keys
    assert "n:host" not in keys and "w:en:host" in keys


def test_sentence_case_headlines_name_what_they_capitalise_mid_sentence() -> None:
    # the body never writes these names capitalised: only the headline tells
    keys = term_counts("Indian navy captures 23 pirates in the Gulf of Aden", "The pirates were taken to port.", "en")
    assert {"n:gulf", "n:aden"} <= keys.keys()
    assert "n:indian" not in keys and "w:en:indian" in keys  # the headline's first word opens a sentence
    assert "n:navy" not in keys and "w:en:navy" in keys  # written in lower case


def test_a_headline_word_after_a_colon_opens_a_sentence() -> None:
    keys = term_counts("Update: Storms flood the coast of Texas", "Water rose overnight.", "en")
    assert "n:texas" in keys and "n:storms" not in keys and "n:storm" not in keys


def test_an_all_capitals_headline_is_read_as_the_body_writes_its_words() -> None:
    body = "Defensive tackle Jamal Williams was arrested on suspicion of DUI, police said."
    keys = term_counts("CHARGERS' WILLIAMS ARRESTED ON SUSPICION OF DUI", body, "en")
    assert {"n:williams", "n:dui"} <= keys.keys()  # as the body writes them
    assert "n:arrested" not in keys and "w:en:arrested" in keys  # not an acronym
    assert "n:chargers" not in keys and "w:en:charger" in keys  # the body never writes it: a word


def test_dotted_initials_are_one_name() -> None:
    keys = term_counts("", "Officials of the U.S. and the U.N. met, e.g. in Geneva.", "en")
    assert {"n:us", "n:un"} <= keys.keys()  # though "us" and "un" are function words
    assert not {"n:u", "n:s", "n:n"} & keys.keys()
    assert not any(key.startswith("w:en:e") for key in keys)  # "e.g." is no word


def test_codes_of_letters_and_digits_are_one_name() -> None:
    keys = term_counts("", "Flight MH370 vanished; MH17 was shot down. The G7 met on COVID-19; F-35 jets and AK-47s.", "en")
    assert {"n:mh370", "n:mh17", "n:g7", "n:covid19", "n:f35", "n:ak47"} <= keys.keys()  # two flights, not "MH" twice
    assert not {"n:mh", "n:g", "n:covid", "n:f", "n:ak", "#370", "#17", "#19", "#35", "#47"} & keys.keys()


def test_initials_written_with_spaces_are_the_same_name() -> None:
    spaced = term_counts("Regina Benjamin, M. D., nominated", "The U. S. Senate heard J. K. Rowling and George W. Bush.", "en")
    joined = term_counts("Regina Benjamin, M.D., nominated", "The U.S. Senate heard J.K. Rowling and George W. Bush.", "en")
    assert spaced == joined
    assert {"n:us", "n:md", "n:jk", "n:w", "n:bush"} <= spaced.keys()
    assert not {"n:u", "n:s", "n:m", "n:d", "n:j", "n:k"} & spaced.keys()


GERMAN = (
    "Innenministerin Nancy Faeser sagte in Berlin, die Regeln für Betreiber kritischer Infrastrukturen "
    "würden verschärft. Unternehmen müssen Sicherheitsvorfälle künftig binnen 24 Stunden melden."
)


def test_given_name_words_decide_which_capitalised_words_are_names() -> None:
    keys = term_counts("Kabinett beschließt strengere Regeln", GERMAN, "de", name_words={"nancy", "faeser", "berlin"})
    assert {"n:nancy", "n:faeser", "n:berlin"} <= keys.keys()
    assert not {"n:regeln", "n:stunden", "n:betreiber", "n:unternehmen"} & keys.keys()
    assert {"w:de:regeln", "w:de:stunden", "w:de:betreiber"} <= keys.keys()


def test_german_nouns_are_words_in_a_story_and_its_entity_names_are_names() -> None:
    raw = RawArticle(external_id="de", title="Kabinett beschließt strengere Regeln", text=GERMAN, origin="t", lang="de")
    prepared = prepare_article(raw)
    assert prepared.lang == "de"
    counts = prepared.story_terms[0].counts
    assert {"n:faeser", "n:berlin"} <= counts.keys()
    assert not {"n:regeln", "n:stunden", "n:betreiber", "n:unternehmen", "n:sicherheitsvorfalle"} & counts.keys()


def test_cross_language_cosine_uses_only_language_neutral_keys() -> None:
    english = story_terms_of("Oracle wins TikTok deal", "ByteDance chose Oracle for TikTok. The deal closes soon.", "en")
    vector = weighted_vector(english.counts, {key: 1.0 for key in english.counts})
    anchors = {k: v for k, v in vector.items() if not k.startswith("w:")}
    assert anchors and len(anchors) < len(vector)
    # a French cluster with the same names and numbers, and French words of its own
    french = StoryProfile(cluster_id=1, members=1, langs={"fr"}, weights={**anchors, "w:fr:accord": 0.5, "w:fr:rachat": 0.5})
    assert abs(cosine(vector, "en", french, square_norms(vector, ["en"])) - 1.0) < 1e-9
    # in one language, words count: extra words on one side lower the similarity
    english_cluster = StoryProfile(cluster_id=2, members=1, langs={"en"}, weights={**anchors, "w:en:merger": 0.5})
    assert cosine(vector, "en", english_cluster, square_norms(vector, ["en"])) < 0.9


def test_time_decays_similarity_beyond_a_few_days() -> None:
    profile = StoryProfile(cluster_id=1, first_day=1000, last_day=1002)
    assert time_factor(1001, 1001, profile) == 1.0
    assert time_factor(1005, 1005, profile) == 1.0  # within three days of the span
    assert 0.45 < time_factor(1012, 1012, profile) < 0.55  # a week beyond: about half
    assert time_factor(1100, 1100, profile) < 0.001
    assert time_factor(None, None, profile) == 1.0  # unknown date: no evidence either way
    assert time_factor(900, 950, profile) < time_factor(990, 995, profile)


def test_term_ids_are_stable_64_bit_integers() -> None:
    assert term_id("n:oracle") == term_id("n:oracle")
    assert term_id("n:oracle") != term_id("n:tiktok")
    assert all(-(2**63) <= term_id(k) < 2**63 for k in ("", "w:fr:état", "#12.5%"))


def test_story_terms_are_counts_whose_frequency_is_log_scaled() -> None:
    terms = story_terms_of("Oracle wins", "Oracle said Oracle won. " + "TikTok/" * 6000, "en")
    assert all(type(count) is int for count in terms.counts.values())
    assert terms.counts["n:tiktok"] == MAX_COUNT  # one piece naming TikTok 6,000 times: counted up to the cap
    scaled = term_counts("Oracle wins", "Oracle said Oracle won.", "en")
    unscaled = story_terms_of("Oracle wins", "Oracle said Oracle won.", "en").counts
    assert {key: TERM_FREQUENCY[count] for key, count in unscaled.items()} == scaled


def test_story_terms_do_not_depend_on_what_the_process_read_before() -> None:
    # the per-process caches only save work: a text's terms come out the same, in the same
    # order (which breaks ties between equally weighted terms), the first time and the next;
    # "sails" and "trawlers" have been read before, the made-up words have not
    story_terms_of("", "the sails of trawlers", "en")
    text = "Quarvelle trawlers left the harbour; the glorvane fleet followed the trawlers"
    first = story_terms_of("Zembrish glorvane sails", text, "en")
    again = story_terms_of("Zembrish glorvane sails", text, "en")
    assert list(first.counts.items()) == list(again.counts.items())
    assert type(first.counts) is dict  # a plain dict: what the worker processes send is small and quick to read
