"""Runtimes as printed → whole minutes, the rest kept as extra, the rest left as printed."""

from __future__ import annotations

import pytest

from listparse.metadata import read_line
from listparse.runtimes import read_minutes


@pytest.mark.parametrize(
    ("text", "minutes", "extra"),
    [
        pytest.param("136 minutes", 136, None, id="minutes"),
        pytest.param("136 min", 136, None, id="min"),
        pytest.param("136 mins.", 136, None, id="mins-dot"),
        pytest.param("136min", 136, None, id="glued"),
        pytest.param("90m", 90, None, id="m"),
        pytest.param("2h 16m", 136, None, id="h-m"),
        pytest.param("2h16m", 136, None, id="h-m-glued"),
        pytest.param("2 hr 16 min", 136, None, id="hr-min"),
        pytest.param("2 hrs. 16 mins.", 136, None, id="hrs-mins-dots"),
        pytest.param("2 hours 16 minutes", 136, None, id="hours-minutes"),
        pytest.param("2 hours and 16 minutes", 136, None, id="hours-and-minutes"),
        pytest.param("2 hours, 16 minutes", 136, None, id="hours-comma-minutes"),
        pytest.param("1h", 60, None, id="hour-only"),
        pytest.param("1 hour", 60, None, id="one-hour"),
        pytest.param("1.5 hours", 90, None, id="decimal-hours"),
        pytest.param("2:16:00", 136, None, id="h-mm-ss"),
        pytest.param("24 min per episode", 24, "per episode", id="per-episode"),
        pytest.param("24 minutes each", 24, "each", id="each"),
        pytest.param("24 min/episode", 24, "episode", id="slash-episode"),
        pytest.param("about 2 hours", 120, "about", id="hedge"),
        pytest.param("~90 min", 90, "~", id="tilde"),
        pytest.param("about 1 hour each", 60, "about; each", id="hedge-and-rest"),
        pytest.param("120 min (director's cut: 150)", 120, "(director's cut: 150)", id="rest-kept"),
    ],
)
def test_runtime_shapes(text, minutes, extra):
    """Each way listicles print a runtime gives its minutes, with the words around it as extra."""
    assert read_minutes(text) == (minutes, extra, None)


@pytest.mark.parametrize(
    ("text", "note"),
    [
        pytest.param("22-24 minutes", "a range, not one runtime", id="range"),
        pytest.param("22–24 min", "a range, not one runtime", id="range-en-dash"),
        pytest.param("1 to 2 hours", "a range, not one runtime", id="range-to"),
        pytest.param("2:16", "h:mm or m:ss: the unit is not printed", id="clock-ambiguous"),
        pytest.param("2:16:30", "not a whole number of minutes", id="clock-seconds"),
        pytest.param("136", "a number without a unit", id="no-unit"),
        pytest.param("90.5 minutes", "not a whole number of minutes", id="fraction"),
        pytest.param("Varies", "no runtime found", id="words"),
        pytest.param("136 seconds", "no runtime found", id="seconds"),
    ],
)
def test_runtimes_not_read_keep_the_text(text, note):
    """What gives no one whole number of minutes has no value: the text is the extra and the note says why."""
    assert read_minutes(text) == (None, text, note)


def test_a_runtime_field_is_typed_and_keeps_its_raw_text():
    """`Running time: 2 hours 16 minutes` → the runtime field 136, raw as printed."""
    (field,) = read_line(1, 0, "Running time: 2 hours 16 minutes")
    assert (field.name, field.value, field.extra, field.raw) == ("runtime", 136, None, "2 hours 16 minutes")


def test_an_episode_runtime_keeps_per_episode_as_extra():
    """`Duration: 24 min per episode` → 24, extra "per episode"."""
    (field,) = read_line(1, 0, "Duration: 24 min per episode")
    assert (field.value, field.extra, field.note) == (24, "per episode", None)
