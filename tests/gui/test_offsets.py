"""Code points <-> Qt positions, checked against a real QTextDocument."""

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QTextCursor, QTextDocument

from annotator.gui.offsets import OffsetMap

PIECES = ["a", "Jakarta", " ", "\n", "\r\n", "\r", "😀", "𝔘", "é", "e\u0301", "👍🏽", "日本", "\t"]


def qt_text_between(doc: QTextDocument, start: int, end: int) -> str:
    cursor = QTextCursor(doc)
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    # Qt writes a block break as U+2029 in selections.
    return cursor.selectedText().replace("\u2029", "\n")


def check(text: str) -> None:
    mapping = OffsetMap(text)
    doc = QTextDocument()
    doc.setPlainText(mapping.display_text)
    assert doc.characterCount() - 1 == mapping.to_qt(len(text))
    shown = mapping.display_text
    for start in range(len(text) + 1):
        qt = mapping.to_qt(start)
        inside_crlf = text[start : start + 1] == "\n" and text[start - 1 : start] == "\r"
        if inside_crlf:
            # The LF of a CRLF has no position of its own: it maps where the next line starts.
            assert qt == mapping.to_qt(start + 1)
            continue
        assert mapping.to_offset(qt) == start, (text, start)
        for end in range(start, min(len(text), start + 4) + 1):
            expected = text[start:end].replace("\r\n", "\n").replace("\r", "\n")
            got = qt_text_between(doc, qt, mapping.to_qt(end))
            if text[end - 1 : end + 1] != "\r\n":
                assert got == expected, (text, start, end)
    assert shown.count("\r") == 0


def test_plain_ascii_is_identity():
    mapping = OffsetMap("Presiden Rusia Vladimir Putin")
    assert mapping.identity
    assert mapping.to_qt(9) == 9 and mapping.to_offset(9) == 9


def test_emoji_crlf_and_combining_marks():
    text = "Halo 😀 dunia\r\nPutin 👍🏽 berkata\r\ne\u0301 lagi 𝔘"
    check(text)
    mapping = OffsetMap(text)
    start = text.index("Putin")
    doc = QTextDocument()
    doc.setPlainText(mapping.display_text)
    assert qt_text_between(doc, mapping.to_qt(start), mapping.to_qt(start + 5)) == "Putin"
    last = text.index("lagi")
    assert qt_text_between(doc, mapping.to_qt(last), mapping.to_qt(len(text))) == "lagi 𝔘"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=14))
def test_any_mix_maps_both_ways(pieces):
    check("".join(pieces))
