"""CoNLL-U export of the edge documents: no text, only whitespace, a trailing space."""

from __future__ import annotations

import pytest

from annotator.core.export_record import DocumentRecord
from annotator.io.writers._iob import tag_document
from annotator.io.writers.conllu import document_conllu, misc_name


def _conllu(text: str) -> str:
    doc = DocumentRecord(1, "u1", "t", text, {}, "new", None, [], ())
    return document_conllu(doc, 1, tag_document(doc, "iob2", "CoNLL-U", misc_name), "NE")


@pytest.mark.parametrize("text", ["", "   ", "\n\n"])
def test_a_document_without_tokens_is_only_its_newdoc_line(text: str) -> None:
    assert _conllu(text) == "# newdoc id = u1\n"


def test_the_space_after_the_last_token_is_said() -> None:
    assert _conllu("Budi ") == (
        "# newdoc id = u1\n# sent_id = u1-1\n# text = Budi\n"
        "1\tBudi\t_\t_\t_\t_\t_\t_\t_\tSpacesAfter=\\s\n\n"
    )
