"""Where the trainer's startup time goes: run as a child, prints one JSON object (ms).

``imports`` is the import of everything ``trainer run`` imports, against
``textual_imports`` for what a bare Textual app imports (measured in a second
child, since modules are imported once per process). The app's own opening
steps (routine catalog, history database, audio, picker) are timed headless
with the same settings as ``trainer run --pedal none``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time

IMPORTS = ["trainer.cli", "trainer.commands.run", "trainer.ui.app"]


def time_imports(names: list[str]) -> float:
    started = time.perf_counter()
    for name in names:
        __import__(name)
    return (time.perf_counter() - started) * 1000


def time_steps() -> dict[str, float]:
    """Each opening step of the real app, headless, until the picker is up.

    The adapters are the real ones, opened through factories that time them.
    """
    from trainer.core.adapters import AdapterFactories
    from trainer.core.settings import AppSettings
    from trainer.ui import app as app_module

    spent: dict[str, float] = {}

    def timed(original, label):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[label] = (time.perf_counter() - started) * 1000

        return wrapper

    real = AdapterFactories()
    factories = AdapterFactories(
        open_store=timed(real.open_store, "open_store"),
        open_audio=timed(real.open_audio, "open_audio"),
        open_pedal=timed(real.open_pedal, "open_pedal"),
        load_catalog=timed(real.load_catalog, "load_catalog"),
    )
    app_module.TrainerApp.show_picker = timed(app_module.TrainerApp.show_picker, "show_picker")
    options = {"pedal": "none", "pin": None, "mute": False, "config": None}
    settings = AppSettings.from_args(argparse.Namespace(**options))

    async def start() -> None:
        app = app_module.TrainerApp(settings, factories=factories)
        async with app.run_test():
            await app.until_ready()  # the steps run after the first paint

    asyncio.run(start())
    return spent


def main() -> int:
    if sys.argv[1:] == ["--textual"]:
        result = {"textual_imports": time_imports(["textual.app", "textual.widgets"])}
    else:
        result = {"imports": time_imports(IMPORTS), **time_steps()}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
