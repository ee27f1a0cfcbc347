"""A bare Textual app, the baseline the trainer is compared with.

``python hello_app.py`` shows one line (startup's baseline). ``--ticking`` also
redraws a countdown once a second, as the trainer does during a hold: the
baseline for idle CPU, since a static app that never redraws costs nothing.
"""

import sys

from textual.app import App, ComposeResult
from textual.widgets import Static

TEXT = "Hello from a bare Textual app"


class HelloApp(App[None]):
    def __init__(self, ticking: bool = False) -> None:
        super().__init__()
        self.ticking = ticking
        self.left = 3600

    def compose(self) -> ComposeResult:
        yield Static(TEXT)
        yield Static("", id="countdown")

    def on_mount(self) -> None:
        if self.ticking:
            self.set_interval(1.0, self.tick)

    def tick(self) -> None:
        self.left -= 1
        self.query_one("#countdown", Static).update(f"{self.left // 60}:{self.left % 60:02d}")


if __name__ == "__main__":
    HelloApp(ticking="--ticking" in sys.argv[1:]).run()
