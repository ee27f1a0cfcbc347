"""The picker paints first (issue 18): nothing heavy is imported before it, the rows come
from the cache, and everything else opens after it, in a worker, with input kept."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from support.app import make_settings
from support.clock import FakeClock

from trainer.config import ConfigError
from trainer.core.adapters import AdapterFactories, load_routines
from trainer.routine.catalog import Catalog
from trainer.ui.app import TrainerApp
from trainer.ui.screens.picker import PickerScreen
from trainer.ui.screens.session import SessionScreen

#: None of these may be imported before the picker's first paint.
HEAVY = (
    "pydantic",
    "yaml",
    "sqlite3",
    "gpiozero",
    "simpleaudio",
    "psycopg",
    "trainer.config",
    "trainer.core.flow",
    "trainer.core.settings",
    "trainer.adapters.store.database",
    "trainer.adapters.audio.player",
    "trainer.adapters.pedal.opening",
    "trainer.routine.catalog",
    "trainer.routine.models",
    "trainer.engine.plan",
)

# `trainer run --pedal auto`, headless: the command's own modules, the app as the
# command builds it, and a look at sys.modules the moment the first paint is done.
PROBE = """
import argparse, asyncio, json, sys
from pathlib import Path
import trainer.cli, trainer.commands.run
from trainer.commands._app_setup import read_app_settings
from trainer.ui import app as app_module
from trainer.ui.app import TrainerApp

found = {}

class Probe(TrainerApp):
    CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))

    def _open_after_paint(self):
        found["modules"] = sorted(sys.modules)
        found["titles"] = [choice.title for choice in self.screen.choices]
        found["screen"] = type(self.screen).__name__
        super()._open_after_paint()

async def main():
    args = argparse.Namespace(pedal="auto", pin=None, mute=False, config=None)
    app = Probe(read_settings=lambda: read_app_settings(args))
    async with app.run_test():
        await app.until_ready()
        found["ready_titles"] = [choice.title for choice in app.screen.choices]

asyncio.run(main())
print(json.dumps(found))
"""


def _first_paint(home: Path) -> dict[str, list[str] | str]:
    config = home / "xdg_config_home" / "trainer" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[audio]\nbackend = "silent"\n')  # read after the paint, like any config
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=True
    )
    result: dict[str, list[str] | str] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_nothing_heavy_is_imported_before_the_first_paint(_isolated_user_dirs: Path):
    cold = _first_paint(_isolated_user_dirs)
    warm = _first_paint(_isolated_user_dirs)
    for run in (cold, warm):
        assert run["screen"] == "PickerScreen"
        loaded = set(run["modules"])
        assert [name for name in HEAVY if name in loaded] == []
    assert cold["titles"] == []  # no cache yet: the rows come after validation
    assert "Ankle release" in cold["ready_titles"]
    assert warm["titles"] == warm["ready_titles"] == cold["ready_titles"]  # painted from cache


class HeldCatalog:
    """A catalog loader that waits for the test: the app stays not ready meanwhile."""

    def __init__(self) -> None:
        self.release = threading.Event()

    def __call__(self, folders: Sequence[Path], files: Sequence[Path] = ()) -> Catalog:
        assert self.release.wait(30), "the test never let the catalog load"
        return load_routines(folders, files)


async def test_input_before_ready_is_kept_and_handled_in_order(tmp_path: Path, clock: FakeClock):
    # A first start fills the row cache, as any start does.
    async with TrainerApp(make_settings(tmp_path, clock)).run_test() as pilot:
        await pilot.app.until_ready()
        titles = [choice.title for choice in pilot.app.screen.choices]

    held = HeldCatalog()
    app = TrainerApp(make_settings(tmp_path, clock), factories=AdapterFactories(load_catalog=held))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, PickerScreen) and not app.is_ready
        assert [choice.title for choice in screen.choices] == titles  # from the cache
        assert "getting sound and pedal ready" in screen.status
        await pilot.press("space", "enter")  # tap: next routine; enter: start it
        assert app.screen is screen and screen.selected == 0  # kept, not lost
        held.release.set()
        await app.until_ready()
        await pilot.pause()
        session = app.screen
        assert isinstance(session, SessionScreen)
        assert session.session.plan.routine.title == titles[1]


async def test_settings_that_cannot_be_read_end_the_app_with_the_reason(tmp_path: Path):
    def broken() -> object:
        raise ConfigError("[pedal] pin: must be 2 to 27")

    app = TrainerApp(read_settings=broken)  # type: ignore[arg-type]
    async with app.run_test() as pilot:
        await pilot.pause(0.5)
    assert app.return_code == 2
    assert app.start_error is not None and "[pedal] pin" in app.start_error
