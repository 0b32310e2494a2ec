"""Clean scraped article text: safe characters, tidy whitespace, no page furniture.

Scraped text carries the page around the article: skip-links, share and
subscribe prompts, rating widgets, "Related articles" lists, comment sections,
CMS shortcodes, image credits and navigation crumbs. They are recognised line
by line with a small table of named rules (``LINE_RULES``), each written for
en/fr/de/es/pt/it. The rules are conservative: a line is only dropped when it
is short and matches a pattern that a sentence of news does not; paragraphs of
prose are never dropped, except inside a comment section or after a related-
articles heading that nothing but headlines follow.

The clean text is terminal-safe (``strip_terminal_controls``), so character
offsets into it (entities, highlights, notes) stay valid when it is displayed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from reader.text.normalize import is_single_spaced, single_spaced
from reader.text.terminal_safety import strip_terminal_controls

# A line longer than this is prose, never a boilerplate line (prompts run to ~40 words).
MAX_BOILERPLATE_WORDS = 60
MAX_BOILERPLATE_CHARS = 600
# A line this long that ends like a sentence is article prose.
PROSE_MIN_WORDS = 20
# A comment heading ends the article only past this share of the text (comments come last).
COMMENTS_MIN_POSITION = 0.25


@dataclass(frozen=True)
class LineRule:
    """One kind of boilerplate line.

    ``pattern`` is matched (``search``) against the line's core: the line with
    leading bullets, emoji and Markdown marks and trailing colons removed.
    ``heads``: the line heads a block of furniture, not just itself: "comments" (the
    comments run to the end of the page) or "headlines" (a list of links, to the end
    of the page or to the next paragraph of prose); see ``_drop_boilerplate_lines``.
    """

    name: str
    pattern: re.Pattern[str]
    max_words: int = 12
    heads: Literal["comments", "headlines"] | None = None
    # For a rule matched anywhere in the line: it is only tried when the folded line
    # contains one of these (a cheap substring test that spares most lines the regex).
    keywords: tuple[str, ...] = ()


def _alternatives(*phrases: str) -> str:
    return "(?:" + "|".join(phrases) + ")"


def _whole(*phrases: str) -> re.Pattern[str]:
    return re.compile(r"^" + _alternatives(*phrases) + r"$", re.IGNORECASE)


def _whole_line_searched(*phrases: str) -> re.Pattern[str]:
    """A whole-line rule tried like an anywhere-rule, after its keywords: for a long line kind
    (the whole-line rules are tried together on every line up to the longest one's words)."""
    return re.compile(r"\A" + _alternatives(*phrases) + r"\Z", re.IGNORECASE)


def _anywhere(*phrases: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + _alternatives(*phrases) + r"(?!\w)", re.IGNORECASE)


_NETWORKS = r"(?:facebook|twitter|x|linkedin|whatsapp|telegram|reddit|pinterest|flipboard|messenger|bluesky|threads|mastodon|e-?mail)"
_SHARE_VERB = r"(?:share|partager|partagez|teilen|compartir|comparte|compartilhar|compartilhe|condividi|condividere)"
_THIS_ARTICLE = (
    r"(?:(?:this|the) (?:article|story|post|page)|cet article|l['’]article|diesen (?:artikel|beitrag)|"
    r"(?:este|esta) (?:artículo|articulo|noticia|nota|artigo|notícia|matéria)|questo articolo)"
)
_SUBSCRIPTION = r"(?:newsletters?|infolettre|lettre d['’]information|bolet[ií]n|boletim|channel|chaîne|kanal|canal|canale|podcast|mailing list|alerts?)"

LINE_RULES: tuple[LineRule, ...] = (
    LineRule(
        "skip_link",
        _whole(
            r"(?:skip|jump) to (?:the )?(?:main )?(?:content|navigation|article|main)",
            r"(?:passer|aller|accéder) (?:directement )?au contenu(?: principal)?",
            r"(?:direkt )?zum (?:haupt)?inhalt(?: springen| wechseln)?",
            r"(?:direkt )?zur navigation(?: springen)?",
            r"(?:saltar|ir|pasar) al contenido(?: principal)?",
            r"(?:pular|ir|saltar) (?:para o|ao) conte[uú]do(?: principal)?",
            r"(?:vai|salta|passa) al contenuto(?: principale)?",
        ),
    ),
    LineRule(
        "share_prompt",
        _whole(
            _SHARE_VERB + r"(?: (?:on|sur|auf|en|em|no|su|via|per) " + _NETWORKS + r")?(?: " + _THIS_ARTICLE + r")?(?: .{0,80})?",
            _THIS_ARTICLE + r" " + _SHARE_VERB,
            r"(?:(?:" + _NETWORKS + r"|tweet|print|imprimer|drucken|imprimir|stampa|copy link|copier le lien|link kopieren)[\s,|•·/]*){2,}",
        ),
    ),
    LineRule(
        "subscribe_prompt",
        _anywhere(
            r"(?:subscribe|sign up|register) (?:now |today |here )?(?:for|to) (?:our|my) (?:[\w-]+ ){0,3}" + _SUBSCRIPTION,
            r"(?:subscribe|sign up) (?:now|today|here)",
            r"(?:get|join) our (?:[\w-]+ ){0,2}" + _SUBSCRIPTION,
            r"follow us on",
            r"abonnez-vous",
            r"inscrivez-vous\b.{0,60}" + _SUBSCRIPTION,
            r"recevez (?:notre|nos|la) (?:[\w-]+ ){0,2}" + _SUBSCRIPTION,
            r"suivez-nous",
            r"pour ne (?:rien )?manquer (?:aucune|aucun|rien)",
            r"(?:newsletter|kanal|podcast) (?:jetzt |kostenlos )?abonnieren",
            r"(?:jetzt|hier) (?:kostenlos )?abonnieren",
            r"abonnieren sie (?:unseren|den|jetzt)",
            r"folgen sie uns",
            r"melden sie sich\b.{0,40}newsletter",
            r"suscr[ií]b(?:ete|ase|anse)",
            r"s[ií]guenos",
            r"ap[uú]ntate\b.{0,40}" + _SUBSCRIPTION,
            r"recibe (?:nuestr[oa]s?|el|la) (?:[\w-]+ ){0,2}" + _SUBSCRIPTION,
            r"assine (?:já|agora|a nossa|o nosso|nossa|nosso|a|o) ?(?:[\w-]+ ){0,2}" + _SUBSCRIPTION,
            r"inscreva-se\b.{0,60}" + _SUBSCRIPTION,
            r"receba (?:a nossa|nossa|a|as) (?:[\w-]+ ){0,2}" + _SUBSCRIPTION,
            r"siga-nos",
            r"iscriviti\b.{0,40}" + _SUBSCRIPTION,
            r"seguici su",
        ),
        max_words=MAX_BOILERPLATE_WORDS,
        keywords=(
            "subscri", "sign up", "register", "get our", "join our", "follow us", "abonn", "inscri", "recev",
            "suivez", "manquer", "newsletter", "kanal", "podcast", "folgen sie", "melden sie", "suscr", "guenos",
            "apunt", "apúnt", "recib", "assine", "inscreva", "receba", "siga-nos", "iscriv", "seguici",
        ),
    ),
    LineRule(
        "rating_prompt",
        _whole(
            r"rate this (?:article|story|post|page)(?: .{0,40})?",
            r"(?:how )?(?:useful|helpful) (?:was|is) this (?:article|story|post|page)\??",
            r"was this (?:article|story|post|page) (?:helpful|useful)\??",
            r"(?:évaluez|notez|noter|évaluer) cet article(?: .{0,40})?",
            r"cet article vous a-t-il (?:été utile|plu) ?\??",
            r"(?:artikel|beitrag) bewerten|bewerten sie diesen (?:artikel|beitrag)",
            r"(?:valora|califica|puntúa) (?:este|esta) (?:artículo|articulo|noticia|nota)",
            r"(?:avalie|classifique) (?:este|esta) (?:artigo|matéria|notícia|conteúdo)",
            r"(?:vota|valuta) (?:questo|l['’])\s?articolo",
            r"[★☆⭐✩✪✭ ]+",
            r"\d(?:[.,]\d)?\s*/\s*(?:5|10)(?: \(\d+ (?:votes?|votos?|voti|stimmen|avis|ratings?)\))?",
            r"\(?\d+ (?:votes?|votos?|voti|stimmen|avis|ratings?)\)?",
        ),
    ),
    LineRule(
        "image_credit",
        _whole(
            r"(?:photos?|photograph|pictures?|images?|illustrations?|crédits?|credits?|crédits? photos?|photo credits?|"
            r"image (?:credit|source|copyright)|source (?:image|photo)|bild(?:quelle)?|fotos?|foto(?:grafia)?|imagen|imagem|immagine|copyright)"
            r"\s*(?::|©)\s*.{1,120}",
            r"©\s*.{1,120}",
            r"(?:photo|picture|image|imagen|imagem|immagine|foto|bild) (?:by|par|von|de|di|por) .{1,80}",
            r"(?:[\w.'’ -]{1,60}(?:/| via | for | - ))?(?:getty images|shutterstock|istock(?:photo)?|unsplash|pexels|pixabay|ap photo|afp photo|reuters/[\w ]+)",
        ),
        max_words=20,
    ),
    LineRule(
        "wire_credit",
        _whole_line_searched(
            # Reuters' closing line, in its languages: "(Reporting by A; Editing by B)",
            # "(Reportage A, édité par B)", "(Bericht von A, redigiert von B)", "(Reporte de A; Editado por B)"
            r"\((?:additional |further )?(?:reporting|writing|editing|research|compiled|graphics|fact-?checking) by .{1,250}\)",
            r"(?:reporting|writing) by [^.]{1,120}[;,] (?:additional reporting|editing|writing|graphics|compiled) by [^.]{1,200}",
            r"\((?:reportage|reporting|bericht|reporte|reportagem|redação|rédaction|redazione)(?: (?:de|von|por|par|di|by))? .{1,250}"
            r"(?:édité|redigiert|editado|editada|editing|edited|edição|version française|versión en español|mitarbeit).{0,250}\)",
            # the Associated Press's and others' "X contributed to this report"
            r"(?:the )?(?:associated press|ap|afp|reuters) (?:writers?|reporters?|correspondents?|researchers?|journalists?) .{1,150} contributed"
            r"(?: reporting| to this (?:report|story))?(?: from .{1,80})?",
            r".{1,120} contributed (?:reporting|to this (?:report|story))(?: from .{1,80})?",
        ),
        max_words=50,
        keywords=("ing by", "compiled by", "research by", "graphics by", "contributed", "(re", "(be"),
    ),
    LineRule(
        "read_also",
        _whole(
            _alternatives(
                r"read (?:more|also|next)",
                r"see also",
                r"more on this story",
                r"(?:à )?lire (?:aussi|également|la suite)",
                r"voir aussi",
                r"mehr zum thema",
                r"lesen sie (?:auch|mehr)",
                r"weiterlesen",
                r"lee (?:también|más)",
                r"leer más",
                r"ver también",
                r"(?:leia|veja) (?:também|mais)",
                r"leggi (?:anche|di più)",
            )
            + r"(?:\s*[:|>»–—-]\s*.{0,200})?"
        ),
        max_words=25,
    ),
    LineRule(
        "related_heading",
        _whole(
            r"related(?: articles?| stories| posts| content| news| reading| coverage| topics| links)?",
            r"more (?:stories|articles|news|from \S.{0,40})",
            r"you (?:may|might) also (?:like|enjoy|be interested in)",
            r"recommended(?: for you| articles| stories| reading)?",
            r"(?:articles?|contenus?) (?:similaires|connexes|liés|recommandés)",
            r"sur le même (?:sujet|thème)",
            r"(?:vous )?(?:pourriez|pourrez) aussi aimer",
            r"(?:ces articles|ceci) (?:peuvent|pourraient|pourrait) (?:aussi |également )?vous intéresser",
            r"ähnliche (?:artikel|beiträge|themen|meldungen)",
            r"weitere (?:artikel|beiträge|meldungen|nachrichten)(?: zum thema)?",
            r"das könnte sie (?:auch )?interessieren",
            r"(?:artículos|noticias|notas|contenidos?) relacionad[oa]s",
            r"(?:también )?te (?:puede|podría) interesar",
            r"(?:artigos|notícias|matérias|conteúdos?) relacionad[oa]s",
            r"(?:você )?(?:também )?(?:pode|poderá) gostar",
            r"(?:articoli|notizie|contenuti) correlat[ie]",
            r"(?:ti )?potrebbe (?:anche )?interessar(?:ti|e)",
        ),
        heads="headlines",
    ),
    LineRule(
        "comments",
        _whole(
            r"\d+ (?:comments?|commentaires?|kommentare?|comentarios?|comentários?|commenti|commento|réactions?|reacciones|reações|reaktionen|repl(?:y|ies))",
            r"(?:leave|post|add|write|submit) (?:a|your) (?:comment|reply)",
            r"(?:show|view|load|see|read) (?:all )?(?:\d+ )?comments",
            r"(?:reader )?comments|commentaires|kommentare|comentarios|comentários|commenti",
            r"join the (?:discussion|conversation)",
            r"(?:laisser|laissez|ajouter|écrire|poster) un commentaire|réagissez(?: à cet article)?",
            r"kommentar (?:schreiben|verfassen|abgeben)|(?:diskutieren sie mit|zur diskussion)",
            r"(?:deja|dejar|escribe|añade) (?:un|tu) comentario",
            r"(?:deixe|deixar|escreva) (?:um|seu|o seu) comentário",
            r"(?:lascia|scrivi|aggiungi) un commento",
            r"comments are closed|les commentaires sont fermés|(?:die )?kommentare sind geschlossen",
            r"(?:die )?kommentarfunktion (?:ist|wurde) (?:deaktiviert|geschlossen|geschlossen worden)",
            r"los comentarios están cerrados|(?:os )?comentários (?:estão )?(?:fechados|encerrados)|i commenti sono chiusi",
        ),
        heads="comments",
    ),
    LineRule(
        "breadcrumbs",
        _whole(r"[^\W\d][\w&'’ -]{0,30}(?: [›>»/|] [^\W\d][\w&'’ -]{0,30}){1,6}"),
    ),
)

_RULE_BY_NAME = {rule.name: rule for rule in LINE_RULES}
# One anchored pass for all the whole-line rules, one search for the anywhere-rules.
_LINE_RULE_PATTERN = re.compile(
    "|".join(f"(?P<{rule.name}>{rule.pattern.pattern[1:-1]})" for rule in LINE_RULES if rule.pattern.pattern.startswith("^")),
    re.IGNORECASE,
)
_ANYWHERE_RULES = tuple(rule for rule in LINE_RULES if not rule.pattern.pattern.startswith("^"))
_MAX_WHOLE_LINE_WORDS = max(rule.max_words for rule in LINE_RULES if rule.pattern.pattern.startswith("^"))

_LEADING_DECORATION = re.compile(r"^[^\w«“\"'(\[©★☆⭐✩✪✭]+")
_TRAILING_DECORATION = " \t:*_#|>›»→.…!-"

# Inline furniture, removed from inside lines: shortcode blocks whose content is not
# article text ([caption]…[/caption]), any other shortcode tag ([amazon box="…"], [/su_note]),
# and parenthesised image credits "(Photo credit: Infopromotions)".
_SHORTCODE_BLOCK = re.compile(
    r"\[(caption|gallery|embed|video|audio|playlist|amazon|ads?|adsense|tweet|instagram|youtube|related[\w-]*)\b[^\]]{0,500}\].{0,2000}?\[/\1\]",
    re.IGNORECASE,
)
# Known shortcode names, and any tag with key="value" attributes: [amazon box="…"], [su_note id=3].
_SHORTCODE_NAMES = r"(?:amazon|caption|gallery|embed|toc|ads?|adsense|related[\w-]*|contact-form[\w-]*|wp_ad_camp_\d+)"
_SHORTCODE_OPENING = re.compile(
    r"""\[(?P<name>[a-z][\w-]*)(?:\s+[\w-]+\s*=\s*(?:"[^"\]]*"|“[^”\]]*”|”[^”\]]*”|'[^'\]]*'|‘[^’\]]*’|[^\s\]]+))+\s*/?\]"""
    rf"|\[(?P<known>{_SHORTCODE_NAMES})\b[^\]]{{0,200}}\]",
    re.IGNORECASE,
)
_KNOWN_CLOSING = re.compile(rf"\[/{_SHORTCODE_NAMES}\]", re.IGNORECASE)

_CREDIT_OPENING = r"[(\[](?:photos?|images?|pictures?|illustrations?|crédits?|credits?|fotos?|bild|imagen|imagem|immagine)"
_INLINE_CREDIT = re.compile(
    r"\s*" + _CREDIT_OPENING + r"(?:\s+(?:credits?|crédits?|source|copyright))?\s*[:©]\s*[^()\[\]\n]{1,80}[)\]]",
    re.IGNORECASE,
)
# What every inline credit starts with: searched first, as the leading \s* makes the full
# pattern slow to search (it is tried at every character, not just at brackets).
_INLINE_CREDIT_OPENING = re.compile(_CREDIT_OPENING, re.IGNORECASE)

_TRAILING_WIRE_CREDIT = re.compile(
    r"\((?:additional |further )?(?:reporting|writing|editing|compiled) by [^()]{1,250}\)", re.IGNORECASE
)

_NEWLINES = re.compile(r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_OTHER_NEWLINES = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # what _NEWLINES turns into \n
_INVISIBLE = re.compile("[\u00ad\u034f\u2061-\u2064]")  # soft hyphen and other invisible marks
_INVISIBLE_CHARS = "\u00ad\u034f\u2061\u2062\u2063\u2064"  # (what _INVISIBLE matches)
_SENTENCE_ENDINGS = tuple(".!?…»”\"')")
_CRUMB = re.compile(r"[^\W\d_](?:[^\W\d_]|[&'’-])*(?: (?:[^\W\d_]|[&'’-])+){0,2}")
_COMPARABLE = re.compile(r"[\W_]+")


def tidy_text(raw: str) -> str:
    """Terminal-safe NFC text with \\n newlines, single spaces, stripped lines, no blank-line runs."""
    if any(map(raw.__contains__, _OTHER_NEWLINES)):  # (a few substring tests: 15x cheaper than the regex)
        raw = _NEWLINES.sub("\n", raw)
    text = strip_terminal_controls(raw)
    if not text.isascii():  # (ASCII is NFC and has no invisible mark)
        text = unicodedata.normalize("NFC", text)
        if any(map(text.__contains__, _INVISIBLE_CHARS)):  # (six substring tests: 10x cheaper than the regex)
            text = _INVISIBLE.sub("", text)
    return _join_lines([single_spaced(line) for line in text.split("\n")])


def word_count(text: str) -> int:
    """``len(text.split())``, counted without building the words when the text is single-spaced."""
    if text and is_single_spaced(text):
        return text.count(" ") + 1
    return len(text.split())


def ends_sentence(line: str) -> bool:
    """The line (no newline in it) ends with sentence punctuation or a closing quote."""
    return line.endswith(_SENTENCE_ENDINGS)


def _join_lines(lines: Sequence[str]) -> str:
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def _line_core(line: str) -> str:
    """The line without leading bullets/emoji/Markdown marks and trailing colons or arrows."""
    return _LEADING_DECORATION.sub("", line.strip()).rstrip(_TRAILING_DECORATION)


def boilerplate_kind(line: str) -> str | None:
    """The name of the LINE_RULES rule that this line matches, or None for article text."""
    if len(line) > MAX_BOILERPLATE_CHARS:
        return None
    core = _line_core(line)
    if not core:
        return None
    words = word_count(core)
    if words > MAX_BOILERPLATE_WORDS:
        return None
    if words <= _MAX_WHOLE_LINE_WORDS:
        match = _LINE_RULE_PATTERN.fullmatch(core)
        if match and words <= _RULE_BY_NAME[match.lastgroup].max_words:  # type: ignore[index]
            return match.lastgroup
    folded = core.casefold()
    for rule in _ANYWHERE_RULES:
        if words <= rule.max_words and any(map(folded.__contains__, rule.keywords)) and rule.pattern.search(core):
            return rule.name
    return None


def is_boilerplate_line(line: str) -> bool:
    """True for a line of page furniture (skip-link, prompt, credit, comment heading ...)."""
    return boilerplate_kind(line) is not None


def strip_inline_boilerplate(line: str) -> str:
    """Remove shortcodes, parenthesised image credits and a closing wire credit from inside a line.

    A closing tag goes only for a known shortcode name or an opening tag removed on
    the same line, so "[/quote]" or "[link=…]" in an article's own text stay.
    """
    if "[" in line:
        line = _SHORTCODE_BLOCK.sub("", line)
        removed: set[str] = set()

        def drop_opening(match: re.Match[str]) -> str:
            removed.add((match["name"] or match["known"]).casefold())
            return ""

        line = _KNOWN_CLOSING.sub("", _SHORTCODE_OPENING.sub(drop_opening, line))
        for name in removed:
            line = re.sub(rf"\[/{re.escape(name)}\]", "", line, flags=re.IGNORECASE)
    if ("(" in line or "[" in line) and _INLINE_CREDIT_OPENING.search(line):
        line = _INLINE_CREDIT.sub("", line)
    if line.endswith(")"):  # a wire story's credits closing its last paragraph: "... 87-13. (Reporting by A; Editing by B)"
        opening = line.rfind("(")
        if opening >= 0 and _TRAILING_WIRE_CREDIT.fullmatch(line, opening):
            line = line[:opening]
    return single_spaced(line)


def _is_prose(line: str) -> bool:
    return ends_sentence(line) and word_count(line) >= PROSE_MIN_WORDS


def _drop_boilerplate_lines(lines: list[str]) -> list[str]:
    """Drop boilerplate lines; cut the page at a comment section or a final related-articles list.

    A comment heading cuts only past COMMENTS_MIN_POSITION of the text. A related-articles
    heading cuts only when no line of prose follows it; otherwise it and the headline-like
    lines right after it are dropped and the article goes on.
    """
    total = sum(len(line) + 1 for line in lines) or 1
    kept: list[str] = []
    offset = 0
    index = 0
    while index < len(lines):
        line = lines[index]
        kind = boilerplate_kind(line) if line else None
        if kind is None:
            kept.append(line)
        elif _RULE_BY_NAME[kind].heads == "comments" and offset / total >= COMMENTS_MIN_POSITION:
            break
        elif _RULE_BY_NAME[kind].heads == "headlines":
            rest = lines[index + 1 :]
            if not any(_is_prose(following) for following in rest):
                break
            while index + 1 < len(lines) and lines[index + 1] and not _is_prose(lines[index + 1]):
                offset += len(lines[index + 1]) + 1
                index += 1
        offset += len(line) + 1
        index += 1
    return kept


class _WordCharsOnly(dict):
    """str.translate table deleting what ``_COMPARABLE`` matches (6x faster than the regex)."""

    def __missing__(self, code: int) -> str | None:
        if len(self) >= 100_000:  # (bounded: one entry per character seen)
            self.clear()
        char = chr(code)
        self[code] = kept = None if _COMPARABLE.fullmatch(char) else char
        return kept


_WORD_CHARS_ONLY = _WordCharsOnly()


def comparable(text: str) -> str:
    """Case-, punctuation- and space-insensitive form, to recognise a repeated headline."""
    return text.casefold().translate(_WORD_CHARS_ONLY)


COPY_TEST_CHARS = 24


def could_be_copy(line: str, wanted: str) -> bool:
    """False when ``comparable(line) == wanted`` cannot hold, from the line's first and last characters
    only: ``comparable`` maps character by character, so the start (the end) of the line maps to the
    start (the end) of its form. (A lead paragraph that opens with the headline fails at its end,
    without the whole paragraph being made comparable.)"""
    return wanted.startswith(comparable(line[:COPY_TEST_CHARS])) and wanted.endswith(comparable(line[-COPY_TEST_CHARS:]))


def _drop_repeated_title(lines: list[str], title: str | None, lead_lines: int = 4) -> list[str]:
    """Drop copies of the title among the first few non-empty lines (before the body starts)."""
    if not title or not (wanted := comparable(title)):
        return lines
    out: list[str] = []
    seen = 0
    for line in lines:
        if line and seen < lead_lines:
            seen += 1
            if could_be_copy(line, wanted) and comparable(line) == wanted:
                continue
            if _is_prose(line):
                seen = lead_lines
        out.append(line)
    if not any(out):  # the text was only its headline: keep it, an article is never emptied
        return lines
    return out


def _drop_trailing_crumbs(lines: list[str], at_most: int = 2) -> list[str]:
    """Drop navigation crumbs left at the very end: a lone category word like "Mode".

    Crumbs are blocks of one short line of one to three words, without digits or
    punctuation, at the end, after a paragraph that ends like a sentence.
    """
    end = len(lines)
    cut = None
    for _ in range(at_most):
        while end and not lines[end - 1]:
            end -= 1
        if end < 3 or lines[end - 2] or len(lines[end - 1]) > 30 or not _CRUMB.fullmatch(lines[end - 1]):
            break
        end -= 1
        while end and not lines[end - 1]:
            end -= 1
        if end and ends_sentence(lines[end - 1]):
            cut = end
    return lines[:cut] if cut is not None else lines


def clean_text(raw: str, title: str | None = None) -> str:
    """Article text without boilerplate, terminal-safe, with tidy whitespace.

    ``title`` lets a leading repeat of the headline be dropped. Paragraphs are
    separated by one blank line; lines inside a paragraph are kept.
    """
    if not raw:
        return ""
    # (tidy lines are single-spaced already: only a line with a "[" or "(" can change)
    lines = [strip_inline_boilerplate(line) if "[" in line or "(" in line else line for line in tidy_text(raw).split("\n")]
    lines = _drop_boilerplate_lines(lines)
    lines = _drop_repeated_title(lines, tidy_text(title) if title else None)
    lines = _drop_trailing_crumbs(lines)
    return _join_lines(lines)
