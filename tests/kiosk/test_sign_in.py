"""Signing in at the kiosk: badge scans told from typing by timing, codes, guests."""

from __future__ import annotations

import pytest

from trainer.adapters.store import SessionStore
from trainer.core.sign_in import KeyEntry, Reception, Scanned, SignInRefused, Typed, Visitor


def feed(entry: KeyEntry, keys: str, start: float, gap: float):
    result = None
    at = start
    for key in [*keys, "enter"]:
        result = entry.key(key, at)
        at += gap
    return result


@pytest.mark.parametrize("gap", [0.001, 0.008, 0.025])
def test_a_reader_typing_the_number_within_tens_of_ms_is_a_scan(gap):
    assert feed(KeyEntry(), "0004417723", 10.0, gap) == Scanned("0004417723")


@pytest.mark.parametrize("gap", [0.09, 0.15, 0.6])
def test_a_person_typing_is_a_code(gap):
    assert feed(KeyEntry(), "4821", 10.0, gap) == Typed("4821")


def test_one_slow_key_makes_it_typed_and_short_bursts_are_not_badges():
    entry = KeyEntry()
    for key, at in zip("1234", (0.0, 0.01, 0.02, 0.4), strict=True):
        entry.key(key, at)
    assert entry.key("enter", 0.41) == Typed("1234")
    assert feed(entry, "123", 5.0, 0.005) == Typed("123")  # too short for a badge


def test_hex_badges_are_upper_cased_backspace_and_stale_entries():
    entry = KeyEntry()
    assert feed(entry, "04a1b2c3", 0.0, 0.005) == Scanned("04A1B2C3")
    for key, at in (("1", 0.0), ("2", 0.3), ("backspace", 0.6), ("3", 0.9)):
        entry.key(key, at)
    assert entry.typed == 2
    assert entry.key("enter", 1.2) == Typed("13")
    entry.key("9", 2.0)
    entry.key("8", 60.0)  # the last visitor's half-typed code was dropped
    assert entry.key("enter", 60.3) == Typed("8")
    assert entry.key("enter", 61.0) is None  # nothing typed: a tap, for the caller
    assert not entry.takes("enter") and entry.takes("7") and not entry.takes("h")


@pytest.fixture
def store(tmp_path):
    with SessionStore.open(tmp_path / "h.sqlite3") as store:
        store.roster.add("Ana", code="4821", created_at="x")
        store.roster.add("Ben", badge="0004417723", created_at="x")
        yield store


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


def test_members_sign_in_by_code_or_badge_and_out(store):
    reception = Reception(lambda: store.roster, Clock())
    ana = reception.sign_in(Typed("4821"))
    assert isinstance(ana, Visitor) and ana.how == "code" and ana.greeting == "Hello, Ana"
    reception.sign_out()
    assert reception.visitor is None
    ben = reception.sign_in(Scanned("0004417723"))
    assert isinstance(ben, Visitor) and ben.how == "badge" and ben.member.name == "Ben"
    guest = reception.as_guest()
    assert guest.is_guest and reception.visitor == guest and guest.greeting == "Training as a guest"
    refused = reception.sign_in(Scanned("9999"))
    assert isinstance(refused, SignInRefused) and "not registered" in refused.message


def test_wrong_codes_lock_code_sign_in_for_a_while(store):
    clock = Clock()
    reception = Reception(lambda: store.roster, clock)
    answers = [reception.sign_in(Typed(code)) for code in ("1111", "2222", "3333")]
    assert [a.locked_for for a in answers] == [0, 0, 30]
    assert answers[2].message == "Unknown code: try again in 30 s"
    clock.now = 10
    locked = reception.sign_in(Typed("4821"))  # the right code waits too
    assert isinstance(locked, SignInRefused) and "try again in 20 s" in locked.message
    assert isinstance(reception.sign_in(Scanned("0004417723")), Visitor)  # badges still work
    clock.now = 31
    assert isinstance(reception.sign_in(Typed("4821")), Visitor)


def test_without_a_history_only_guests_train(store):
    reception = Reception(lambda: None, Clock())
    refused = reception.sign_in(Typed("4821"))
    assert isinstance(refused, SignInRefused) and "guest" in refused.message
