"""The command line as scripts use it: the --json contract, the embedded sample, library paths."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader import __version__
from reader.cli import main
from reader.config import resolve_library_path

ARTICLE_KEYS = {"id", "external_id", "title", "lang", "source", "url", "date"}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_a_new_library_starts_with_the_sample_and_says_so(capsys, tmp_path):
    lib = tmp_path / "new.sqlite3"
    code, out, err = run(capsys, "--library", str(lib), "stats", "--json")
    assert code == 0
    assert "bundled sample" in err and "reader sample --remove" in err
    stats = json.loads(out)
    assert stats["articles"] == 5 and stats["sample_articles"] == 5
    assert stats["languages"] == {"en": 4, "fr": 1}
    # the second command finds the library and says nothing about the sample
    code, out, err = run(capsys, "--library", str(lib), "stats", "--json")
    assert "sample" not in err


def test_import_into_a_new_library_does_not_add_the_sample(capsys, tmp_path):
    doc = tmp_path / "note.txt"
    doc.write_text("A headline\n\nSome body text about Oracle and TikTok.\n", encoding="utf-8")
    lib = tmp_path / "lib.sqlite3"
    code, _, err = run(capsys, "--library", str(lib), "import", str(doc))
    assert code == 0 and "imported 1, updated 0, skipped 0, failed 0" in err
    code, out, _ = run(capsys, "--library", str(lib), "list", "--json")
    items = json.loads(out)
    assert [a["title"] for a in items] == ["A headline"]
    assert items[0]["external_id"] == str(doc)


def test_sample_remove(capsys, tmp_path):
    lib = str(tmp_path / "lib.sqlite3")
    run(capsys, "--library", lib, "stats")
    code, _, err = run(capsys, "--library", lib, "sample", "--remove")
    assert code == 0 and "removed 5" in err
    code, out, _ = run(capsys, "--library", lib, "stats", "--json")
    stats = json.loads(out)
    assert stats["articles"] == 0 and stats["clusters"] == 0


def test_list_json_contract_and_limit(capsys):
    code, out, _ = run(capsys, "list", "--json")
    items = json.loads(out)
    assert code == 0 and len(items) >= 5
    for item in items:
        assert ARTICLE_KEYS <= item.keys()
        assert isinstance(item["id"], int)
    code, out, _ = run(capsys, "list", "--json", "--limit", "2")
    assert [a["id"] for a in json.loads(out)] == [a["id"] for a in items[:2]]


def test_show_by_id_and_by_external_id(capsys):
    _, out, _ = run(capsys, "list", "--json", "--no-sections")
    french = next(a for a in json.loads(out) if a["lang"] == "fr")
    code, out, _ = run(capsys, "show", str(french["id"]), "--json")
    shown = json.loads(out)
    assert code == 0 and ARTICLE_KEYS <= shown.keys()
    assert "Oracle" in shown["text"] and shown["raw_text"].startswith("Passer au contenu")
    code, out2, _ = run(capsys, "show", french["external_id"], "--json")
    assert json.loads(out2)["id"] == french["id"]
    code, _, err = run(capsys, "show", "999999")
    assert code == 2 and "no article" in err


def test_show_plain_prints_untrusted_text_literally(capsys, tmp_path):
    doc = tmp_path / "evil.txt"
    doc.write_text("Title [bold red]not bold[/]\n\nBody \x1b]52;c;ZXZpbA==\x07with [link=http://x]link[/link] \x1b[2J end\n")
    lib = str(tmp_path / "lib.sqlite3")
    run(capsys, "--library", lib, "import", str(doc))
    code, out, _ = run(capsys, "--library", lib, "show", "1")
    assert "[bold red]not bold[/]" in out
    assert "[link=http://x]link[/link]" in out
    assert "\x1b" not in out and "\x07" not in out


def test_search_json(capsys):
    code, out, _ = run(capsys, "search", "Oracle", "cloud", "--json")
    hits = json.loads(out)
    assert code == 0 and hits
    assert all(ARTICLE_KEYS <= h.keys() for h in hits)
    assert all("oracle" in h["snippet"].lower() or "cloud" in h["snippet"].lower() for h in hits)
    code, out, _ = run(capsys, "search", "zzzzqqq-nothing", "--json")
    assert json.loads(out) == []


def test_search_survives_fts_syntax(capsys):
    code, out, _ = run(capsys, "search", 'AND "unbalanced (', "--json")
    assert code == 0 and isinstance(json.loads(out), list)


def test_library_env_var_and_flag(monkeypatch, tmp_path):
    monkeypatch.setenv("READER_LIBRARY", str(tmp_path / "env.sqlite3"))
    assert resolve_library_path(None) == tmp_path / "env.sqlite3"
    assert resolve_library_path(str(tmp_path / "flag.sqlite3")) == tmp_path / "flag.sqlite3"
    assert resolve_library_path(str(tmp_path)) == tmp_path / "library.sqlite3"
    monkeypatch.delenv("READER_LIBRARY")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert resolve_library_path(None) == tmp_path / "xdg" / "reader" / "library.sqlite3"


def test_a_library_too_new_gives_one_clear_line(capsys, tmp_path):
    import sqlite3

    from reader.store import open_library
    from reader.store.migrations import latest_version

    lib = tmp_path / "lib.sqlite3"
    open_library(lib).close()
    conn = sqlite3.connect(lib)
    conn.execute(f"PRAGMA user_version = {latest_version() + 5}")
    conn.commit()
    conn.close()
    code, out, err = run(capsys, "--library", str(lib), "stats")
    assert code == 2
    assert "newer reader" in err and err.count("\n") == 1
