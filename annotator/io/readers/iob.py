"""Entity tags of token columns: IOB1, IOB2, BIOES and BILOU tags to token ranges."""

from __future__ import annotations

import re

TAG_RE = re.compile(r"^(?:O|[BIESLU]-\S+)$")


def is_tag(value: str) -> bool:
    """True for ``O`` and prefixed tags like ``B-PER``, ``I-LOCpart``, ``S-ORG``."""
    return TAG_RE.match(value) is not None


def tag_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """(first token, last token, label) for each entity; IOB1, IOB2, BIOES and BILOU."""
    found: list[tuple[int, int, str]] = []
    open_: tuple[int, str] | None = None  # first token and label of the entity being read
    for i, tag in enumerate(tags + ["O"]):
        prefix, label = (tag[0], tag[2:]) if is_tag(tag) and tag != "O" else ("I", tag)
        continues = open_ is not None and open_[1] == label and prefix in "IEL"
        if open_ is not None and not continues:
            found.append((open_[0], i - 1, open_[1]))
            open_ = None
        if tag == "O" or not tag:
            continue
        if open_ is None:
            open_ = (i, label)
        if prefix in "SUEL":  # the entity ends on this token
            found.append((open_[0], i, open_[1]))
            open_ = None
    return found
