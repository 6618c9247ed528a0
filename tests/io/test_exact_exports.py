"""Token exports keep every span exactly, proven by the real consumers: spaCy loads the DocBin
and reads the CoNLL tags with its own converters, the ``conllu`` package parses the CoNLL-U.
Every span of a mixed set is exported with exactly its characters, or has its warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.model import Document, Span
from annotator.io.base import ExportOptions
from annotator.io.writers import conll, conllu, spacy_docbin

spacy = pytest.importorskip("spacy")
conllu_lib = pytest.importorskip("conllu")

Key = tuple[str, int, int, str]  # document uid, start, end, label


def doc(uid: str, text: str, *parts: tuple[str, str] | tuple[str, str, int]) -> Document:
    """A document with a span for each (text, label[, occurrence]) found in ``text``."""
    spans = []
    for part in parts:
        found, label = part[0], part[1]
        start = -1
        for _ in range(part[2] if len(part) == 3 else 1):  # type: ignore[misc]
            start = text.index(found, start + 1)
        spans.append(Span(start, start + len(found), label, found))
    return Document(text=text, uid=uid, title=f"Judul {uid}", spans=tuple(spans))


MIXED = [
    doc("quote", "Uber’s Lesson: dari Jakarta’s pasar.", ("Uber", "ORG"), ("Jakarta", "LOC")),
    doc(
        "hyphen", "Laga AS-Rusia di Moskow-Baru.", ("AS", "LOC"), ("Rusia", "LOC"), ("Baru", "LOC")
    ),
    doc(
        "midword", "Para kelompok-kelompok tani 1.500,00 rupiah.", ("kelom", "X"), ("500,0", "NUM")
    ),
    doc(
        "sentences",
        "Dia berkata. Joko Widodo pergi! Lalu ke Jakarta\nBandung tiba.",
        ("berkata. Joko", "QUOTE"),
        ("Jakarta\nBandung", "LOC"),
    ),
    doc(
        "overlap",
        "Presiden Joko Widodo bertemu Putin di Moskow.",
        ("Presiden Joko Widodo", "ROLE"),
        ("Joko Widodo", "PERSON"),
        ("Widodo bertemu", "ACT"),
        ("Moskow", "LOC"),
    ),
    doc(
        "adjacent",
        "Jakarta Bandung Surabaya dan Medan",
        ("Jakarta", "LOC"),
        ("Bandung", "LOC"),
        ("Surabaya", "CITY"),
        ("Medan", "LOC"),
    ),
    doc(
        "spaces",
        "Kata  Joko  Widodo  di sini.\r\nSelesai.",
        ("Joko  ", "PER"),
        ("  Widodo", "PER"),
        ("  ", "GAP", 3),
        ("sini.\r\nSelesai", "END"),
        ("di ", "ADP"),  # a single space is no token of spaCy's either
    ),
    doc("unicode", "Ahad 😀x 東京都 e\u0301clair ok", ("😀", "EMO"), ("東京", "LOC"), ("e", "E")),
]


def stored() -> dict[Key, str]:
    return {(d.uid or "", s.start, s.end, s.label): s.text for d in MIXED for s in d.spans}


def warned(warnings: list[str]) -> set[Key]:
    """The spans the warnings name: ``document UID “title”: LABEL START-END ...``."""
    keys = set()
    for warning in warnings:
        if not warning.startswith("document "):
            continue
        uid = warning.split()[1]
        label, offsets = warning.split(": ", 1)[1].split()[:2]
        start, end = offsets.split("-")
        keys.add((uid, int(start), int(end), label))
    return keys


def check_exact_or_warned(exported: set[Key], warnings: list[str]) -> None:
    spans, named = stored(), warned(warnings)
    for key in spans:
        assert (key in exported) != (key in named), (key, spans[key])
    # Anything else exported is a warned span, trimmed to its tokens.
    for uid, start, end, label in exported - set(spans):
        assert any((w[0], w[3]) == (uid, label) and w[1] <= start < end <= w[2] for w in named), (
            uid,
            start,
            end,
            label,
        )


# -- spaCy -------------------------------------------------------------------------


def test_spacy_ents_and_span_group_are_the_stored_spans(tmp_path: Path) -> None:
    from spacy.tokens import DocBin

    out = tmp_path / "mixed.spacy"
    result = spacy_docbin.write(MIXED, [], out, ExportOptions())
    docs = list(DocBin().from_disk(out).get_docs(spacy.blank("xx").vocab))
    ents = {(d.user_data["id"], e.start_char, e.end_char, e.label_) for d in docs for e in d.ents}
    check_exact_or_warned(ents, result.warnings)
    group = {
        (d.user_data["id"], s.start_char, s.end_char, s.label_)
        for d in docs
        for s in d.spans[spacy_docbin.SPAN_KEY]
    }
    # The span group allows overlaps: only whitespace at a span's edge is a change there.
    edges = [w for w in result.warnings if "starts or ends in whitespace" in w or "only" in w]
    check_exact_or_warned(group, edges)
    # 3 overlapping (ents), "di " trimmed; spaCy keeps other whitespace as tokens of its own.
    assert result.spans_changed == len(result.warnings) == 4
    assert result.spans == len(group) == sum(len(d.spans) for d in MIXED)
    for original, loaded in zip(MIXED, docs, strict=True):
        assert loaded.text == original.text


# -- CoNLL, read back by spaCy's converters ------------------------------------------


def token_offsets(text: str, words: list[str], at: int = 0) -> list[int]:
    """Where each token starts: tokens are the text in order, with only whitespace between."""
    starts = []
    for word in words:
        start = text.index(word, at)
        assert not text[at:start].strip(), (text[at:start], word)
        starts.append(start)
        at = start + len(word)
    return starts


def read_conll(path: Path) -> list[list[list[tuple[str, str]]]]:
    """Documents of sentences of (token, tag)."""
    documents: list[list[list[tuple[str, str]]]] = []
    for block in path.read_text("utf-8").split("-DOCSTART-\tO\n\n")[1:]:
        sentences = [s for s in block.split("\n\n") if s.strip()]
        documents.append([[tuple(line.split("\t")) for line in s.splitlines()] for s in sentences])  # type: ignore[misc]
    return documents


def spans_from_tags(
    text: str, uid: str, words: list[str], tags: list[str], scheme: str
) -> set[Key]:
    """spaCy's own reading of the tags: iob_to_biluo (IOB1, IOB2) or BIOES as BILUO."""
    from spacy.tokens import Doc
    from spacy.training import biluo_tags_to_spans, iob_to_biluo

    if scheme == "bioes":
        biluo = [t.replace("S-", "U-", 1).replace("E-", "L-", 1) if t != "O" else t for t in tags]
    else:
        biluo = iob_to_biluo(tags)
    sdoc = Doc(spacy.blank("xx").vocab, words=words)
    starts = token_offsets(text, words)
    return {
        (uid, starts[s.start], starts[s.end - 1] + len(words[s.end - 1]), s.label_)
        for s in biluo_tags_to_spans(sdoc, biluo)
    }


