"""WiringCheck: the bounce statistics and timing verdicts of `trainer pedal-test`."""

from __future__ import annotations

from trainer.adapters.pedal import Edge, GestureTimings, WiringCheck
from trainer.adapters.pedal.diagnostics import format_ms

TIMINGS = GestureTimings(debounce=0.03, long_press=0.8, double_tap=0.35)


def check_of(*edges: tuple[float, bool]) -> WiringCheck:
    check = WiringCheck(TIMINGS, started_at=100.0)
    for at, pressed in edges:
        check.add_edge(Edge(pressed, at))
    return check


def test_edges_are_listed_with_times_since_start_and_since_the_previous_edge():
    check = WiringCheck(TIMINGS, started_at=100.0)
    first = check.add_edge(Edge(True, 101.2345))
    second = check.add_edge(Edge(False, 101.2468))
    assert (first.number, first.delta, first.is_bounce) == (1, None, False)
    assert first.describe() == "   1234.5 ms  press"
    assert second.is_bounce
    assert second.describe() == "   1246.8 ms  release    +12.3 ms  bounce"


def test_no_edges_yet():
    assert check_of().verdict() == ["No edges yet: press the foot switch."]


def test_a_clean_tap_is_ok():
    check = check_of((101.0, True), (101.2, False))
    assert check.bounce_count == 0
    assert check.verdict() == [
        "No bounce seen in 2 edges, debounce 30.0 ms: OK",
        "Longest tap held 200 ms, long press at 800 ms: OK",
    ]
    assert check.ok


def test_bounce_well_inside_the_debounce_window_is_ok():
    check = check_of(
        (101.0, True),
        (101.002, False),
        (101.012, True),  # 10 ms gap: the widest bounce
        (101.3, False),
        (101.301, True),
        (101.302, False),
    )
    assert (check.bounce_count, check.max_bounce) == (4, 101.012 - 101.002)
    assert check.summary() == "6 edges, 4 of them bounce (closer than 30.0 ms)"
    assert check.verdict()[0] == "Bounce seen up to 10.0 ms, debounce 30.0 ms: OK"
    assert check.ok


def test_bounce_close_to_the_debounce_window_suggests_a_longer_one():
    check = check_of((101.0, True), (101.001, False), (101.026, True), (101.3, False))
    assert check.verdict()[0] == (
        "Bounce seen up to 25.0 ms, debounce 30.0 ms: too close, try [pedal] debounce = 0.05"
    )
    assert not check.ok


def test_edges_just_outside_the_window_are_flagged_as_possible_bounce():
    check = check_of((101.0, True), (101.04, False), (102.0, True), (102.2, False))
    assert check.bounce_count == 0
    assert any(
        line.startswith("Two edges 40.0 ms apart counted as separate moves")
        and line.endswith("try [pedal] debounce = 0.06")
        for line in check.verdict()
    )
    assert not check.ok


def test_taps_held_close_to_the_long_press_suggest_a_longer_one():
    check = check_of((101.0, True), (101.7, False), (103.0, True), (103.1, False))
    assert [round(hold, 6) for hold in check.tap_holds()] == [0.7, 0.1]
    assert check.verdict()[-1] == (
        "Longest tap held 700 ms, long press at 800 ms: too close, try [pedal] long_press = 1.05"
    )


def test_long_presses_are_not_counted_as_taps():
    check = check_of((101.0, True), (103.0, False))
    assert check.tap_holds() == []
    assert all("Longest tap" not in line for line in check.verdict())


def test_a_tap_measures_from_the_first_edge_of_each_bouncy_run():
    check = check_of(
        (101.0, True),
        (101.001, False),
        (101.002, True),
        (101.5, False),
        (101.504, True),
        (101.505, False),
    )
    [hold] = check.tap_holds()
    assert abs(hold - 0.5) < 1e-9


def test_format_ms():
    assert format_ms(0.0123) == "12.3 ms"
    assert format_ms(0.812) == "812 ms"
