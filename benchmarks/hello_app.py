"""A bare Textual app, the baseline the trainer's startup is compared with."""

from textual.app import App, ComposeResult
from textual.widgets import Static

TEXT = "Hello from a bare Textual app"


class HelloApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Static(TEXT)


if __name__ == "__main__":
    HelloApp().run()