@pytest.mark.parametrize("scheme", ["iob1", "iob2", "bioes"])
def test_conll_read_by_spacy_gives_the_spans(tmp_path: Path, scheme: str) -> None:
    out = tmp_path / "mixed.conll"
    result = conll.write(MIXED, [], out, ExportOptions(scheme=scheme))
    exported: set[Key] = set()
    for original, sentences in zip(MIXED, read_conll(out), strict=True):
        words = [word for sentence in sentences for word, _ in sentence]
        tags = [tag for sentence in sentences for _, tag in sentence]
        exported |= spans_from_tags(original.text, original.uid or "", words, tags, scheme)
        for before, sentence in zip([None, *sentences], sentences, strict=False):
            # No sentence starts inside an entity (IOB1: I- starts an entity after O).
            first = sentence[0][1]
            assert not first.startswith("E-")
            if scheme != "iob1":
                assert not first.startswith("I-")
            elif first.startswith("I-") and before is not None:
                assert before[-1][1] == "O"
    check_exact_or_warned(exported, result.warnings)
    # 3 overlapping (two only in the whitespace between them), 2 at whitespace, 1 only that.
    assert result.spans_changed == 6
    assert result.spans == sum(len(d.spans) for d in MIXED) - 4


def test_conll_sentence_joined_where_a_span_crosses_it(tmp_path: Path) -> None:
    out = tmp_path / "s.conll"
    conll.write([MIXED[3]], [], out, ExportOptions())
    [sentences] = read_conll(out)
    # "Dia berkata. Joko Widodo pergi!" is one sentence: QUOTE crosses its stop.
    assert [w for w, _ in sentences[0]] == ["Dia", "berkata", ".", "Joko", "Widodo", "pergi", "!"]
    assert [t for _, t in sentences[0]][1:4] == ["B-QUOTE", "I-QUOTE", "I-QUOTE"]
    # "Lalu ke Jakarta\nBandung tiba.": the line break inside LOC does not end a sentence.
    assert [t for _, t in sentences[1]] == ["O", "O", "B-LOC", "I-LOC", "O", "O"]


