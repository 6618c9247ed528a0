"""brat and CRLF (brat issue #853): brat reads the .txt with universal newlines
(server/src/annotation.py, open_textfile, mode "rU"), so its offsets count a CRLF as one
character. Export writes what brat reads; import takes such pairs and keeps our original text."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.errors import Problem
from annotator.core.model import Document, Label, Span
from annotator.io.base import ExportOptions, Notice, SourceFile
from annotator.io.newlines import NewlineMap
from annotator.io.readers import read_source
from annotator.io.writers.brat import write

ISSUE_853 = "Satu.\r\nJokowi tiba.\r\n\r\nDi Solo\rlalu Jakarta."


def read_pair(text: str, ann: str) -> list:
    return list(read_source(SourceFile("d/doc.txt", text.encode(), {".ann": ann.encode()})))


def brat_reads(folder: Path, stem: str) -> list[tuple[int, int, str, str]]:
    """The T lines as brat's server reads them: the .txt with universal newlines (Python 3's
    default newline=None is the "rU" of brat's open_textfile), each fragment's text checked."""
    with open(folder / f"{stem}.txt", encoding="utf-8") as handle:  # universal newlines
        text = handle.read()
    found = []
    with open(folder / f"{stem}.ann", encoding="utf-8") as handle:
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            if not fields[0].startswith("T"):
                continue
            label, _, offsets = fields[1].partition(" ")
            pieces = [tuple(map(int, p.split())) for p in offsets.split(";")]
            assert fields[2] == " ".join(text[s:e] for s, e in pieces), line
            found.append((pieces[0][0], pieces[-1][1], label, fields[2]))
    return found


def test_newline_map_both_ways() -> None:
    lines = NewlineMap(ISSUE_853)
    assert lines.text == "Satu.\nJokowi tiba.\n\nDi Solo\nlalu Jakarta."
    for original in range(len(ISSUE_853) + 1):
        back = lines.to_original(lines.to_normalised(original))
        inside_crlf = ISSUE_853[original - 1 : original + 1] == "\r\n"
        assert back == (original + 1 if inside_crlf else original)
    for normalised in range(len(lines.text) + 1):
        original = lines.to_original(normalised)
        assert lines.to_normalised(original) == normalised
        assert (
            ISSUE_853[original:].replace("\r\n", "\n").replace("\r", "\n")
            == (lines.text[normalised:])
        )
    assert not NewlineMap("a\nb").changed


def test_the_issue_853_pair_imports_onto_the_original_text() -> None:
    # Offsets as brat counts them: "Jokowi" is 6-12 in what brat read, 7-13 in the CRLF file.
    ann = (
        "T1\tPERSON 6 12\tJokowi\nT2\tLOC 23 27\tSolo\nT3\tLOC 33 40\tJakarta\n"
        "#1\tAnnotatorNotes T1\tx\n"
    )
    items = read_pair(ISSUE_853, ann)
    assert not [i for i in items if isinstance(i, Problem)], items
    [doc] = [i for i in items if isinstance(i, Document)]
    assert doc.text == ISSUE_853  # our copy keeps the CRLFs
    assert [(s.start, s.end, s.label, s.text) for s in doc.spans] == [
        (7, 13, "PERSON", "Jokowi"),
        (26, 30, "LOC", "Solo"),
        (36, 43, "LOC", "Jakarta"),
    ]
    assert doc.spans[0].note == "x"
    notices = [str(i) for i in items if isinstance(i, Notice)]
    assert any("count each CRLF line break as one character" in n for n in notices)


def test_a_fragment_list_across_a_crlf_counted_once() -> None:
    items = read_pair("Kota\r\nJakarta", "T1\tLOC 0 4;5 12\tKota Jakarta\n")
    [doc] = [i for i in items if isinstance(i, Document)]
    assert [(s.start, s.end, s.text) for s in doc.spans] == [(0, 13, "Kota\r\nJakarta")]


def test_offsets_that_count_the_cr_still_work_and_fitting_neither_is_refused() -> None:
    [doc] = [
        i for i in read_pair(ISSUE_853, "T1\tPERSON 7 13\tJokowi\n") if isinstance(i, Document)
    ]
    assert doc.spans[0].text == "Jokowi"
    items = read_pair(ISSUE_853, "T1\tPERSON 8 14\tJokowi\n")
    assert not [i for i in items if isinstance(i, Document)]
    [problem] = [i for i in items if isinstance(i, Problem)]
    assert (problem.file, problem.line) == ("d/doc.ann", 1)
    assert "covers 'okowi '" in problem.reason  # the reason for the file as it is


@pytest.mark.parametrize("text", [ISSUE_853, ISSUE_853.replace("\r\n", "\n"), "A\rB\r\nC\n"])
def test_export_writes_what_brat_reads_and_imports_back(tmp_path: Path, text: str) -> None:
    words = [w for w in text.replace("\r", " ").replace("\n", " ").split(" ") if w]
    spans = []
    for word in words:
        start = text.index(word)
        spans.append(Span(start, start + len(word), "W", word))
    start = text.index(words[0])
    end = text.index(words[-1]) + len(words[-1])
    spans.append(Span(start, end, "ALL", text[start:end]))  # crosses every line break
    doc = Document(text=text, uid="d853", spans=tuple(spans))
    result = write([doc], [Label("W", "#ffcc00")], tmp_path / "b", ExportOptions())
    lines = NewlineMap(text)
    seen = brat_reads(tmp_path / "b", "doc-d853")
    assert sorted((s, e, lab) for s, e, lab, _ in seen) == sorted(
        (lines.to_normalised(s.start), lines.to_normalised(s.end), s.label) for s in spans
    )
    assert (tmp_path / "b" / "doc-d853.txt").read_bytes() == lines.text.encode()
    warned = any("CRLF or CR line breaks" in w for w in result.warnings)
    assert warned == lines.changed
    # And our own reader takes the pair back: LF text, the same spans as brat sees them.
    folder = tmp_path / "b"
    source = SourceFile(
        "doc-d853.txt",
        (folder / "doc-d853.txt").read_bytes(),
        {".ann": (folder / "doc-d853.ann").read_bytes()},
    )
    [back] = [i for i in read_source(source) if isinstance(i, Document)]
    assert back.text == lines.text
    assert sorted((s.start, s.end, s.label) for s in back.spans) == sorted(
        (s, e, lab) for s, e, lab, _ in seen
    )
