"""FrontDesk: whose sessions the trainer records follows who signed in."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from trainer.adapters.store import Member, SessionStore
from trainer.core.front_desk import DeskSettings, FrontDesk
from trainer.core.sign_in import Scanned, SignInRefused, Typed


@dataclass
class Trainer:
    store: SessionStore | None
    member: Member | None = None
    followed: list[str] = field(default_factory=list)

    def follow_member(self, member: Member) -> None:
        self.followed.append(member.name)


@pytest.fixture
def trainer(tmp_path):
    store = SessionStore.open(tmp_path / "history.sqlite3")
    store.roster.add("Ana", code="4821", created_at="x")
    store.roster.add("Ben", badge="0004417723", created_at="x")
    yield Trainer(store)
    store.close()


def desk_for(trainer, tmp_path, **settings) -> FrontDesk:
    return FrontDesk(
        trainer,
        DeskSettings(admin_pin="204815", **settings),
        data_dir=tmp_path,
        clock=lambda: 0.0,
    )


def test_the_member_follows_sign_in_guest_and_sign_out(trainer, tmp_path):
    desk = desk_for(trainer, tmp_path)
    desk.sign_in(Typed("4821"))
    assert trainer.member is not None and trainer.member.name == "Ana"
    desk.sign_out()
    assert trainer.member is None and desk.visitor is None
    desk.sign_in(Scanned("0004417723"))
    assert trainer.member.name == "Ben"
    desk.as_guest()
    assert trainer.member is None and desk.visitor.is_guest
    assert isinstance(desk.sign_in(Typed("0000")), SignInRefused)
    assert trainer.member is None
    # Each member who signed in has their history at other kiosks followed (a fleet's).
    assert trainer.followed == ["Ana", "Ben"]


def test_member_names_are_listed_only_when_the_setting_says_so(trainer, tmp_path):
    assert desk_for(trainer, tmp_path).member_names() is None
    assert desk_for(trainer, tmp_path, show_member_names=True).member_names() == ["Ana", "Ben"]


def test_the_pin_guard_uses_the_configured_delays(trainer, tmp_path):
    desk = desk_for(trainer, tmp_path, pin_lockout_seconds=4, pin_lockout_max_seconds=8)
    verdicts = [desk.pin_guard.try_pin("1111") for _ in range(5)]
    assert [v.locked_for for v in verdicts[:3]] == [0, 0, 4]
    assert desk.pin_guard.lockout_after(10) == 8
    assert desk.admin_pin.matches("204815")


def test_the_admin_pin_lockout_survives_a_new_desk(trainer, tmp_path):
    desk = desk_for(trainer, tmp_path)
    for _ in range(3):
        desk.pin_guard.try_pin("1111")
    restarted = desk_for(trainer, tmp_path)  # the kiosk started again on the same data
    verdict = restarted.pin_guard.try_pin("204815")
    assert verdict.refused_while_locked and verdict.locked_for > 0
    assert (tmp_path / "admin-pin-lockout.json").exists()
