"""The guided session: what a person sees from two metres away.

Top to bottom: where you are in the routine and the time left; a large LEFT /
RIGHT badge; the step; a big countdown; set, rep and tempo phase; the current
cue; a check's answer choices; progress; what comes next; and a one-line legend
of what the pedal does right now.

The screen draws what its :class:`~trainer.core.session.ActiveSession` returns
and nothing else: every input, the engine's deadline timer and the redraw timer
each make one call that returns a :class:`~trainer.core.session.Step`, and the
screen draws ``step.snapshot``. Nothing polls: the redraw timer is set for the
moment something shown changes on its own (the next whole second of a count, a
moving figure's next frame), so a hold costs one redraw a second. Widgets are
only touched when their text changes, and laid out again only when their size
may have.
"""

from __future__ import annotations

import asyncio
import math
import time
from dataclasses import replace

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Center, Container, Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import ProgressBar, Static

from trainer.core.actions import Action
from trainer.core.answer_panel import AnswerPanel
from trainer.core.figure import figure_for
from trainer.core.guidance import block_note, how_text, start_view
from trainer.core.kiosk import Idleness, session_idleness
from trainer.core.media import phone_link
from trainer.core.session import ActiveSession, Step
from trainer.engine.effects import SessionSummary
from trainer.engine.snapshot import SessionState, Snapshot
from trainer.engine.vocabulary import Command
from trainer.routine.durations import format_duration
from trainer.ui.safe_text import plain
from trainer.ui.screens.base import CueUnheard, InputScreen, guarded
from trainer.ui.widgets.big_word import big_word, fit_big_text
from trainer.ui.widgets.countdown import BLOCKS_FROM_ROWS, Countdown, big_glyphs_supported
from trainer.ui.widgets.figure import Figure
from trainer.ui.widgets.figure_strip import FigureStrip
from trainer.ui.widgets.media_code import MediaCode

#: How often a moving figure is redrawn (its frames: trainer.pose.motion).
FIGURE_FRAME_SECONDS = 0.25
FLASH_SECONDS = 0.3
MIN_TIMER_SECONDS = 0.001
#: Deadlines this close are the same one (a step taken a moment later says so).
SAME_DEADLINE_SECONDS = 0.0005
#: A redraw comes this long after a shown second runs out, so it sees the next one.
REDRAW_MARGIN_SECONDS = 0.002
#: Screens shorter than this drop the how and the cue while a check's answer box shows.
ROOMY_ROWS = 30
#: Screens smaller than this show no figure beside the countdown.
FIGURE_MIN_WIDTH, FIGURE_MIN_HEIGHT = 60, 16
#: The figure's share of the width and its most columns (as session.tcss sizes #figure).
FIGURE_SHARE, FIGURE_MAX_WIDTH = 0.35, 64
#: Screens smaller than this show no strip of figures before the first tap (the
#: start's text comes first).
STRIP_MIN_WIDTH, STRIP_MIN_HEIGHT = 60, 36
#: Screens this tall (a TV) get the side badge twice as big; below, the exercise
#: name needs the room to be drawn big.
BADGE_TWICE_FROM_ROWS = 60
#: Refits after a change, at most, and how long each waits for the layout (Textual
#: updates the screen up to 60 times a second; see SessionScreen._refit).
MAX_REFITS, REFIT_SECONDS = 6, 0.04
#: Columns the name, side badge (40 wide) and countdown keep beside a media QR code.
MEDIA_MAIN_MIN_WIDTH = 44
#: Rows outside the body: the top line, progress, next, status and legend.
OUTSIDE_BODY_ROWS = 5


def _timeless(snapshot: Snapshot) -> Snapshot:
    """``snapshot`` with the values that change with time alone set to zero."""
    return replace(
        snapshot,
        moment_elapsed=0.0,
        moment_left=None if snapshot.moment_left is None else 0.0,
        session_left=0.0,
        session_active=0.0,
        tempo_left=None if snapshot.tempo_left is None else 0.0,
        lead_in_left=None if snapshot.lead_in_left is None else 0.0,
    )


