"""Every kind of bad input gets one clear line naming it, and the import goes on with the rest.

Each case goes through the real pipeline into a library; the mixed folder also goes
through the command line.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest

from reader.cli import main
from reader.config import Limits
from reader.model import ImportReport
from reader.pipeline import import_inputs

PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def good_article(folder: Path, name: str = "good.txt") -> Path:
    path = folder / name
    path.write_text("Council approves the new bridge\n\nThe city council voted for the bridge on Tuesday.\n", encoding="utf-8")
    return path


def messages(report: ImportReport) -> list[str]:
    return [str(p) for p in report.problems]


def assert_one_line_each(report: ImportReport) -> None:
    assert all("\n" not in str(p) and "\r" not in str(p) for p in report.problems)


def test_missing_path(library, tmp_path):
    good = good_article(tmp_path)
    missing = tmp_path / "nowhere" / "gone.txt"
    report = import_inputs(library, [str(missing), str(good)])
    assert messages(report) == [f"{missing}: no such file or folder"]
    assert (report.imported, report.failed) == (1, 1)
    assert library.find_article(str(good)) is not None


def test_folder_holding_binaries(library, tmp_path):
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "photo.png").write_bytes(PNG_BYTES)
    with zipfile.ZipFile(folder / "archive.zip", "w") as archive:
        archive.writestr("inside.txt", "zipped text")
    (folder / "disguised.txt").write_bytes(PNG_BYTES)  # a binary with a text suffix
    good_article(folder)
    report = import_inputs(library, [str(folder)])
    assert messages(report) == [
        f"{folder / 'archive.zip'}: zip archive, not an article: skipped",
        f"{folder / 'disguised.txt'}: PNG image, not an article: skipped",
        f"{folder / 'photo.png'}: PNG image, not an article: skipped",
    ]
    assert (report.imported, report.failed) == (1, 3)


def test_empty_file(library, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.md"
    blank.write_text("  \n\n \n", encoding="utf-8")
    good = good_article(tmp_path)
    report = import_inputs(library, [str(empty), str(blank), str(good)])
    assert messages(report) == [f"{empty}: empty file, nothing to import", f"{blank}: empty file, nothing to import"]
    assert report.imported == 1


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "utf-16", "utf-16-le", "utf-16-be"])
def test_latin1_and_utf16_text_files_are_decoded_right(library, tmp_path, encoding):
    path = tmp_path / f"legacy-{encoding}.txt"
    title = "Le maire présente un plan vélo à Lyon"
    body = "Façade, élève, naïve, Größe, déjà vu."
    path.write_bytes(f"{title}\n\n{body}\n".encode(encoding))
    report = import_inputs(library, [str(path)])
    assert report.problems == () and report.imported == 1
    article = library.find_article(str(path))
    assert article.title == title
    assert body in article.raw_text and "\ufffd" not in article.raw_text and "Ã" not in article.raw_text


def test_a_200_mb_text_file_is_refused_with_the_limit_and_how_to_raise_it(library, tmp_path):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.write(b"A very long story\n\n")
    os.truncate(huge, 200 * 1024 * 1024)  # sparse: instant, takes no disk
    good = good_article(tmp_path)
    report = import_inputs(library, [str(huge), str(good)])
    assert messages(report) == [
        f"{huge}: file is 200 MB, over the 50 MB limit: skipped "
        f"(raise it with --max-file-size BYTES, e.g. --max-file-size {200 * 1024 * 1024}, or max_file_bytes in the config file)"
    ]
    assert report.imported == 1


def test_a_text_file_longer_than_one_article_may_be_is_refused_before_it_is_read(library, tmp_path):
    path = tmp_path / "endless.txt"
    path.write_text("An endless report\n\n" + "More words without end. " * 400, encoding="utf-8")  # ~9 KB
    report = import_inputs(library, [str(path)], limits=Limits(max_article_chars=2000))
    assert messages(report) == [
        f"{path}: file is {path.stat().st_size / 1024:.3g} KB, more text than one article may hold (2,000 characters): "
        "skipped (raise it with --max-article-chars N)"
    ]
    report = import_inputs(library, [str(path)], limits=Limits(max_article_chars=20_000))
    assert report.problems == () and report.imported == 1


def test_malformed_jsonl_line(library, tmp_path):
    path = tmp_path / "wire.jsonl"
    lines = [
        json.dumps({"id": "w1", "title": "Storm reaches the coast", "text": "The storm reached the coast at dawn."}),
        '{"id": "w2", "title": "Broken", "text": ',
        json.dumps({"id": "w3", "title": "Power back by evening", "text": "Power was restored to most homes."}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_inputs(library, [str(path)])
    assert messages(report) == [f"{path}:2: malformed JSON: Expecting value (column {len(lines[1]) + 1}), line skipped"]
    assert (report.imported, report.failed) == (2, 1)
    assert library.find_article("w3").title == "Power back by evening"


def test_broken_feed(library, tmp_path):
    broken = tmp_path / "broken.rss"
    broken.write_bytes(b'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Cut</title>')
    good = good_article(tmp_path)
    report = import_inputs(library, [str(broken), str(good)])
    assert messages(report) == [f"{broken}: broken feed, nothing to import: line 2: no element found"]
    assert report.imported == 1


def test_unreachable_url(library, tmp_path, closed_port_url):
    good = good_article(tmp_path)
    report = import_inputs(library, [closed_port_url, str(good)])
    assert messages(report) == [f"{closed_port_url}: cannot reach the server: connection refused"]
    assert report.imported == 1


def test_a_feed_imported_from_a_url(library, http_server, make_rss):
    items = [
        {"title": "Bridge vote passes", "guid": "urn:city:1", "link": "https://city.example/1", "pubDate": "Tue, 15 Sep 2020 09:00:00 GMT",
         "content": "<p>The council approved the bridge.</p><p>Work starts in spring.</p>"},
        {"title": "Library reopens", "guid": "urn:city:2", "description": "The central library reopened after repairs."},
    ]  # fmt: skip
    url = http_server.serve("/city/feed", make_rss(items, title="City Desk"), "application/rss+xml")
    report = import_inputs(library, [url])
    assert report.problems == () and report.imported == 2
    article = library.find_article("urn:city:1")
    assert (article.source, article.url, article.origin) == ("City Desk", "https://city.example/1", url)
    assert article.date.startswith("2020-09-15T09:00:00")
    assert article.raw_text == "The council approved the bridge.\n\nWork starts in spring."
    # importing the same URL again changes nothing
    again = import_inputs(library, [url])
    assert (again.imported, again.updated, again.skipped) == (0, 0, 2)


def test_max_file_size_flag_is_honoured(capsys, tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("Harbour expansion approved\n\n" + "The harbour will grow by a third. " * 80, encoding="utf-8")
    size = path.stat().st_size
    library = str(tmp_path / "lib.sqlite3")
    assert main(["--library", library, "import", "--max-file-size", str(size - 1), str(path)]) == 1
    err = capsys.readouterr().err
    assert f"error: {path}: file is {size / 1024:.3g} KB, over the {(size - 1) / 1024:.3g} KB limit: skipped" in err
    assert "imported 0, updated 0, skipped 0, failed 1" in err
    assert main(["--library", library, "import", "--max-file-size", str(size), str(path)]) == 0
    assert "imported 1, updated 0, skipped 0, failed 0" in capsys.readouterr().err


def test_json_lines_stream_past_the_file_size_limit_and_an_overlong_line_is_skipped_by_number(library, tmp_path):
    """JSON Lines is read a line at a time, so a dump larger than the file-size limit imports
    (memory stays bounded by the per-line limit); a line over that limit is reported by its
    number, never read whole, and the lines after it still import."""
    path = tmp_path / "dump.jsonl"
    limits = Limits(max_file_bytes=2_000, max_article_chars=1_000)
    longest = 2 * limits.max_article_chars + 65_536
    lines = [json.dumps({"id": f"a{i}", "title": f"Story {i}", "text": f"The harbour board met on day {i}. " * 8}) for i in range(30)]
    lines.insert(10, json.dumps({"id": "huge", "title": "Huge", "text": "x" * (longest + 10)}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert path.stat().st_size > limits.max_file_bytes
    report = import_inputs(library, [str(path)], limits=limits)
    assert report.imported == 30
    assert messages(report) == [f"{path}:11: line longer than {longest:,} characters, skipped (raise --max-article-chars to import it)"]
    # the same size limit still refuses a format that reads its file whole
    whole = tmp_path / "dump.txt"
    whole.write_text("Harbour\n\n" + "The harbour board met. " * 200, encoding="utf-8")
    refused = import_inputs(library, [str(whole)], limits=limits)
    assert refused.imported == 0 and "over the" in messages(refused)[0]


def test_cli_mixed_folder_reports_each_bad_file_and_imports_the_rest(capsys, tmp_path, make_rss):
    folder = tmp_path / "pile"
    folder.mkdir()
    good_article(folder, "a-good.txt")
    (folder / "b-empty.txt").write_bytes(b"")
    (folder / "c-latin1.txt").write_bytes("Événement à Genève\n\nLes élèves ont défilé.\n".encode("latin-1"))
    (folder / "d-utf16.md").write_text("# Größte Brücke\n\nDie Brücke wurde eröffnet.\n", encoding="utf-16")
    (folder / "e-wire.jsonl").write_text('{"id": "j1", "title": "Wire one", "text": "First wire story."}\nnot json\n', encoding="utf-8")
    (folder / "f-feed.rss").write_bytes(make_rss([{"title": "Feed item", "guid": "f1", "description": "From the feed."}]))
    (folder / "g-broken.atom").write_bytes(b"<feed xmlns='http://www.w3.org/2005/Atom'><entry>")
    (folder / "h-photo.png").write_bytes(PNG_BYTES)
    with zipfile.ZipFile(folder / "i-bundle.zip", "w") as archive:
        archive.writestr("x.txt", "x")
    (folder / "j-notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    library = str(tmp_path / "lib.sqlite3")

    code = main(["--library", library, "import", str(folder), str(tmp_path / "missing-dir")])
    err_lines = capsys.readouterr().err.splitlines()
    assert code == 0
    assert err_lines == [
        f"error: {folder / 'b-empty.txt'}: empty file, nothing to import",
        f"error: {folder / 'e-wire.jsonl'}:2: malformed JSON: Expecting value (column 1), line skipped",
        f"error: {folder / 'g-broken.atom'}: broken feed, nothing to import: line 1: no element found",
        f"error: {folder / 'h-photo.png'}: PNG image, not an article: skipped",
        f"error: {folder / 'i-bundle.zip'}: zip archive, not an article: skipped",
        f"error: {folder / 'j-notes.csv'}: unsupported file type .csv: skipped",
        f"error: {tmp_path / 'missing-dir'}: no such file or folder",
        "imported 5, updated 0, skipped 0, failed 7",
    ]
    assert main(["--library", library, "list", "--json"]) == 0
    titles = {a["title"] for a in json.loads(capsys.readouterr().out)}
    assert titles == {"Council approves the new bridge", "Événement à Genève", "Größte Brücke", "Wire one", "Feed item"}
