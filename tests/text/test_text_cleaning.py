"""Cleaning: boilerplate of each kind goes (real examples from the seeds), article prose stays."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.ingest.plaintext import split_title
from reader.text.cleaning import boilerplate_kind, clean_text, is_boilerplate_line, strip_inline_boilerplate, tidy_text
from reader.text.terminal_safety import strip_terminal_controls


def words(text: str) -> str:
    return " ".join(text.split())


# --- the seeds: each kind of boilerplate, on its real example ------------------------------


def test_seed_002_title_is_the_headline_not_the_skip_link(seed):
    s = seed("002")
    assert s.raw.lstrip().startswith("Passer au contenu")
    assert s.title == "TikTok : Microsoft hors-jeu, Oracle en passe de conclure un partenariat"


def test_skip_link_goes(seed):
    s = seed("002")
    assert boilerplate_kind("Passer au contenu") == "skip_link"
    assert "Passer au contenu" not in s.clean


def test_leading_title_repeat_goes_and_the_lede_opens_the_text(seed):
    s = seed("002")
    assert s.clean.startswith("Alors que l’offre de rachat de Microsoft a été refusée par ByteDance")
    assert "hors-jeu" not in s.clean


def test_image_credit_line_goes(seed):
    s = seed("002")
    assert boilerplate_kind("Crédits\u00a0: Solen Feyissa via Unsplash") == "image_credit"
    assert "Solen Feyissa" not in s.clean and "Unsplash" not in s.clean


def test_parenthesised_image_credit_goes_and_its_sentence_stays(seed):
    s = seed("000")
    assert "(Photo credit: Infopromotions)" in s.raw
    assert "Photo credit" not in s.clean
    assert "Avanteam, Docaposte, Docuware, Docusign, Digimind, Esker or Smile are also available." in s.clean


def test_amazon_shortcode_goes(seed):
    s = seed("002")
    assert "[amazon" in s.raw
    assert "[amazon" not in s.clean and "B01LXDNNBW" not in s.clean


def test_newsletter_prompt_goes(seed):
    s = seed("002")
    prompt = next(line for line in s.raw.splitlines() if "abonnez-vous" in line)
    assert boilerplate_kind(prompt) == "subscribe_prompt"
    assert "abonnez-vous" not in s.clean and "newsletter" not in s.clean


def test_comment_section_goes_with_its_comments_and_the_trailing_crumb(seed):
    s = seed("002")
    assert boilerplate_kind("2 commentaires") == "comments"
    assert boilerplate_kind("Les commentaires sont fermés.") == "comments"
    for gone in ("commentaires", "fourrent", "chevaux de batailles", "s’attendre à ça", "Mode"):
        assert gone not in s.clean
    assert s.clean.endswith("tandis que Donald Trump avançait la date du 15 septembre 2020.")


def test_rating_prompt_and_related_articles_go(seed):
    s = seed("003")
    assert boilerplate_kind("Rate this article:") == "rating_prompt"
    assert boilerplate_kind("Related articles") == "related_heading"
    assert "Rate this article" not in s.clean and "Related articles" not in s.clean
    assert s.clean.endswith("the interest of the American company shown in TikTok.")


def test_repeated_title_goes_but_the_dateline_stays(seed):
    s = seed("003")
    assert s.raw.count("TikTok Chooses Oracle To Be US Partner") == 2
    assert "TikTok Chooses Oracle To Be US Partner" not in s.clean
    assert s.clean.startswith("Sep 14, 2020 App News\n\nTikTok has been facing serious threats")


# --- conservative: every real sentence of every seed survives ---------------------------

# Lines of the seeds that are page furniture, not article (the same kinds as above).
SEED_BOILERPLATE = ("Solen Feyissa via Unsplash", "abonnez-vous", "commentaires sont fermés", "n’y fourrent pas", "Je ne pense pas que Oracle", "Mais bon faut")


def test_every_paragraph_of_news_in_the_seeds_survives(all_seeds):
    checked = 0
    for s in all_seeds:
        clean = words(s.clean)
        for line in s.raw.splitlines():
            line = words(strip_inline_boilerplate(line))
            if len(line.split()) < 4 or line == words(s.title) or any(mark in line for mark in SEED_BOILERPLATE):
                continue
            assert line in clean, f"{s.name}: lost {line[:80]!r}"
            checked += 1
    assert checked > 60


def test_short_article_lines_survive(seed):
    s = seed("004")
    assert "\n\nTikTok Oracle\n\n" in s.clean  # a subheading, not a crumb
    s = seed("000")
    assert s.clean.endswith("– Thursday, September 24, 2020")  # a programme line with a date
    assert "Program of conferences and workshops" in s.clean


def test_clean_is_idempotent_on_the_seeds(all_seeds):
    for s in all_seeds:
        assert clean_text(s.clean, title=s.title) == s.clean


# --- the rules in six languages -----------------------------------------------------------

BOILERPLATE_LINES = {
    "skip_link": ["Skip to content", "Skip to main content", "Aller au contenu principal", "Zum Inhalt springen",
                  "Saltar al contenido", "Pular para o conteúdo", "Vai al contenuto"],
    "share_prompt": ["Share this article", "Share on Facebook", "Partager cet article", "Diesen Artikel teilen",
                     "Compartir en Twitter", "Compartilhe esta notícia", "Condividi su Facebook",
                     "Facebook Twitter LinkedIn Email", "Share this article: Facebook Twitter"],
    "subscribe_prompt": ["Subscribe to our newsletter", "Sign up for our daily newsletter to get the best stories.",
                         "Abonnez-vous à notre newsletter", "Jetzt den Newsletter abonnieren",
                         "Suscríbete a nuestro boletín", "Assine a nossa newsletter", "Iscriviti alla nostra newsletter",
                         "Follow us on Twitter and Instagram"],
    "rating_prompt": ["Rate this article:", "Was this article helpful?", "Évaluez cet article", "Artikel bewerten",
                      "Valora este artículo", "Avalie esta matéria", "Vota questo articolo", "★★★★☆", "4.5/5 (12 votes)"],
    "image_credit": ["Crédits : Solen Feyissa via Unsplash", "Photo: John Smith/Reuters", "Image: NASA",
                     "Photo credit: AFP", "Foto: dpa", "Bild: picture alliance", "© AFP", "Photo by Jane Doe on Unsplash",
                     "Getty Images"],
    "read_also": ["Read more: Why the deal matters", "À lire aussi : le rachat de TikTok", "Lesen Sie auch",
                  "Leia também: Governo anuncia", "Leggi anche"],
    "related_heading": ["Related articles", "Related stories", "You may also like", "Articles similaires",
                        "Sur le même sujet", "Das könnte Sie auch interessieren", "Artículos relacionados",
                        "Notícias relacionadas", "Articoli correlati"],
    "comments": ["2 commentaires", "14 Comments", "Leave a comment", "Leave a Reply", "Les commentaires sont fermés.",
                 "Comments are closed.", "Kommentar schreiben", "Deja un comentario", "Deixe um comentário",
                 "Lascia un commento", "3 Kommentare"],
    "breadcrumbs": ["Home › Tech › Mobile", "Accueil > Actualités > Tech"],
    "wire_credit": ["(Reporting by Patricia Zengerle; Editing by Leslie Adler)",
                    "Reporting by Jane Doe in London; additional reporting by Bob Roe; Editing by Alex Richardson",
                    "(Reportage Jean Dupont, version française Claude Chendjou, édité par Blandine Hénault)",
                    "(Bericht von Holger Hansen, redigiert von Sabine Wollrab)",
                    "(Reporte de Juan Pérez; Editado en español por Ana López)",
                    "Associated Press writers Zeke Miller and Lisa Mascaro contributed to this report.",
                    "Jane Smith contributed reporting from Kyiv."],
}  # fmt: skip


@pytest.mark.parametrize(("kind", "line"), [(kind, line) for kind, lines in BOILERPLATE_LINES.items() for line in lines])
def test_boilerplate_line_is_recognised(kind, line):
    assert boilerplate_kind(line) == kind
    assert boilerplate_kind(f"  ▶ **{line}**  ") == kind  # decorations around it don't matter


PROSE_LINES = [
    "The company said it would share the details with investors next week.",
    "Shares of Oracle rose 4% on Monday.",
    "Subscribers to the service will be able to share playlists with friends, the company said.",
    "He said comments are welcome and that the discussion would continue.",
    "Comments by the minister drew criticism from the opposition on Tuesday.",
    "Photo opportunities abounded as the president toured the plant.",
    "Image is everything, he said.",
    "Related to the case, police arrested two men.",
    "Les abonnés pourront partager leurs listes, a indiqué la société.",
    "Der Konzern will seine Abonnenten künftig stärker an sich binden.",
    "La empresa dijo que compartirá los detalles con los inversores.",
    "O governo disse que vai compartilhar os dados com a polícia.",
    "L'azienda ha detto che condividerà i dettagli con gli investitori.",
    "Read the full report on the agency's website, officials said.",
    "Credit Suisse said on Monday it would cut 9,000 jobs.",
    "Reporting by the BBC showed that the minister had misled parliament.",
    "Several nations contributed troops to this mission, the ministry said.",
    "Oracle",
    "Mode",
    "",
]


@pytest.mark.parametrize("line", PROSE_LINES)
def test_article_lines_are_not_boilerplate(line):
    assert not is_boilerplate_line(line)


def test_a_long_line_is_never_boilerplate_even_with_a_prompt_word():
    line = "Subscribe to our newsletter " + "and the rest is a long paragraph of reporting " * 10
    assert boilerplate_kind(line) is None


# --- blocks: where a heading ends the article, and where it doesn't ------------------------

PARAGRAPH = "The minister said on Tuesday that the new rules would take effect next year, after a long consultation with the industry."


def test_related_block_in_the_middle_goes_alone_and_the_article_goes_on():
    raw = f"{PARAGRAPH}\n\nRelated articles\nOracle wins TikTok deal\nMicrosoft bows out\n\nLater, {PARAGRAPH}"
    clean = clean_text(raw)
    assert clean == f"{PARAGRAPH}\n\nLater, {PARAGRAPH}"


def test_comment_heading_at_the_start_does_not_cut_the_article():
    raw = f"Comments\n\n{PARAGRAPH}\n\n{PARAGRAPH}"
    assert clean_text(raw) == f"{PARAGRAPH}\n\n{PARAGRAPH}"


def test_comment_section_at_the_end_goes_with_its_comments():
    raw = f"{PARAGRAPH}\n\n{PARAGRAPH}\n\n3 Comments\nJohn: I think this is a terrible idea and the minister should resign now, frankly.\nLeave a reply"
    assert clean_text(raw) == f"{PARAGRAPH}\n\n{PARAGRAPH}"


def test_shortcodes():
    assert strip_inline_boilerplate('a [caption id="x" align="left"]<img> The caption[/caption] b') == "a b"
    assert strip_inline_boilerplate('[su_note note_color="#fff"]Keep me[/su_note]') == "Keep me"
    kept = "He wrote [sic] twice [1] and quoted [/quote] and [link=http://x]this[/link]"
    assert strip_inline_boilerplate(kept) == kept


def test_title_repeat_is_dropped_only_near_the_start():
    raw = f"The Headline\n\n{PARAGRAPH}\n\nThe Headline\n\n{PARAGRAPH}"
    assert clean_text(raw, title="The headline") == f"{PARAGRAPH}\n\nThe Headline\n\n{PARAGRAPH}"


def test_trailing_crumb_after_the_last_sentence_goes():
    assert clean_text(f"{PARAGRAPH}\n\nMode") == PARAGRAPH
    assert clean_text(f"{PARAGRAPH}\n\nHigh-Tech\n\nMode") == PARAGRAPH
    short_lines = "Agenda\n\nMonday\n\nTuesday"
    assert clean_text(short_lines) == short_lines


# --- whitespace and terminal safety ------------------------------------------------------


def test_a_wire_credit_closing_the_last_paragraph_goes_and_a_credit_in_prose_stays():
    text = "The measure passed 87-13 on Tuesday. (Reporting by Patricia Zengerle; Editing by Leslie Adler)"
    assert clean_text(text) == "The measure passed 87-13 on Tuesday."
    prose = "He said (reporting by the BBC) that the talks had failed."
    assert clean_text(prose) == prose


def test_whitespace_is_normalised():
    raw = "Title\r\n\r\n\r\n\tFirst\u00a0 line  \r\nsame paragraph\u2028\n\n\n\nNext\u00ad paragraph   "
    assert clean_text(raw) == "Title\n\nFirst line\nsame paragraph\n\nNext paragraph"
    assert tidy_text("caf\u0065\u0301") == "café"  # NFC


def test_clean_text_is_terminal_safe_so_offsets_hold_on_display():
    raw = "Body \x1b]52;c;ZXZpbA==\x07with \x1b[31mred\x1b[0m text\x9b2J and \u202eevil\u202c end\x00\x07\n"
    clean = clean_text(raw)
    assert clean == "Body with red text and evil end"
    assert strip_terminal_controls(clean) == clean


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_clean_text_of_anything_has_no_control_characters(raw):
    clean = clean_text(raw)
    assert strip_terminal_controls(clean) == clean
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]", clean)


def test_split_title_never_takes_a_boilerplate_line():
    title, _ = split_title("Skip to content\n\n## Oracle wins the TikTok deal\n\nBody.")
    assert title == "Oracle wins the TikTok deal"


# --- real corpus: cleaning never drops a sentence ----------------------------------------


@pytest.mark.corpus
def test_no_sentence_of_the_dev_corpus_is_dropped(corpora):
    checked = 0
    with open(corpora / "ecbplus_dev.jsonl", encoding="utf-8") as lines:
        for line in lines:
            item = json.loads(line)
            clean = clean_text(item["text"], title=item["title"])
            for paragraph in tidy_text(item["text"]).split("\n"):
                if len(paragraph.split()) >= 6 and words(paragraph) != words(item["title"]):
                    assert paragraph in clean, f"{item['id']}: lost {paragraph[:80]!r}"
                    checked += 1
    assert checked > 1000


def test_a_text_that_is_only_its_headline_is_kept():
    from reader.text.cleaning import clean_text

    title = "The Indian navy has captured 23 Somalian pirates."
    assert clean_text(title, title=title) == title
    assert clean_text(f"{title}\n\nThe pirates were caught.", title=title) == "The pirates were caught."


def test_every_newline_kind_becomes_one_newline_and_invisible_marks_go():
    from reader.text.cleaning import tidy_text

    for newline in ("\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"):
        assert tidy_text(f"one{newline}two") == "one\ntwo", repr(newline)
    assert tidy_text("co\u00adop e\u0301t\u00e9") == "coop \u00e9t\u00e9"  # soft hyphen gone, NFC


def test_comparable_keeps_exactly_the_word_characters_casefolded():
    import re

    from reader.text.cleaning import comparable

    for text in ("Straße: ÉTÉ — 2020_x ½ ٣ ǅ!", "", "   ", "A.B.C", "x\u200by\ufeffz"):
        assert comparable(text) == re.sub(r"[\W_]+", "", text.casefold())