def test_conll_converter_of_spacy_reads_the_file(tmp_path: Path) -> None:
    from spacy.training.converters import conll_ner_to_docs

    out = tmp_path / "mixed.conll"
    result = conll.write(MIXED, [], out, ExportOptions())
    docs = conll_ner_to_docs(out.read_text("utf-8"), n_sents=0, no_print=True)
    ents = [(e.label_, e.text.replace(" ", "")) for d in docs for e in d.ents]
    assert len(ents) == result.spans
    assert ("ORG", "Uber") in ents and ("LOC", "AS") in ents and ("LOC", "Rusia") in ents


# -- CoNLL-U, parsed by the conllu package --------------------------------------------

_UNESCAPE = {"\\s": " ", "\\t": "\t", "\\r": "\r", "\\n": "\n", "\\p": "|", "\\\\": "\\"}


def spaces_after(misc: dict[str, str] | None) -> str:
    if not misc:
        return " "
    if misc.get("SpaceAfter") == "No":
        return ""
    value = misc.get("SpacesAfter")
    if value is None:
        return " "
    out, i = [], 0
    while i < len(value):
        out.append(_UNESCAPE[value[i : i + 2]])
        i += 2
    return "".join(out)


@pytest.mark.parametrize("scheme", ["iob1", "iob2", "bioes"])
def test_conllu_parsed_by_the_conllu_package_gives_the_spans(tmp_path: Path, scheme: str) -> None:
    out = tmp_path / "mixed.conllu"
    result = conllu.write(MIXED, [], out, ExportOptions(scheme=scheme, conllu_key="NER"))
    sentences = conllu_lib.parse(out.read_text("utf-8"))
    by_doc: dict[str, list] = {}
    uid = ""
    for sentence in sentences:
        uid = sentence.metadata.get("newdoc id", uid)
        assert sentence.metadata["sent_id"].startswith(uid + "-")
        by_doc.setdefault(uid, []).append(sentence)
    assert list(by_doc) == [d.uid for d in MIXED]
    exported: set[Key] = set()
    for original in MIXED:
        tokens = [token for sentence in by_doc[original.uid] for token in sentence]
        assert all(len(token) == 10 for token in tokens)
        words = [token["form"] for token in tokens]
        tags = [(token["misc"] or {}).get("NER", "O") for token in tokens]
        exported |= spans_from_tags(original.text, original.uid or "", words, tags, scheme)
        # The forms with their SpaceAfter / SpacesAfter rebuild the text exactly.
        rebuilt = "".join(t["form"] + spaces_after(t["misc"]) for t in tokens)
        assert rebuilt.rstrip(" ") == original.text
        starts, at = token_offsets(original.text, words), 0
        for sentence in by_doc[original.uid]:
            first, last = starts[at], starts[at + len(sentence) - 1] + len(sentence[-1]["form"])
            assert sentence.metadata["text"] == " ".join(original.text[first:last].splitlines())
            at += len(sentence)
    check_exact_or_warned(exported, result.warnings)
    assert result.spans_changed == 6


def test_conllu_rejects_a_key_misc_cannot_hold(tmp_path: Path) -> None:
    from annotator.core.errors import UsageError

    with pytest.raises(UsageError, match="MISC key 'N E'"):
        conllu.write(MIXED, [], tmp_path / "x.conllu", ExportOptions(conllu_key="N E"))
    assert not (tmp_path / "x.conllu").exists()
