"""Selection snapping and token steps used by the window's keys."""

from annotator.core.tokenize import snap_to_tokens, token_step

TEXT = "Menteri Luar Negeri Rusia, Sergei Lavrov, berkata."


def test_partial_words_widen_to_whole_tokens():
    start = TEXT.index("ergei")
    assert snap_to_tokens(TEXT, start, start + 3) == (
        TEXT.index("Sergei"),
        TEXT.index("Sergei") + 6,
    )


def test_whitespace_at_the_edges_is_dropped():
    start = TEXT.index(" Sergei")
    assert snap_to_tokens(TEXT, start, TEXT.index("Sergei") + 6) == (start + 1, start + 7)
    assert snap_to_tokens(TEXT, start, start + 1) == (
        start,
        start + 1,
    )  # only whitespace: left alone


def test_steps_by_token_in_both_directions():
    lavrov = TEXT.index("Lavrov")
    assert token_step(TEXT, lavrov, -1, edge="start") == TEXT.index("Sergei")
    assert token_step(TEXT, lavrov, +1, edge="start") == TEXT.index(",", lavrov)
    end = lavrov + len("Lavrov")
    assert token_step(TEXT, end, +1, edge="end") == end + 1  # the comma
    assert token_step(TEXT, end, -1, edge="end") == TEXT.index("Sergei") + 6


def test_no_token_beyond_the_ends_stays_put():
    assert token_step(TEXT, 0, -1, edge="start") == 0
    assert token_step(TEXT, len(TEXT), +1, edge="end") == len(TEXT)
