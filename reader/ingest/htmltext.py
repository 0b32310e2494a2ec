"""HTML fragments (feed items, JSON ``content`` fields) to plain text with paragraphs kept.

Block elements become paragraphs separated by a blank line, ``<br>`` a line break;
scripts, styles and embedded objects are dropped. Parsed with lxml, never with regexes.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import lxml.html
from lxml import etree

BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "center", "dd", "details", "dialog", "dir", "div", "dl",
        "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "hgroup", "hr", "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary",
        "table", "tbody", "thead", "tfoot", "tr", "ul", "caption",
    }
)  # fmt: skip
CELL_TAGS = frozenset({"td", "th"})
DROPPED_TAGS = ("script", "style", "noscript", "iframe", "object", "embed", "template", "svg", "math", "head", "title")

# Cheap test for "this string holds markup": a known tag or an entity. Detection only;
# the parsing is lxml's.
_LOOKS_LIKE_HTML = re.compile(
    r"<(?:p|br|div|span|a|b|i|em|strong|h[1-6]|ul|ol|li|img|figure|blockquote|table|section|article)\b[^>]*>|&(?:[a-z]+|#\d+|#x[0-9a-f]+);",
    re.IGNORECASE,
)
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def looks_like_html(value: str) -> bool:
    if "<" not in value and "&" not in value:  # the common case, decided without a regex scan
        return False
    return _LOOKS_LIKE_HTML.search(value) is not None


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment or document; paragraphs separated by blank lines."""
    if not html or not html.strip():
        return ""
    root = _parse(html)
    text = ""
    if root is not None:
        for element in list(root.iter(*DROPPED_TAGS)):
            if element is not root:
                element.drop_tree()
        text = element_text(root)
    # libxml2 gives up on markup nested deeper than 256 levels; the standard library's
    # tokenizer has no such limit, so it reads what lxml could not.
    return text or _text_by_tokenizer(html)


def _parse(html: str) -> lxml.html.HtmlElement | None:
    try:
        return lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        pass
    try:  # a whole document, or a string with an XML declaration
        return lxml.html.document_fromstring(html.encode("utf-8"))
    except (etree.ParserError, ValueError):
        return None


def element_text(
    root: etree._Element,
    *,
    blocks: frozenset[str] = BLOCK_TAGS,
    breaks: frozenset[str] = frozenset({"br"}),
    cells: frozenset[str] = CELL_TAGS,
) -> str:
    """Walk the tree once (no recursion, so deep nesting is safe) collecting paragraphs.

    ``blocks`` start and end a paragraph, ``breaks`` are line breaks inside one, and
    ``cells`` are table cells, joined by `` | `` on their row's line.
    """
    paragraphs: list[str] = []
    line: list[str] = []

    def flush() -> None:
        text = _tidy("".join(line))
        if text:
            paragraphs.append(text)
        line.clear()

    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in blocks:
                flush()
            elif tag in breaks:
                line.append("\n")
            elif tag in cells and line and line[-1].strip():
                line.append(" | ")
            if tag and element.text:  # comments and processing instructions: skip their text
                line.append(_SPACES.sub(" ", element.text))
        else:
            if tag in blocks:
                flush()
            if element is not root and element.tail:
                line.append(_SPACES.sub(" ", element.tail))
    flush()
    return "\n\n".join(paragraphs)


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.line: list[str] = []
        self.skipping = 0

    def flush(self) -> None:
        text = _tidy("".join(self.line))
        if text:
            self.paragraphs.append(text)
        self.line.clear()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DROPPED_TAGS:
            self.skipping += 1
        elif tag in BLOCK_TAGS:
            self.flush()
        elif tag == "br":
            self.line.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in DROPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCK_TAGS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.line.append(_SPACES.sub(" ", data))


def _text_by_tokenizer(html: str) -> str:
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    collector.flush()
    return "\n\n".join(collector.paragraphs)


def _tidy(text: str) -> str:
    """Strip each line; the only line breaks left are the ones <br> made."""
    lines = (part.strip() for part in text.split("\n"))
    return "\n".join(line for line in lines if line)
