"""Every action of the key map has a test in this folder that presses its key through the X
server."""

from __future__ import annotations

import pytest

from annotator.gui.keymap import DEFAULT_KEYMAP

# These need no X server: they run in every pytest run (a new action fails here at once).
pytestmark = pytest.mark.no_x11


def test_every_action_of_the_key_map_has_an_x11_test(covered_actions):
    missing = [a.id for a in DEFAULT_KEYMAP if a.id not in covered_actions]
    assert not missing, (
        f"actions of DEFAULT_KEYMAP with no X11 test: {missing}; add a test in tests/x11 "
        "marked @pytest.mark.action(ID) that presses the key through the X server"
    )


def test_the_marks_name_actions_of_the_key_map(covered_actions):
    unknown = sorted(set(covered_actions) - {a.id for a in DEFAULT_KEYMAP})
    assert not unknown, f"@pytest.mark.action names no action of DEFAULT_KEYMAP: {unknown}"


def test_every_default_key_has_an_x_keysym(xdotool_chord):
    chords = {key: xdotool_chord(key) for action in DEFAULT_KEYMAP for key in action.keys}
    assert chords["{"] == "braceleft" and chords["Shift+Tab"] == "shift+Tab"
    assert chords["Ctrl+PgDown"] == "ctrl+Next" and chords["Ctrl+Shift+Z"] == "ctrl+shift+z"
