"""The kiosk admin's actions: each changes what it says, and is logged with its outcome."""

from __future__ import annotations

import logging

import pytest

from trainer.adapters.store import SessionStore
from trainer.core.admin import KioskAdmin, KioskOverrides
from trainer.core.admin_pin import AdminPin


class Controls:
    def __init__(self) -> None:
        self.sound: tuple[float, bool] | None = None
        self.idle: float | None = None

    def apply_sound(self, volume: float, muted: bool) -> None:
        self.sound = (volume, muted)

    def apply_idle_seconds(self, seconds: float) -> None:
        self.idle = seconds

    def reload_routines(self) -> str:
        return "7 routines"


@pytest.fixture
def setup(tmp_path):
    store = SessionStore.open(tmp_path / "history.sqlite3")
    controls = Controls()
    admin = KioskAdmin(
        controls=controls,
        roster=lambda: store.roster,
        admin_pin=AdminPin("204815", tmp_path / "admin-pin"),
        overrides_path=tmp_path / "kiosk-admin.json",
        volume=0.8,
        muted=False,
        idle_seconds=300,
        wall_clock=lambda: "2026-12-02T09:00:00+00:00",
    )
    yield admin, controls, store, tmp_path
    store.close()


def test_sound_and_idle_time_apply_at_once_and_survive_a_restart(setup):
    admin, controls, _, tmp_path = setup
    assert admin.change_volume(+1).message == "volume 90%"
    assert admin.change_volume(+5).message == "volume 100%"
    assert admin.toggle_mute().message == "sound off"
    assert controls.sound == (1.0, True)
    assert admin.next_idle_time().message == "idle reset after 600 s"
    assert controls.idle == 600
    saved = KioskOverrides.load(tmp_path / "kiosk-admin.json")
    assert saved == KioskOverrides(volume=1.0, muted=True, idle_seconds=600)


def test_members_codes_badges_and_clearing_history_are_logged_by_id(setup, caplog):
    admin, _, store, _ = setup
    caplog.set_level(logging.INFO, logger="trainer.kiosk.admin")
    assert admin.add_member("  Ana  Lima ").message == "Added Ana Lima"
    ana = store.roster.get("Ana Lima")
    assert admin.set_code(ana, "4821").ok
    assert admin.register_badge(ana, "00a1b2").message == "Badge registered to Ana Lima"
    assert store.roster.by_badge("00A1B2").uid == ana.uid
    session = store.start_session(
        routine_id="r", digest="d", title="R", plan_size=1, started_at="x", member_id=ana.id
    )
    assert session
    assert admin.clear_history(ana).message == "Deleted 1 session(s) of Ana Lima"
    failed = admin.add_member("ana lima")
    assert not failed.ok and "already a member" in failed.message
    lines = [record.getMessage() for record in caplog.records]
    assert lines[0] == f"admin add member: ok: added member {ana.uid}"
    assert f"admin clear history: ok: deleted 1 session(s) of member {ana.uid}" in lines
    assert lines[-1].startswith("admin add member: failed: there is already a member")
    assert not any("Ana" in line for line in lines[:-1])  # ids, not names
    assert [action for _, action, _ in admin.history][:2] == ["add member", "set code"]


def test_change_pin(setup):
    admin = setup[0]
    assert admin.change_pin("580417", "580418").message == "the two PINs differ; nothing changed"
    refused = admin.change_pin("2468", "2468")
    assert not refused.ok and "documented example" in refused.message
    assert admin.change_pin("580417", "580417").ok
    assert admin.admin_pin.matches("580417") and not admin.admin_pin.matches("204815")
    assert admin.reload_routines().message == "7 routines"


def test_a_damaged_overrides_file_counts_as_none(tmp_path):
    path = tmp_path / "kiosk-admin.json"
    path.write_text("{not json")
    assert KioskOverrides.load(path) == KioskOverrides()
    path.write_text('{"volume": 7, "muted": "yes", "idle_seconds": 120}')
    assert KioskOverrides.load(path) == KioskOverrides(idle_seconds=120)