class _Progress(ProgressBar):
    """Textual's progress bar without its once-a-second timer, which only keeps
    an ETA up to date (none is shown here): the screen sets the progress itself."""

    def _on_mount(self, event: events.Mount) -> None:
        event.prevent_default()  # ProgressBar.on_mount would start that timer


class SessionScreen(InputScreen, Screen[None]):
    """Runs one session until it finishes or is abandoned, then posts :class:`Ended`."""

    CSS_PATH = "session.tcss"

    class Ended(Message):
        """The session on ``screen`` ended; ``summary`` says how it went."""

        def __init__(self, screen: SessionScreen, summary: SessionSummary) -> None:
            super().__init__()
            self.screen = screen
            self.summary = summary

    def __init__(self, session: ActiveSession, status: str = "") -> None:
        super().__init__()
        self.session = session
        self._deadline_timer: Timer | None = None
        self._deadline_due = 0.0  # time.monotonic() when the deadline timer is due
        self._redraw_timer: asyncio.TimerHandle | None = None
        self._figure_moving = False
        #: The last snapshot drawn in full, its clock taken out (see :meth:`draw`).
        self._drawn_timeless: Snapshot | None = None
        self._shown: dict[str, Text] = {}
        self._ended = False
        self._status = status
        self._notice = ""
        self._side_size = (0, 0)
        self._big_letters = big_glyphs_supported()
        #: What the name and the start text were last fitted to (see _fit_to_room).
        self._fitted_for: tuple[object, ...] = ()
        self._named: tuple[str, bool] = ("", False)
        self._room_fitted = (0, 0)
        self._refits_left = 0
        #: True until the name and the start text are fitted to the room after a change.
        self.fitting = False
        #: ``q`` was pressed once: the next ``q`` ends the session, anything else keeps going.
        self.confirming_quit = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            yield Static(id="where")  # cut short with "…" when long, never the counter
            yield Static(id="counter")
            yield Static(id="session-left")
        with Horizontal(id="body"):
            yield Figure(id="figure")
            with Vertical(id="main"):
                yield Static(id="start")
                with Center(id="side-row"):
                    yield Static(id="side")
                yield Static(id="step")
                yield Static(id="note")
                yield Static(id="how")
                yield Countdown(id="countdown")
                yield Static(id="phase")
                yield Static(id="cue")
                yield Static(id="answer")
            yield MediaCode(id="media")
        yield FigureStrip(self.session.plan.routine.steps, id="strip")
        # Paused: a box under the exercise, never over it (name, side and time stay).
        with Container(id="paused"):
            yield Static(id="paused-text")
        yield _Progress(id="progress", show_eta=False, show_percentage=False)
        yield Static(id="next")
        yield Static(id="status")
        yield Static(id="legend")

    @guarded
    def on_mount(self) -> None:
        self.query_one(ProgressBar).total = len(self.session.plan)
        self._draw_status()
        self.show(self.session.last)

    # -- input and time -------------------------------------------------------------

    def take(self, action: Action) -> None:
        """A pedal gesture or a key (1/2/3 and digits answer a check).

        ``q`` asks first: ending a session is one key away from a stray press.
        """
        if action.means(Command.QUIT) and not self.confirming_quit:
            self.confirming_quit = True
            self._draw_status()
            return
        if self.confirming_quit and not action.means(Command.QUIT):
            self.confirming_quit = False  # anything else: keep going (and nothing more)
            self._draw_status()
            return
        self.show(self.session.handle(action))

    @property
    def notice(self) -> str:
        """The latest notice in the status line."""
        return self._notice

    def show_status(self, status: str, notice: str = "") -> None:
        """The state of sound and pedal (and the latest notice) in the status line."""
        self._status, self._notice = status, notice
        self._draw_status()

    def _draw_status(self) -> None:
        if self.confirming_quit:
            text = Text(
                " End the session? q: end it   any other key or tap: keep going ",
                style="reverse bold",
                justify="center",
            )
        else:
            line = "  ·  ".join(part for part in (self._status, self._notice) if part)
            text = plain(line)
        self._set("status", text)

    @guarded
    def tick(self) -> None:
        """Bring the engine up to now and draw (the deadline and redraw timers)."""
        if not self._ended:
            self.show(self.session.tick())

    def show(self, step: Step) -> None:
        """Draw ``step``'s snapshot, or hand over to the summary when the session ended."""
        if step.summary is not None:
            self._finish(step.summary)
            return
        self._schedule_tick(step.next_tick)  # before drawing: it counts from the step
        self.draw(step.snapshot)
        redraw = self.seconds_until_redraw(step.snapshot)
        if redraw is not None and step.next_tick is not None and step.next_tick <= redraw:
            redraw = None  # the engine's tick comes first, and draws
        self._schedule_redraw(redraw)

    def idleness(self) -> Idleness:
        return session_idleness(self.session.last.snapshot)

    def _schedule_tick(self, delay: float | None) -> None:
        due = None if delay is None or self._ended else time.monotonic() + delay
        unmoved = (
            due is not None
            and self._deadline_timer is not None
            and abs(due - self._deadline_due) < SAME_DEADLINE_SECONDS
        )
        if unmoved:
            return  # the same deadline: its timer is still set (one timer, not one a second)
        if self._deadline_timer is not None:
            self._deadline_timer.stop()
            self._deadline_timer = None
        if delay is not None and due is not None:
            # A deadline already passed gives 0, and Textual's set_timer(0) never
            # fires: wait a millisecond instead, so the session cannot stall.
            delay = max(delay, MIN_TIMER_SECONDS)
            self._deadline_due = due
            self._deadline_timer = self.set_timer(
                delay, self._deadline_reached, name="engine-deadline"
            )

    def _deadline_reached(self) -> None:
        self._deadline_timer = None  # spent: the next step sets a new one
        self.tick()

    def _schedule_redraw(self, delay: float | None) -> None:
        # Apart from the engine's timer: the timer benchmark runs the engine's
        # clock faster and scales only the engine's deadlines. A plain loop timer,
        # not set_timer: Textual's one-shot timers cost a task, a message and two
        # signature inspections each, and this one runs every second.
        if self._redraw_timer is not None:
            self._redraw_timer.cancel()
            self._redraw_timer = None
        if delay is not None and not self._ended:
            loop = asyncio.get_running_loop()
            self._redraw_timer = loop.call_later(max(delay, MIN_TIMER_SECONDS), self._redraw_due)

    def _redraw_due(self) -> None:
        self._redraw_timer = None
        if not self.is_attached:
            return  # closed meanwhile (a kiosk reset)
        try:
            self.tick()
        except Exception as error:  # as in any Textual callback: the app decides
            self.app._handle_exception(error)  # (a kiosk logs it and resets)

    def on_unmount(self) -> None:
        self._schedule_redraw(None)

    def seconds_until_redraw(self, snapshot: Snapshot) -> float | None:
        """Seconds until something drawn for ``snapshot`` changes with time alone
        (None: nothing does until an input or the engine's next deadline).

        Each count shown is rounded up to whole seconds and changes as it runs
        below one; the time remaining rounds like the countdown, so the two
        change together and a hold redraws once a second.
        """
        running = snapshot.state in (SessionState.RUNNING, SessionState.ANSWERING)
        if not running or snapshot.paused:
            return None
        counts: list[float] = []
        if snapshot.lead_in_left is not None:
            counts.append(snapshot.lead_in_left)
        else:
            own_left = snapshot.session_left - self.session.plan.estimated_after(snapshot.index)
            counts += [snapshot.moment_left or 0.0, own_left, snapshot.tempo_left or 0.0]
        waits = [left - math.ceil(left) + 1 for left in counts if left > 0]
        if snapshot.tempo_left is not None and snapshot.tempo_left > 0:
            waits.append(snapshot.tempo_left)  # the next phase (its word, the figure)
        if self._figure_moving:
            waits.append(FIGURE_FRAME_SECONDS)
        return min(waits) + REDRAW_MARGIN_SECONDS if waits else None

    def on_cue_unheard(self, message: CueUnheard) -> None:
        """Briefly light up the screen: a cue that could not be heard."""
        self.add_class("flash")
        self.set_timer(FLASH_SECONDS, lambda: self.remove_class("flash"))

    def _finish(self, summary: SessionSummary) -> None:
        if self._ended:
            return
        self._ended = True
        if self._deadline_timer is not None:
            self._deadline_timer.stop()
        self._schedule_redraw(None)
        self.post_message(self.Ended(self, summary))

    # -- drawing ----------------------------------------------------------------

    def draw(self, snapshot: Snapshot) -> None:
        """Draw ``snapshot``. When only the clock moved since the last one (the
        once-a-second redraw), only what shows the clock is drawn (:meth:`_draw_clock`)."""
        timeless = _timeless(snapshot)
        if timeless == self._drawn_timeless:
            self._draw_clock(snapshot)
            if snapshot.answer is not None:  # a number being typed changes no snapshot
                self._set("answer", self._answer_text(self.session.answer_panel(snapshot)))
            return
        self._drawn_timeless = timeless
        moment = snapshot.moment
        plan = self.session.plan
        self._set("where", plain(f"{plan.title}  ·  {moment.block}"))
        self._set("counter", Text(f"  ·  {snapshot.index + 1}/{snapshot.moment_count}"))
        self._draw_side(moment.side)
        self.query_one("#side").set_class(bool(moment.side), "has-side")
        self.query_one("#side-row").display = bool(moment.side)
        ready = snapshot.state is SessionState.READY and snapshot.index == 0
        self._draw_start(ready, bool(moment.side))
        note = block_note(plan, moment)
        self._set("note", plain(note, "bold") if note else Text(""))
        # Paused, the pause box takes the room of the note and the how: the name,
        # side and time stay in view.
        self.query_one("#note").display = bool(note) and not ready and not snapshot.paused
        how = how_text(moment)
        self._set("how", plain(how))
        # On a short screen a check's answer box needs the how's room to stay whole.
        short_answer = snapshot.answer is not None and self.size.height < ROOMY_ROWS
        self.query_one("#how").display = (
            bool(how) and not ready and not snapshot.paused and not short_answer
        )
        self._set("cue", plain(self._cue_line(snapshot)))
        self.query_one("#cue").display = not short_answer and not ready
        self._set("answer", self._answer_text(self.session.answer_panel(snapshot)))
        self.query_one("#answer").display = snapshot.answer is not None
        self.query_one(ProgressBar).progress = snapshot.index
        upcoming = snapshot.next_moment
        self._set(
            "next",
            plain(
                f"Next: {upcoming.title}{f' ({upcoming.side})' if upcoming.side else ''}"
                if upcoming
                else "Next: finish"
            ),
        )
        self._set("legend", Text(snapshot.legend_text, justify="center"))
        self._set("paused-text", self._paused_text(snapshot))
        self.query_one("#paused").display = snapshot.paused
        self.set_class(snapshot.paused, "paused")
        self._draw_clock(snapshot)
        # Plain until laid out: what else shows changed, so the room is known only
        # after the next refresh (_refit draws it big then). Fitting is not for every tick.
        if (moment.title, ready) != self._named:
            self._draw_name(moment.title, ready, fit=False)
        if ready and "start" not in self._shown:
            self._fit_start()
        self._fit_to_room(snapshot, ready)

    def _draw_clock(self, snapshot: Snapshot) -> None:
        """What changes with time alone: the time remaining, the countdown, the
        phase line (tempo and count-in) and the figure."""
        # Rounded up, as the countdown is: the two agree and change together.
        left = format_duration(math.ceil(snapshot.session_left))
        self._set("session-left", Text(f"remaining {left}"))
        self.query_one(Countdown).show_seconds(
            snapshot.moment_left
            if snapshot.state is not SessionState.READY
            else snapshot.moment.planned_seconds
        )
        self._set("phase", Text(self._phase_line(snapshot), justify="center"))
        self._draw_figure(snapshot)

    def _fit_to_room(self, snapshot: Snapshot, ready: bool) -> None:
        """Once the screen is laid out, fit the name (and the start text) again to the
        room the rest left them, when what takes room changed: the moment, the answer
        box, the pause, the screen's size."""
        answer = self._shown.get("answer")
        fitted_for = (
            snapshot.index,
            ready,
            snapshot.paused,
            answer.plain.count("\n") if answer is not None else -1,
            self.size,
        )
        if fitted_for != self._fitted_for:
            self._fitted_for = fitted_for
            self._refits_left = MAX_REFITS
            self.fitting = True
            self.set_timer(REFIT_SECONDS, self._refit, name="fit-to-room")

    def _refit(self) -> None:
        """Fit the name and the start text to the room as laid out now; again a little
        later while that room still changes (Textual lays out what was just shown on
        its next screen update, not at once)."""
        self.fitting = False
        if self._ended or not self.is_attached:
            return
        snapshot = self.session.last.snapshot
        ready = snapshot.state is SessionState.READY and snapshot.index == 0
        room = self._room_in_main("step" if not ready else "start")
        self._draw_name(snapshot.moment.title, ready)
        if ready:
            self._fit_start()
        self._refits_left -= 1
        if room != self._room_fitted and self._refits_left > 0:
            self.fitting = True
            self.set_timer(REFIT_SECONDS, self._refit, name="fit-to-room")
        self._room_fitted = room

    def _room_in_main(self, widget_id: str) -> tuple[int, int]:
        """Columns and rows the rest of the middle column leaves ``widget_id`` (as laid out
        last): its width, and the height less every other widget shown there."""
        main = self.query_one("#main")
        shown = [child for child in main.children if child.display and child.id != widget_id]
        if any(not child.outer_size.height for child in shown):
            return 0, 0  # just shown, not laid out yet: no room known (see _refit)
        return main.size.width, main.size.height - sum(c.outer_size.height for c in shown)

    def _draw_name(self, title: str, ready: bool, *, fit: bool = True) -> None:
        """The exercise's name. On a big screen (a TV across a gym) it is drawn in block
        letters as big as the room left allows: with the time and the side, the biggest
        things on screen. Plain on a small one, and where it cannot fit."""
        self._named = (title, ready)
        big = None
        if fit and self._big_letters and not ready and self.size.height >= BLOCKS_FROM_ROWS:
            columns, rows = self._room_in_main("step")
            # Less the row above the name, and a column each side.
            big = fit_big_text(title, columns - 2, rows - 1)
        step = self.query_one("#step")
        step.set_class(big is not None, "big")
        if big is None:
            self._set("step", plain(title, "bold"))
        else:
            self._set("step", Text("\n".join(big.rows), no_wrap=True, overflow="crop"))

    def _draw_side(self, side: str) -> None:
        """The LEFT / RIGHT badge, twice as big on a big screen (a TV across a gym)."""
        scale = 2 if self.size.height >= BADGE_TWICE_FROM_ROWS else 1
        word = big_word(side, scale) if side else ""
        self._set("side", Text(word, justify="center"))
        size = (5 * scale + 2, max(40, len(word.partition("\n")[0]) + 6))
        if size != self._side_size:
            self._side_size = size
            height, width = size
            self.query_one("#side-row").styles.height = height
            badge = self.query_one("#side")
            badge.styles.height = height
            badge.styles.width = width

    def on_resize(self) -> None:
        self._shown.pop("side", None)  # the badge's size follows the screen's
        self._drawn_timeless = None  # what fits depends on the size: draw it all
        self.draw(self.session.last.snapshot)

    def _draw_start(self, ready: bool, has_side: bool) -> None:
        """Before the first tap, the start box shows (its text: :meth:`_fit_start`)."""
        start = self.query_one("#start", Static)
        start.display = ready
        self.query_one("#side-row").display = has_side and not ready
        for widget_id in ("countdown", "cue"):
            self.query_one(f"#{widget_id}").display = not ready

    def _fit_start(self) -> None:
        """What the session is, how long, what to have, and the safety, fitted to the
        room: a hands-free user cannot scroll, so the summary gives way (cut short with
        "…") and the box keeps its border."""
        view = start_view(self.session.plan)
        # Safety comes right under the title: on a small screen the text below it
        # may be cut, and a hands-free user cannot scroll to it.
        head = Text()
        head.append_text(plain(view.title + "\n", "bold"))
        head.append_text(plain(f"Safety: {view.safety}\n\n", "bold"))
        head.append_text(plain(f"Planned time: {view.duration}"))
        if view.equipment:
            head.append_text(plain(f"\nYou need: {', '.join(view.equipment)}"))
        opening = self.session.plan[0]
        # The tap that starts also passes an opening instruction: say it here.
        tail = plain(how_text(opening)) if opening.kind == "instruction" else Text()
        # A short screen gives the box's blank rows to the text.
        roomy = self.size.height >= ROOMY_ROWS
        self.query_one("#start").styles.padding = (1, 2) if roomy else (0, 2)
        columns, rows = self._room_in_main("start")
        width, rows = columns - 6, rows - (4 if roomy else 2)  # less the border and padding
        summary = plain(view.summary)
        if width > 0 and rows > 0:
            blank_lines = 2 if tail.plain else 1
            room = rows - self._rows(head, width) - self._rows(tail, width) - blank_lines
            summary = self._cut(summary, width, room)
        text = head
        for part in (summary, tail):
            if part.plain:
                text = Text.assemble(text, "\n\n", part)
        if width > 0 and rows > 0:  # a tiny screen: whatever does not fit gives way too
            text = self._cut(text, width, rows)
        self._set("start", text)

    def _rows(self, text: Text, width: int) -> int:
        return len(text.wrap(self.app.console, width)) if text.plain else 0

    def _cut(self, text: Text, width: int, rows: int) -> Text:
        """``text`` in at most ``rows`` rows ``width`` wide, ending in "…" when cut."""
        lines = text.wrap(self.app.console, width)
        if len(lines) <= rows:
            return text
        if rows <= 0:
            return Text()
        kept = Text("\n").join(lines[:rows])
        kept.rstrip()
        last_space, last_line = kept.plain.rfind(" "), kept.plain.rfind("\n")
        if len(kept) - last_line > width:  # no room for the "…": make some,
            # between words where the last line has a space, else over its last letter.
            # (Sliced, not truncate()d: that counts cells, and a newline takes none.)
            kept = kept[: last_space if last_space > last_line else len(kept) - 1]
        kept.append("…")
        return kept

    def _draw_figure(self, snapshot: Snapshot) -> None:
        """The exercise's figure in time with the count (what: :func:`figure_for`).

        Before the first tap, where the screen has room, a strip of every
        exercise's figure shows what the session will ask instead.
        """
        width, height = self.size
        strip = self.query_one(FigureStrip)
        starting = snapshot.state is SessionState.READY and snapshot.index == 0
        strip.display = (
            starting
            and bool(strip.steps)
            and width >= STRIP_MIN_WIDTH
            and height >= STRIP_MIN_HEIGHT
        )
        figure = self.query_one("#figure", Figure)
        view = None if strip.display else figure_for(snapshot)
        if view is None:
            figure.show(None)
        else:
            figure.show(view.pose, view.side, view.position)
        # A step's media code for a phone, never while paused (the pause box needs the rows).
        strip_height = strip.styles.height  # as session.tcss sets it (no layout yet at mount)
        strip_rows = (strip_height.cells or 0) if strip.display and strip_height else 0
        body_rows = height - OUTSIDE_BODY_ROWS - strip_rows
        link = None if snapshot.paused else phone_link(snapshot.moment.step.media)
        media = self.query_one(MediaCode)
        media.show(link, width - MEDIA_MAIN_MIN_WIDTH, body_rows)
        # Time, side and name come first: no figure where they need all the room (a
        # media code, shown for its step only, takes the figure's room when both do not fit).
        main_width = width - media.columns - min(int(width * FIGURE_SHARE), FIGURE_MAX_WIDTH)
        figure.display = (
            view is not None
            and width >= FIGURE_MIN_WIDTH
            and height >= FIGURE_MIN_HEIGHT
            and (not media.display or main_width >= MEDIA_MAIN_MIN_WIDTH)
        )
        self._figure_moving = figure.display and view is not None and view.moving

    def _set(self, widget_id: str, content: Text) -> None:
        # Text equality covers the characters and the styled spans (a highlighted
        # answer differs only in its spans); the base style is compared too.
        shown = self._shown.get(widget_id)
        if shown is None or shown != content or shown.style != content.style:
            self._shown[widget_id] = content
            static = self.query_one(f"#{widget_id}", Static)
            static.update(content, layout=not self._same_size(shown, content, static))

    @staticmethod
    def _same_size(shown: Text | None, content: Text, static: Static) -> bool:
        """True when ``content`` takes the room ``shown`` took (one line, as many
        cells, no wrapping): then it is repainted without a new layout (a second
        of "remaining" costs a repaint of its line, not a layout of the screen)."""
        if shown is None or "\n" in shown.plain or "\n" in content.plain:
            return False
        return shown.cell_len == content.cell_len <= static.content_size.width

    @staticmethod
    def _phase_line(snapshot: Snapshot) -> str:
        moment = snapshot.moment
        if snapshot.state is SessionState.READY:
            return "tap to start" if snapshot.index == 0 else "tap to continue"
        if snapshot.state is SessionState.WAITING:
            return "time! tap when done"
        if snapshot.lead_in_left is not None:
            return f"get ready  {math.ceil(snapshot.lead_in_left)}   (tap: go now)"
        parts = []
        if moment.round_count > 1:
            parts.append(f"Round {moment.round_number}/{moment.round_count}")
        if moment.set_count > 1:
            parts.append(f"Set {moment.set_number}/{moment.set_count}")
        ranged = " to " in moment.reps_text  # a range counts to its top: say the range too
        if snapshot.tempo is not None and moment.reps:
            rep = f"Rep {snapshot.tempo.rep}/{moment.reps}"
            each = " each side" if moment.step.sides == "alternating" else ""
            parts.append(f"{rep} ({moment.reps_text}{each})" if ranged else rep)
            left = math.ceil(snapshot.tempo_left or 0)
            side = f"{snapshot.tempo.side.upper()} " if snapshot.tempo.side else ""
            parts.append(f"{side}{snapshot.tempo.word.upper()} {left}")
        elif moment.reps:
            parts.append(f"{moment.reps_text or moment.reps} reps")
        if moment.is_work:
            effort = [getattr(moment.step, "load", None), getattr(moment.step, "rpe", None)]
            if effort[1]:
                effort[1] = f"RPE {effort[1]}"
            parts += [part for part in effort if part]
        return "  ·  ".join(parts)

    @staticmethod
    def _cue_line(snapshot: Snapshot) -> str:
        """The cue said most recently (the ``how`` stays in view above it)."""
        return snapshot.cue_text or ""

    @staticmethod
    def _paused_text(snapshot: Snapshot) -> Text:
        """The pause menu: every choice, the one a long press would do highlighted."""
        text = Text(justify="center")
        text.append(" PAUSED ", style="reverse bold")
        text.append("\n")
        menu = snapshot.pause_menu
        if menu is not None and menu.confirming_end:
            text.append(" End the session? ", style="reverse bold")
            text.append("\nhold: END SESSION   tap: keep going")
        elif menu is not None:
            for choice in menu.choices:
                chosen = choice == menu.highlighted
                text.append(f" {choice.capitalize()} ", style="reverse bold" if chosen else "")
                text.append(" ")
            text.append("\ntap: next choice   hold: choose")
        text.append("\nkeys: esc resume  b back  r restart step  s skip step  q end session")
        return text

    @staticmethod
    def _answer_text(panel: AnswerPanel | None) -> Text:
        """The check's answer panel as the core gives it (:mod:`trainer.core.answer_panel`)."""
        if panel is None:
            return Text("")
        text = Text(justify="center")
        text.append_text(plain(panel.question + "\n", "bold"))
        if panel.entered is not None:  # a check that records numbers or choices
            for given in panel.given:
                text.append_text(plain(given + "   "))
            text.append_text(plain(f"\n{panel.entered}\n", "reverse bold"))
            if panel.problem:
                text.append_text(plain(panel.problem + "\n", "bold"))
            text.append(panel.hint)
            return text
        for choice in panel.choices:
            text.append(
                f" {choice.key} {choice.label} ", style="reverse bold" if choice.chosen else ""
            )
            text.append("  ")
        if panel.rating is not None:
            text.append(f"\n{panel.rating}", style="bold")
        else:
            text.append(f"\n{panel.hint}")
        return text
