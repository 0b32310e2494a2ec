"""`reader annotate`, `reader annotations`, `reader export`, `reader import-annotations` as scripts use them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from reader.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def lib(tmp_path: Path, capsys) -> str:
    """A library holding the sample (a new library gets it on first use)."""
    path = str(tmp_path / "lib.sqlite3")
    run(capsys, "--library", path, "stats")
    return path


def first_id(capsys, lib: str) -> int:
    _, out, _ = run(capsys, "--library", lib, "list", "--json", "--no-sections")
    return json.loads(out)[0]["id"]


def test_annotate_then_list_with_states(capsys, lib):
    article = first_id(capsys, lib)
    code, out, err = run(
        capsys, "--library", lib, "annotate", str(article), "--quote", "Oracle caught the eye.",
        "--note", "key", "--tag", "deals", "--tag", "us", "--color", "blue", "--json",
    )
    assert code == 0, err
    made = json.loads(out)
    assert made["exact"] == "Oracle caught the eye." and made["state"] == "anchored"
    assert made["tags"] == ["deals", "us"] and made["color"] == "blue" and made["note"] == "key"
    code, out, _ = run(capsys, "--library", lib, "annotations", "--json")
    listed = json.loads(out)
    assert [a["id"] for a in listed] == [made["id"]]
    assert listed[0]["state"] == "anchored" and listed[0]["article_id"] == article
    code, out, _ = run(capsys, "--library", lib, "annotations")
    assert "anchored" in out and "Oracle caught the eye." in out
    code, out, _ = run(capsys, "--library", lib, "show", str(article), "--json")
    assert [a["id"] for a in json.loads(out)["annotations"]] == [made["id"]]


def test_annotate_occurrences_and_clear_errors(capsys, lib):
    article = first_id(capsys, lib)
    code, _, err = run(capsys, "--library", lib, "annotate", str(article), "--quote", "Oracle")
    assert code == 0 and "occurs" in err and "--occurrence" in err
    code, out, _ = run(capsys, "--library", lib, "annotate", str(article), "--quote", "Oracle", "--occurrence", "2", "--json")
    second = json.loads(out)
    code, out, _ = run(capsys, "--library", lib, "show", str(article), "--json")
    text = json.loads(out)["text"]
    assert second["start"] == text.index("Oracle", text.index("Oracle") + 1)
    code, _, err = run(capsys, "--library", lib, "annotate", str(article), "--quote", "Oracle", "--occurrence", "999")
    assert code == 2 and "out of range" in err
    code, _, err = run(capsys, "--library", lib, "annotate", str(article), "--quote", "words that are not there")
    assert code == 2 and "not in article" in err
    code, _, err = run(capsys, "--library", lib, "annotate", "no-such-article", "--quote", "x")
    assert code == 2 and "no article" in err
    code, _, err = run(capsys, "--library", lib, "annotate", str(article), "--quote", "Oracle", "--color", "octarine")
    assert code == 2 and "colour" in err
    code, _, err = run(capsys, "--library", lib, "annotations", "--since", "last tuesday")
    assert code == 2 and "YYYY-MM-DD" in err


def test_export_to_stdout_and_atomically_to_a_file_then_import(capsys, lib, tmp_path):
    article = first_id(capsys, lib)
    run(capsys, "--library", lib, "annotate", str(article), "--quote", "Oracle caught the eye.", "--tag", "deals")
    run(capsys, "--library", lib, "annotate", str(article), "--quote", "Microsoft", "--occurrence", "2")
    code, out, _ = run(capsys, "--library", lib, "export", "--format", "markdown")
    assert code == 0 and out.startswith("# Annotations") and "> Oracle caught the eye." in out
    code, out, _ = run(capsys, "--library", lib, "export", "--format", "csv", "--tag", "deals")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["Highlight"] for r in rows] == ["Oracle caught the eye."]
    target = tmp_path / "notes.json"
    code, out, err = run(capsys, "--library", lib, "export", "--format", "json", "-o", str(target))
    assert code == 0 and out == "" and "exported 2 annotations" in err
    assert len(json.loads(target.read_text(encoding="utf-8"))["first"]["items"]) == 2
    code, _, err = run(capsys, "--library", lib, "export", "--format", "json", "-o", str(tmp_path / "nope" / "x.json"))
    assert code == 2 and "cannot write" in err
    # into a fresh library with the same (sample) articles
    fresh = str(tmp_path / "fresh.sqlite3")
    run(capsys, "--library", fresh, "stats")
    code, out, _ = run(capsys, "--library", fresh, "import-annotations", str(target), "--json")
    assert code == 0 and json.loads(out)["imported"] == 2 and json.loads(out)["anchored"] == 2
    _, out_a, _ = run(capsys, "--library", lib, "annotations", "--json")
    _, out_b, _ = run(capsys, "--library", fresh, "annotations", "--json")
    strip = lambda items: [{k: v for k, v in a.items() if k not in ("id", "article_id", "cluster_id")} for a in items]
    assert strip(json.loads(out_a)) == strip(json.loads(out_b))
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    code, _, err = run(capsys, "--library", fresh, "import-annotations", str(bad))
    assert code == 2 and "not valid JSON" in err
