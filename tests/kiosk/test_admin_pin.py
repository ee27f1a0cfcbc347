"""The admin PIN rules: refused PINs, the growing lockout, and a PIN changed on the kiosk."""

from __future__ import annotations

import stat

import pytest

from trainer.adapters.store.pin_file import hash_pin, pin_matches, read_pin_file
from trainer.core.admin_pin import EXAMPLE_PIN, AdminPin, PinGuard, pin_problem, same_pin


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    "pin, problem",
    [
        ("", "no admin PIN is set"),
        (EXAMPLE_PIN, "documented example"),
        ("123", "4 to 12 digits"),
        ("12a45", "4 to 12 digits"),
        ("1" * 13, "4 to 12 digits"),
        ("0000", "too easy"),
        ("1234", "too easy"),
        ("987654", "too easy"),
        ("0123456789", "too easy"),
    ],
)
def test_pins_a_kiosk_refuses(pin, problem):
    assert problem in (pin_problem(pin) or "")


@pytest.mark.parametrize("pin", ["5790", "204815", "13572468", "918273645546"])
def test_pins_a_kiosk_takes(pin):
    assert pin_problem(pin) is None


def test_three_wrong_pins_lock_for_a_growing_capped_delay():
    clock = Clock()
    guard = PinGuard(same_pin("5790"), clock, first_lockout=30, max_lockout=100)
    assert [guard.try_pin("0000").locked_for for _ in range(2)] == [0, 0]
    third = guard.try_pin("1111")
    assert (third.accepted, third.locked_for, third.wrong_tries) == (False, 30, 3)
    assert third.message == "Wrong PIN (3 in a row): try again in 30 s"
    # The right PIN is refused while locked, and the refused try does not count.
    clock.now += 29.5
    refused = guard.try_pin("5790")
    assert not refused.accepted and refused.refused_while_locked
    assert refused.message == "Locked after 3 wrong PINs: try again in 1 s"
    assert guard.wrong_tries == 3
    clock.now += 0.5
    assert guard.try_pin("2222").locked_for == 60  # the next wrong one doubles it
    clock.now += 60
    assert guard.try_pin("2222").locked_for == 100  # 120, capped
    clock.now += 100
    assert guard.try_pin("3333").locked_for == 100
    clock.now += 100
    assert guard.try_pin("5790").accepted
    assert guard.wrong_tries == 0
    assert guard.try_pin("0000").locked_for == 0  # a fresh start


def test_the_delays_never_overflow():
    guard = PinGuard(same_pin("5790"), Clock(), first_lockout=30, max_lockout=600)
    assert guard.lockout_after(10_000) == 600
    assert [guard.lockout_after(n) for n in range(1, 7)] == [0, 0, 30, 60, 120, 240]


def test_a_pin_changed_on_the_kiosk_is_stored_hashed_and_wins(tmp_path):
    pin_file = tmp_path / "data" / "admin-pin"
    admin = AdminPin(EXAMPLE_PIN, pin_file)
    assert "documented example" in (admin.problem() or "")
    assert admin.matches(EXAMPLE_PIN) and not admin.matches("5790")
    with pytest.raises(ValueError, match="too easy"):
        admin.change("1111")
    assert not pin_file.exists()
    admin.change("204815")
    assert admin.problem() is None
    assert admin.matches("204815") and not admin.matches(EXAMPLE_PIN)
    text = pin_file.read_text()
    assert "204815" not in text and text.startswith("pbkdf2_sha256$")
    assert stat.S_IMODE(pin_file.stat().st_mode) == 0o600
    assert admin.source == str(pin_file)


def test_a_damaged_pin_file_is_ignored(tmp_path):
    pin_file = tmp_path / "admin-pin"
    pin_file.write_text("garbage")
    assert read_pin_file(pin_file) is None
    assert AdminPin("204815", pin_file).matches("204815")
    assert not pin_matches("pbkdf2_sha256$x$y$z", "1")
    assert pin_matches(hash_pin("5790", iterations=10), "5790")


def test_the_lockout_outlives_a_restart(tmp_path):
    state = tmp_path / "admin-pin-lockout.json"
    wall = Clock()
    wall.now = 1_800_000_000.0

    def guard(clock: Clock) -> PinGuard:
        return PinGuard(same_pin("204815"), clock, state_file=state, wall_clock=wall)

    before = guard(Clock())
    assert [before.try_pin("1111").locked_for for _ in range(3)] == [0, 0, 30]
    wall.now += 10  # the plug is pulled; the kiosk is back 10 s later
    booted = Clock()
    booted.now = 5.0  # the monotonic clock starts again at boot
    after = guard(booted)
    verdict = after.try_pin("204815")
    assert not verdict.accepted and verdict.refused_while_locked
    assert verdict.locked_for == 20 and verdict.wrong_tries == 3
    booted.now += 20
    wall.now += 20
    assert after.try_pin("1111").locked_for == 60  # the 4th wrong in a row: the next delay
    booted.now += 60
    wall.now += 60
    assert after.try_pin("204815").accepted
    assert guard(Clock()).wrong_tries == 0  # the right PIN cleared what was kept


def test_a_lockout_read_back_is_never_longer_than_the_most(tmp_path):
    state = tmp_path / "admin-pin-lockout.json"
    wall = Clock()
    wall.now = 1_800_000_000.0
    first = PinGuard(same_pin("204815"), Clock(), state_file=state, wall_clock=wall)
    for _ in range(3):
        first.try_pin("1111")
    wall.now -= 10**6  # no real-time clock on a Pi: the wall clock went back at boot
    again = PinGuard(
        same_pin("204815"), Clock(), max_lockout=600, state_file=state, wall_clock=wall
    )
    assert 0 < again.locked_for() <= 600


@pytest.mark.parametrize("damage", ["", "{", '{"failures": "many"}', "[]", '{"failures": 2}'])
def test_a_damaged_lockout_file_counts_as_none(tmp_path, damage):
    state = tmp_path / "admin-pin-lockout.json"
    state.write_text(damage)
    guard = PinGuard(same_pin("204815"), Clock(), state_file=state)
    assert guard.wrong_tries == 0 and guard.locked_for() == 0
    assert guard.try_pin("204815").accepted


def test_a_lockout_file_that_cannot_be_written_still_locks(tmp_path, caplog):
    state = tmp_path / "missing-folder" / "admin-pin-lockout.json"
    guard = PinGuard(same_pin("204815"), Clock(), state_file=state)
    assert [guard.try_pin("1111").locked_for for _ in range(3)] == [0, 0, 30]
    assert "lockout state not saved" in caplog.text
