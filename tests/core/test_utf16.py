"""UTF-16 offsets (Java's, JavaScript's) against code points (ours), checked by encoding."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.utf16 import astral_positions, code_point_table, to_utf16, utf16_len

TEXTS = st.text(alphabet=st.sampled_from(["a", " ", "é", "\n", "😊", "𝒳", "中"]), max_size=40)


def _units(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


@given(TEXTS)
def test_offsets_both_ways_agree_with_the_utf16_encoding(text: str) -> None:
    assert utf16_len(text) == _units(text)
    astral = astral_positions(text)
    assert astral == [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
    offsets = list(range(len(text) + 1))
    units = to_utf16(astral, offsets)
    assert units == [_units(text[:i]) for i in offsets]
    table = code_point_table(text)
    assert len(table) == _units(text) + 1
    for index, unit in zip(offsets, units, strict=True):
        assert table[unit] == index
    assert table.count(-1) == len(astral)  # the second unit of each astral character
