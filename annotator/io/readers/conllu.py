"""CoNLL-U (and CoNLL-X) treebanks: the text of their sentences, entities from a MISC key.

Text comes from ``# text =`` when given, else from the surface tokens and ``SpaceAfter=No``;
a multiword token (``1-2``) gives its surface form and its parts are skipped, empty nodes
(``1.1``) too. ``# newdoc`` starts a document (its ``id`` is the document's uid and title);
without it, sentences are grouped as doc_groups says. Entities are IOB/BIOES tags in the MISC
key ``ReadOptions.conllu_ner_key`` (``NE=B-PER``) or, failing that, in an 11th column."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from annotator.core.errors import Problem
from annotator.core.model import Document, Span
from annotator.io.base import DEFAULT_READ_OPTIONS, Notice, ReadItem, ReadOptions, SourceFile
from annotator.io.readers.doc_groups import group_sentences, grouping_note
from annotator.io.readers.iob import tag_spans
from annotator.io.readers.records import dedupe
from annotator.io.readers.text import cap_title, decode_source, title_from

COLUMNS = 10  # ID FORM LEMMA UPOS XPOS FEATS HEAD DEPREL DEPS MISC (CoNLL-X: ... PHEAD PDEPREL)
ID_RE = re.compile(r"^(\d+)(?:([-.])(\d+))?$")
_UID_MAX = 64  # the store's uid column
_SNIFF_LINES = 200
_ESCAPES = {"\\s": " ", "\\t": "\t", "\\n": "\n", "\\r": "\r", "\\p": "|", "\\\\": "\\"}


def looks_like_conllu(lines: list[str]) -> bool:
    """True when the data lines have 10 or 11 columns and a CoNLL-U ID (``3``, ``1-2``, ``1.1``)
    first: a CoNLL-U or CoNLL-X file, whatever its name."""
    data = [ln for ln in lines[:_SNIFF_LINES] if ln.strip() and not ln.startswith("#")]
    fitting = [
        parts
        for parts in (_split(ln) for ln in data)
        if len(parts) in (COLUMNS, COLUMNS + 1) and ID_RE.match(parts[0])
    ]
    return bool(data) and len(fitting) * 10 >= len(data) * 9


def read_conllu(
    source: SourceFile, options: ReadOptions = DEFAULT_READ_OPTIONS
) -> Iterator[ReadItem]:
    """The documents of a CoNLL-U file; a bad line refuses its document only."""
    decoded, reports = decode_source(source)
    yield from reports
    if decoded is None:
        return
    yield from conllu_documents(
        source, [ln.rstrip("\r") for ln in decoded.text.split("\n")], options
    )


@dataclass
class _Token:
    """A surface token: a word, or a multiword token standing for its parts."""

    form: str
    after: str  # what follows it in the text
    tag: str  # from the MISC key ("" when absent)
    column_tag: str  # from an 11th column ("" when absent)
    line: int
    # SpaceAfter=No or SpacesAfter given: at a sentence's end, it says what joins the next one.
    explicit: bool = False


@dataclass
class _Sentence:
    line: int
    gap: int = 0  # blank lines before it
    text: str | None = None  # from "# text ="
    newpar: bool = False
    tokens: list[_Token] = field(default_factory=list)
    problem: tuple[int, str] | None = None  # (line, reason): refuses the sentence's document
    last_id: int = 0  # the last word ID read
    covered: int = 0  # the last word ID a multiword token covers


@dataclass
class _Doc:
    uid: str | None
    sentences: list[_Sentence] = field(default_factory=list)


def conllu_documents(
    source: SourceFile, lines: list[str], options: ReadOptions
) -> Iterator[ReadItem]:
    """The documents of decoded CoNLL-U lines, with the Notices and Problems about them."""
    columns = _columns(lines)
    if columns not in (COLUMNS, COLUMNS + 1):
        yield Problem(source.name, f"not CoNLL-U: need 10 columns (11 with NER), found {columns}")
        return
    parser = _Parser(columns, options.conllu_ner_key)
    for number, line in enumerate(lines, start=1):
        parser.feed(number, line)
    parser.end_sentence()
    use_misc = any(t.tag for d in parser.docs for s in d.sentences for t in s.tokens)
    use_column = not use_misc and columns > COLUMNS
    if not use_misc and not use_column:
        yield Notice(
            source.name,
            f"CoNLL-U: no entity tags (MISC {options.conllu_ner_key}=... or an 11th column):"
            " imported the text only; --ner-key KEY names another MISC key",
        )
    marked = any(d.uid is not None for d in parser.docs) or len(parser.docs) > 1
    groups: list[tuple[str | None, list[_Sentence]]] = []
    if marked:
        groups = [(d.uid, d.sentences) for d in parser.docs if d.sentences]
    else:
        sentences = [s for d in parser.docs for s in d.sentences]
        breaks = [s.gap >= 2 for s in sentences]
        found = group_sentences(sentences, breaks, options.doc_sentences)
        groups = [(None, g) for g in found]
        note = grouping_note("# newdoc", len(groups), options.doc_sentences)
        if note:
            yield Notice(source.name, note)
    mismatched: list[int] = []
    for index, (uid, sentences) in enumerate(groups, start=1):
        bad = next((s.problem for s in sentences if s.problem), None)
        if bad is not None:
            yield Problem(source.name, bad[1], bad[0])
            continue
        numbered = index if len(groups) > 1 else None
        yield _document(source, (uid, numbered), sentences, use_column, mismatched)
    if mismatched:
        yield Notice(
            source.name,
            f"line {mismatched[0]}: '# text' does not match the tokens: text rebuilt from the"
            f" tokens ({len(mismatched)} sentence(s))",
        )


def _split(line: str) -> list[str]:
    # CoNLL-U separates by tabs (a FORM may hold a space); space-separated CoNLL-X exists too.
    return line.rstrip().split("\t") if "\t" in line else line.split()


def _columns(lines: list[str]) -> int:
    counts = Counter(len(_split(ln)) for ln in lines if ln.strip() and not ln.startswith("#"))
    return counts.most_common(1)[0][0] if counts else 0


class _Parser:
    """Reads lines into documents of sentences, noting the first bad line of each sentence."""

    def __init__(self, columns: int, ner_key: str) -> None:
        self.columns = columns
        self.ner_prefix = ner_key + "="
        self.docs: list[_Doc] = [_Doc(None)]
        self.sentence: _Sentence | None = None
        self.gap = 0
        self.newpar = False

    def feed(self, number: int, line: str) -> None:
        if not line.strip():
            self.end_sentence()
            self.gap += 1
            return
        if line.startswith("#"):
            self._comment(number, line[1:].strip())
            return
        sentence = self._current(number)
        if sentence.problem is None:
            reason = self._word(sentence, number, _split(line))
            if reason:
                sentence.problem = (number, reason)

    def end_sentence(self) -> None:
        if self.sentence is not None and (self.sentence.tokens or self.sentence.problem):
            self.docs[-1].sentences.append(self.sentence)
        self.sentence = None

    def _current(self, number: int) -> _Sentence:
        if self.sentence is None:
            self.sentence = _Sentence(number, gap=self.gap, newpar=self.newpar)
            self.gap, self.newpar = 0, False
        return self.sentence

    def _comment(self, number: int, comment: str) -> None:
        key, equals, value = comment.partition("=")
        key, value = key.strip(), value.strip()
        if key in ("newdoc", "newdoc id") and (self.sentence is None or not self.sentence.tokens):
            self.sentence = None
            uid = value[:_UID_MAX] if key == "newdoc id" else ""
            if self.docs[-1].sentences or self.docs[-1].uid is not None:
                self.docs.append(_Doc(uid))
            else:
                self.docs[-1].uid = uid
        elif key in ("newpar", "newpar id"):
            self.newpar = True
        elif key == "text" and equals:
            self._current(number).text = value

    def _word(self, sentence: _Sentence, number: int, parts: list[str]) -> str | None:
        """Reads one word line into the sentence; the reason when it is bad."""
        if len(parts) != self.columns:
            return f"expected {self.columns} tab-separated columns, found {len(parts)}"
        match = ID_RE.match(parts[0])
        if match is None:
            return f"bad ID {parts[0]!r}: need 3, 1-2 or 1.1"
        first, kind, last = int(match[1]), match[2], match[3]
        expected = sentence.last_id + 1
        if kind == ".":  # an empty node: no surface text
            return None if first == sentence.last_id else f"empty node {parts[0]} out of order"
        if first != expected:
            return f"ID {parts[0]} out of order: expected {expected}"
        if not parts[1]:
            return "empty FORM"
        misc = parts[9].split("|") if parts[9] != "_" else []
        tag = next((m[len(self.ner_prefix) :] for m in misc if m.startswith(self.ner_prefix)), "")
        tag = "" if tag == "_" else tag
        column_tag = parts[10] if self.columns > COLUMNS and parts[10] != "_" else ""
        if kind == "-":
            if int(last) <= first:
                return f"bad multiword range {parts[0]}"
            sentence.covered = int(last)
        else:
            sentence.last_id = first
            if first <= sentence.covered:  # a part of a multiword token: its tag if it has none
                token = sentence.tokens[-1]
                token.tag = token.tag or tag
                token.column_tag = token.column_tag or column_tag
                return None
        explicit = any(m == "SpaceAfter=No" or m.startswith("SpacesAfter=") for m in misc)
        sentence.tokens.append(_Token(parts[1], _after(misc), tag, column_tag, number, explicit))
        return None


def _after(misc: list[str]) -> str:
    """The space after a token: none for ``SpaceAfter=No``, ``SpacesAfter`` unescaped."""
    if "SpaceAfter=No" in misc:
        return ""
    for item in misc:
        if item.startswith("SpacesAfter="):
            value = item[len("SpacesAfter=") :]
            return re.sub(r"\\[stnrp\\]", lambda m: _ESCAPES[m[0]], value)
    return " "


def _document(
    source: SourceFile,
    which: tuple[str | None, int | None],
    sentences: list[_Sentence],
    use_column: bool,
    mismatched: list[int],
) -> Document:
    """One document; ``which``: its ``# newdoc id`` and its number in the file."""
    uid, number = which
    paragraphs = any(s.newpar for s in sentences)
    text = ""
    spans: list[Span] = []
    for i, sentence in enumerate(sentences):
        if i:
            before = sentences[i - 1].tokens[-1]
            last = before.after
            newline = not paragraphs or sentence.newpar or "\n" in last
            # What the file says joins two sentences (as UDPipe and our export write it) wins.
            text += last if before.explicit else "\n" if newline else " "
        line_text, offsets = _sentence_text(sentence, mismatched)
        tags = [t.column_tag if use_column else t.tag for t in sentence.tokens]
        for first, last_token, label in tag_spans(tags):
            start, end = offsets[first][0], offsets[last_token][1]
            spans.append(Span(len(text) + start, len(text) + end, label, line_text[start:end]))
        text += line_text
    metadata: dict[str, object] = {"format": "conllu"}
    if number is not None:
        metadata["document"] = number
    return Document(
        text=text,
        title=cap_title(uid) if uid else title_from(text, source.stem),
        source=source.name,
        metadata=metadata,
        spans=tuple(dedupe(spans, [])),
        uid=uid or None,
    )


def _sentence_text(sentence: _Sentence, mismatched: list[int]) -> tuple[str, list[tuple[int, int]]]:
    """The sentence's text and each token's (start, end) in it: on ``# text`` when the tokens
    are found there in order, else rebuilt from the tokens."""
    # ``# text`` holds one line; SpacesAfter inside the sentence says more (a line break, a tab).
    spaced = any(t.explicit and t.after not in ("", " ") for t in sentence.tokens[:-1])
    if sentence.text is not None and not spaced:
        offsets, position = [], 0
        for token in sentence.tokens:
            while position < len(sentence.text) and sentence.text[position].isspace():
                position += 1
            if not sentence.text.startswith(token.form, position):
                mismatched.append(sentence.line)
                break
            offsets.append((position, position + len(token.form)))
            position += len(token.form)
        else:
            return sentence.text, offsets
    text, offsets = "", []
    for token in sentence.tokens:
        offsets.append((len(text), len(text) + len(token.form)))
        text += token.form + token.after
    return text[: offsets[-1][1]] if offsets else "", offsets
