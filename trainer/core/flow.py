"""The trainer without its screens: :class:`TrainerCore`.

The core opens the adapters (through :class:`~trainer.core.adapters.AdapterFactories`),
lists the routines, offers to resume a session cut short, starts, resumes and
finishes sessions, reads the history, and keeps the kiosk's rules. The Textual
app asks it for what to show and hands it every input; nothing here imports
Textual, so the whole flow is tested with fake adapters and a plain clock.
"""

from __future__ import annotations

import contextlib
import logging
import time
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from trainer import paths
from trainer.adapters.audio.player import NO_SOUND_DEVICE_NOTICE, Notify
from trainer.adapters.audio.settings import AudioSettings
from trainer.adapters.pedal.gpio import EdgeCallback, GestureCallback
from trainer.adapters.pedal.mock import MOCK_HELP
from trainer.adapters.pedal.opening import PedalConnection, PedalUnavailable
from trainer.adapters.store.database import (
    CheckRow,
    MomentEntry,
    SessionOverview,
    SessionStore,
)
from trainer.adapters.store.errors import StoreError
from trainer.adapters.store.members import Member, MemberError
from trainer.adapters.store.recorder import SessionRecorder
from trainer.adapters.store.resume import ResumeOffer, find_resume_offer
from trainer.capped_files import append_capped
from trainer.core.actions import Action
from trainer.core.adapters import AdapterFactories, Sound
from trainer.core.kiosk import IdleWatch
from trainer.core.routine_rows import (
    DEFAULT_PLAN,
    RoutineChoice,
    RoutineRowCache,
    picker_order,
    routine_files,
    signatures,
)
from trainer.core.session import ActiveSession, Step
from trainer.core.settings import AppSettings
from trainer.core.wording import check_names
from trainer.engine.effects import SessionSummary
from trainer.engine.plan import Plan, PlanOptions, TighterSides, build_plan
from trainer.engine.session import Session
from trainer.engine.soundplan import SessionSounds, plan_sounds
from trainer.routine.catalog import Catalog, LoadedRoutine
from trainer.untrusted_text import clean

if TYPE_CHECKING:  # watchfiles and anyio: the kiosk's alone, imported when it watches
    from trainer.adapters.routine_watch import RoutineWatch

log = logging.getLogger(__name__)

#: The kiosk's error log: at most this big (one older copy is kept beside it).
ERROR_LOG_MAX_BYTES = 256_000
#: The same traceback again within this many seconds is counted, not written.
ERROR_REPEAT_SECONDS = 60.0
#: A member's sessions at other kiosks pulled longer ago than this may be out of date.
FLEET_HISTORY_FRESH = timedelta(minutes=5)


@dataclass(frozen=True)
class SummaryView:
    """A finished session, and the check results from before it to compare with."""

    summary: SessionSummary
    earlier_checks: tuple[CheckRow, ...]
    #: False for a guest: no "last time" (nor "first time": nothing is kept for them).
    compare: bool = True
    #: The routine's planned time, as the picker and the start screen showed it.
    planned_time: str = ""
    #: Each check's name by its test id (see :func:`~trainer.core.wording.check_names`).
    check_names: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class HistoryView:
    sessions: tuple[SessionOverview, ...]
    checks: tuple[CheckRow, ...]
    #: Each check's name by its test id (see :func:`~trainer.core.wording.check_names`).
    check_names: Mapping[str, str] = field(default_factory=dict)
    #: Said under the title when sessions at other kiosks may be missing (fleet offline).
    note: str | None = None


@dataclass(frozen=True)
class PedalCallbacks:
    """Where the pedal and the sound player report, from their own threads."""

    on_gesture: GestureCallback
    on_edge: EdgeCallback
    #: A notice from another thread (the app must hand it over to its loop).
    notify_from_thread: Notify
    #: A sound nobody could hear (no working sound device): the screen flashes the cue.
    on_unheard: Callable[[], None]


class TrainerCore:
    """Everything the trainer does between an input and what is drawn.

    :param notify: shows a notice to the user (called on the caller's thread).
    :param on_status: the state of sound or pedal changed (:meth:`status_line` tells it).
    :param kiosk: an unattended box: interrupted sessions are closed rather
        than offered to the next person, and the idle rules apply.
    """

    def __init__(
        self,
        settings: AppSettings,
        *,
        notify: Callable[[str], None],
        kiosk: bool = False,
        factories: AdapterFactories | None = None,
        on_status: Callable[[], None] | None = None,
    ) -> None:
        self.settings = settings
        self.kiosk = kiosk
        self.factories = factories or AdapterFactories()
        self.clock = settings.clock
        self._notify = notify
        self._on_status = on_status
        self.notices: list[str] = []  # every notice shown, newest last (admin screen, tests)
        self.catalog = Catalog()
        #: The picker's rows of each routine file, for the next start's first paint.
        self.row_cache = RoutineRowCache(paths.cache_dir())
        self._rows: tuple[Catalog, list[RoutineChoice]] | None = None  # see _rows_of
        self.store: SessionStore | None = None
        self.audio: Sound | None = None
        self.pedal: PedalConnection | None = None
        self.session: ActiveSession | None = None
        # Recorders with history still waiting for the store (it failed for a while);
        # retried on a timer, so a session's end is saved even after its screen is gone.
        self.recorders: list[SessionRecorder] = []
        #: Whose sessions are recorded and shown; None: a guest (no history, no "last time").
        #: Home mode trains as ``--member`` or the owner; at a kiosk everyone is a guest.
        self.member: Member | None = None
        self.idle = IdleWatch(settings.kiosk, settings.clock)
        self.routine_watch: RoutineWatch | None = None  # the kiosk's, see watch_routines
        self._callbacks: PedalCallbacks | None = None
        self._last_error: tuple[str, float, int] = ("", 0.0, 0)  # text, when, repeats since

    # -- opening and closing ------------------------------------------------------

    def open(self, callbacks: PedalCallbacks) -> None:
        """Read the routines and open the log, the sound and the pedal (each may fail alone)."""
        self.open_routines()
        self.open_history()
        self.open_devices(callbacks)

    def open_routines(self) -> None:
        """Read and validate the routines (pure work: any thread may do it, before the rest)."""
        self.catalog = self.load_catalog()

    def open_history(self) -> None:
        """Open the session log (on the thread that will use it) and the background services."""
        try:
            self.store = self.factories.open_store(self.settings.database_path)
            self.member = None if self.kiosk else self._home_member(self.store)
        except (StoreError, MemberError) as error:
            self.tell(f"History is off: {error}")
        if self.member is not None:
            self.follow_member(self.member)
        for service in self.settings.background:
            service.start()

    def open_devices(self, callbacks: PedalCallbacks) -> None:
        """Open the sound (its tones rendered) and the pedal; any thread may do it."""
        self._callbacks = callbacks
        self._open_audio(self.settings.audio)
        try:
            self.pedal = self.factories.open_pedal(
                self.settings.pedal, callbacks.on_gesture, callbacks.on_edge
            )
        except PedalUnavailable as error:
            self.tell(f"{error}; using the keyboard")
        else:
            if self.pedal.notice:
                self.tell(self.pedal.notice, in_status_line=True)

    def adjust_audio(self, settings: AudioSettings) -> None:
        """The kiosk admin changed the volume or mute: the player open takes them as it
        runs, so a session under way keeps its sound (at the new volume)."""
        if self.audio is not None:
            self.audio.set_sound(settings.volume, settings.muted)
        else:
            self._open_audio(settings)

    def _open_audio(self, settings: AudioSettings) -> None:
        """Open the sound player with ``settings``."""
        callbacks = self._callbacks
        if callbacks is None:
            return
        try:
            self.audio = self.factories.open_audio(
                settings, callbacks.notify_from_thread, callbacks.on_unheard
            )
        except Exception:  # sound is a nicety; the session runs without it
            log.exception("audio failed to start")  # the detail, for whoever reads the log
            self.tell("Sound is off: it could not start (details in the log)")

    def close(self) -> None:
        """End a session still under way as abandoned, then close every adapter.

        Quitting on purpose ends a session as abandoned; only a crash or a power
        cut leaves it "running" for the next start to offer to resume.
        """
        if self.routine_watch is not None:
            self.routine_watch.stop()
        self.abandon()
        for recorder in self.recorders:  # a last, bounded try for what waits to be saved
            recorder.close()
        if self.pedal is not None:
            self.pedal.close()
        if self.audio is not None:
            self.audio.close()
        if self.store is not None:
            self.store.close()
        for service in self.settings.background:
            service.stop()

    def _home_member(self, store: SessionStore) -> Member:
        name = self.settings.member
        return store.roster.get(name) if name else store.roster.owner()

    def status_line(self) -> str:
        """The state of sound and pedal in one line: what a session shows at its foot
        instead of notices over the exercise (``sound: on · pedal: pin 17``)."""
        audio = self.audio
        if audio is None:
            sound = "sound: off"
        elif self.no_sound_device:
            sound = "sound: no device (cues flash)"
        elif getattr(audio, "muted", False):
            sound = "sound: muted"
        else:
            sound = "sound: on"
        pedal = self.pedal
        if pedal is None or pedal.mode == "none":
            foot = "no pedal: space/enter tap"
        elif pedal.foot is not None:
            foot = f"simulated pedal: {MOCK_HELP}"
        else:
            foot = f"pedal: pin {pedal.settings.pin}"
        return f"{sound}  ·  {foot}"

    @property
    def no_sound_device(self) -> bool:
        """True when sound started but no device works: cues flash on screen instead."""
        return bool(getattr(self.audio, "is_silent", False))

    @property
    def keeps_history(self) -> bool:
        """Whether this visitor's sessions are kept (not a kiosk guest, history not off)."""
        return self.store is not None and self.member is not None

    def tell(self, message: str, *, in_status_line: bool = False) -> None:
        """Show a notice (cleaned: it may quote a routine title) and remember it.

        ``in_status_line``: the notice only says what :meth:`status_line` shows
        (which pedal, no sound device): the status line is redrawn instead of
        repeating it. The audio's "no sound device" notice is one.
        """
        message = clean(message)
        self.notices.append(message)
        if in_status_line or message == NO_SOUND_DEVICE_NOTICE:
            if self._on_status is not None:
                self._on_status()
            return
        self._notify(message)

    # -- input --------------------------------------------------------------------

    def action_for_key(self, key: str) -> Action | None:
        """The action a key stands for; None when the simulated pedal took it."""
        if self.pedal is not None and self.pedal.handle_mock_key(key):
            return None
        return Action(self.settings.keys.lookup(key), key=key)

    def handle(self, action: Action) -> Step | None:
        """Hand an input to the session under way; None when there is none."""
        return self.session.handle(action) if self.session is not None else None

    # -- routines -----------------------------------------------------------------

    def routine_choices(self) -> list[RoutineChoice]:
        last_done = self._last_done()
        # A coach's assignments (from the fleet server) come first, in the coach's order;
        # then a demo (focus "demo": the routine for trying the pedal), then by title.
        assigned = self._assigned_routines()
        choices = [
            replace(choice, last_done=last_done.get(choice.id))
            for choice in self._rows_of(self.catalog)
        ]
        choices.sort(key=lambda c: (assigned.get(c.id, len(assigned)), *picker_order(c)))
        return choices

    def check_names(self, test_ids: Iterable[str]) -> dict[str, str]:
        """Each check's name, from the routines as they are now."""
        return check_names(test_ids, (loaded.routine for loaded in self.catalog.routines.values()))

    def load_catalog(self) -> Catalog:
        """The routines as the folders hold them now; their rows are remembered for the
        next start's first paint (:class:`RoutineRowCache`). Any thread may call it."""
        catalog, rows = load_remembered(
            self.factories.load_catalog,
            self.settings.folders,
            self.settings.routine_files,
            self.row_cache,
            self.settings.engine.plan,
        )
        if rows is not None:
            self._rows = (catalog, rows)
        return catalog

    def _rows_of(self, catalog: Catalog) -> list[RoutineChoice]:
        """:func:`choices_of` ``catalog``, planned once (when it was loaded, if it was here)."""
        if self._rows is None or self._rows[0] is not catalog:
            self._rows = (catalog, choices_of(catalog, self.settings.engine.plan))
        return self._rows[1]

    @property
    def problem_count(self) -> int:
        return len(self.catalog.bad_files)

    def problems(self) -> list[str]:
        return [str(issue) for issue in self.catalog.issues]

    def admin_notes(self) -> list[str]:
        """For the admin screen: each background service's state, then the latest notices."""
        return [*(service.describe() for service in self.settings.background), *self.notices[-5:]]

    def find_routine(self, name: str) -> LoadedRoutine | None:
        return self.catalog.find(name)

    def reload(self) -> None:
        self.catalog = self.load_catalog()

    def watch_routines(self, on_reloaded: Callable[[Catalog], None]) -> None:
        """Watch the routine folders on a thread of their own (the kiosk does): each
        time they change, the catalog is reloaded on that thread and handed to
        ``on_reloaded`` there; the app passes it to its loop and :meth:`use_catalog`.
        Nothing is listed, stat-ed or parsed on the event loop (issue 19.10)."""
        if self.routine_watch is not None:
            return
        from trainer.adapters.routine_watch import RoutineWatch

        self.routine_watch = RoutineWatch(
            self.settings.folders,
            self.load_catalog,
            on_reloaded,
            initial=self.catalog,
            poll_seconds=self.settings.kiosk.reload_seconds,
        )
        self.routine_watch.start()

    def use_catalog(self, catalog: Catalog) -> None:
        """Offer ``catalog`` (reloaded by the watch) from now on."""
        self.catalog = catalog

    def _tighter_sides(self) -> TighterSides:
        """This member's latest check results, for ``extra_set: tighter_side`` steps."""
        if self.store is None or self.member is None:
            return TighterSides()
        try:
            checks = [(c.test_id, c.result, c.at) for c in self.store.checks(who=self.member.id)]
            # Results the member got at other kiosks of the fleet (empty without one).
            checks += self.store.member_checks_elsewhere(self.member.uid)
        except StoreError:
            return TighterSides()
        checks.sort(key=lambda check: _instant(check[2]))
        return TighterSides.from_results((test, result) for test, result, _ in checks)

    def _assigned_routines(self) -> dict[str, int]:
        """Routine id -> position among the signed-in member's assigned routines."""
        if self.store is None or self.member is None:
            return {}
        try:
            routines = self.store.assigned_routines(self.member.uid)
        except StoreError:
            return {}
        return {routine: position for position, routine in enumerate(routines)}

    def _last_done(self) -> dict[str, str]:
        if self.store is None or self.member is None:
            return {}
        try:
            sessions = self.store.recent_sessions(limit=200, who=self.member.id)
        except StoreError:
            return {}
        last: dict[str, str] = {}
        for overview in sessions:  # newest first
            session = overview.session
            if session.status == "finished":
                last.setdefault(session.routine_id, session.started_at[:10])
        return last

    # -- sessions -----------------------------------------------------------------

    def retry_history(self, force: bool = False) -> None:
        """Try again to save what a failing store left waiting (call it every second or so)."""
        current = self.session.recorder if self.session is not None else None
        for recorder in list(self.recorders):
            recorder.flush(force=force)
            if recorder.settled and recorder is not current:
                self.recorders.remove(recorder)

    def resume_offer(self) -> ResumeOffer | None:
        """A session cut short that the user may resume, or None.

        One that cannot be resumed is explained and closed. A kiosk closes every
        interrupted session instead: the next person there is a stranger.
        """
        store = self.store
        if store is None:
            return None
        try:
            if self.kiosk:
                for session in store.running_sessions():
                    store.mark_interrupted(session.id)
                return None
            found = find_resume_offer(store, self.catalog, self.settings.engine.plan)
            if found is None or isinstance(found, ResumeOffer):
                return found
            self.tell(found.reason)
            store.mark_interrupted(found.session.id)
        except StoreError as error:
            self.tell(str(error))
        return None

    def decline(self, offer: ResumeOffer) -> None:
        """The user chose to start afresh: the interrupted session stays as it was."""
        if self.store is None:
            return
        try:
            self.store.mark_interrupted(offer.session.id)
        except StoreError as error:
            self.tell(str(error))

    def start(self, loaded: LoadedRoutine, offer: ResumeOffer | None = None) -> ActiveSession:
        """Start ``loaded`` (or resume ``offer``); the session becomes the one under way."""
        self.abandon()
        store = self.store
        if offer is not None:
            engine = Session(
                offer.plan,
                self.settings.engine,
                start_index=offer.moment_index,
                sounds=self.plan_sounds(offer.plan),
                earlier=self._logged_visits(offer.session.id),
            )
            recorder = (
                SessionRecorder(store, session_id=offer.session.id) if store is not None else None
            )
        else:
            plan = build_plan(loaded, self.settings.engine.plan, self._tighter_sides())
            engine = Session(plan, self.settings.engine, sounds=self.plan_sounds(plan))
            member_id = self.member.id if self.member is not None else None
            recorder = SessionRecorder(store, member_id=member_id) if store is not None else None
        self.retry_history(force=True)  # an earlier session's waiting end goes first
        if recorder is not None:
            recorder.clock = self.clock  # retries follow the app's clock (tests move it)
            self.recorders.append(recorder)
        self.session = ActiveSession(
            engine, sound=self.audio, recorder=recorder, notify=self.tell, clock=self.clock
        )
        return self.session

    def _logged_visits(self, session_id: int) -> list[MomentEntry]:
        """What a resumed session logged before it was cut short (its summary counts them)."""
        if self.store is None:
            return []
        try:
            return [row.entry for row in self.store.moments(session_id)]
        except StoreError as error:
            self.tell(str(error))
            return []

    def plan_sounds(self, plan: Plan) -> SessionSounds:
        """Every sound of ``plan``, laid out with the lengths the player will really play."""
        measure = self.audio.measure if self.audio is not None else None
        rules = self.settings.engine.cues.model_copy(
            update={"speak_how": self.settings.audio.speak_how}
        )
        return plan_sounds(plan, rules, measure)

    def abandon(self) -> None:
        """Quit the session under way, if any (logged as abandoned)."""
        if self.session is not None:
            self.session.abandon()
            self.session = None

    def finish(self, session: ActiveSession) -> SummaryView:
        """``session`` ended: what its summary shows, with earlier checks to compare."""
        summary = session.summary
        if summary is None:
            raise ValueError("finish() is for a session that has ended")
        if self.session is session:
            self.session = None
        session_id = session.session_id
        earlier: tuple[CheckRow, ...] = ()
        if self.store is not None and self.member is not None:  # a guest has no "last time"
            try:
                mine = self.store.checks(who=self.member.id)
                earlier = tuple(c for c in mine if c.session_id != session_id)
            except StoreError:
                earlier = ()
        return SummaryView(
            summary,
            earlier,
            compare=self.member is not None,
            planned_time=session.plan.planned_time,
            check_names=check_names(
                (check.test for check in summary.checks), [session.plan.routine]
            ),
        )

    def history(self) -> HistoryView | None:
        """Recent sessions and every check, or None (and a notice) when there is no log."""
        if self.store is None:
            self.tell("History is off")
            return None
        if self.member is None:
            self.tell("Guests have no history: sign in to keep yours")
            return None
        who = self.member.id
        try:
            checks = tuple(self.store.checks(who=who))
            return HistoryView(
                tuple(self.store.recent_sessions(limit=30, who=who)),
                checks,
                self.check_names(check.test_id for check in checks),
                self._elsewhere_note(self.store, self.member),
            )
        except StoreError as error:
            self.tell(str(error))
            return None

    def follow_member(self, member: Member) -> None:
        """``member`` signed in: with a fleet, their sessions at other kiosks come here
        (the sync pulls them, starting now), so history and "last time" show them."""
        if not self.settings.background or self.store is None or member.is_owner:
            return
        try:
            self.store.follow_member_history(member.uid)
        except StoreError as error:
            log.warning("cannot follow the member's history: %s", error)
            return
        for service in self.settings.background:
            service.nudge()

    def _elsewhere_note(self, store: SessionStore, member: Member) -> str | None:
        """What to say when the member's sessions at other kiosks may be missing."""
        if not self.settings.background or member.is_owner:
            return None  # no fleet, or the box's own owner: everything is here
        pulled = store.history_pulled_at(member.uid)
        if pulled is None:
            return "Offline: sessions at other kiosks are not here yet; showing this kiosk's."
        pulled_at = _instant(pulled)
        if datetime.now(UTC) - pulled_at <= FLEET_HISTORY_FRESH:
            return None
        return (
            f"Offline: sessions at other kiosks as of {pulled_at.astimezone():%Y-%m-%d %H:%M}; "
            "later ones are not here yet."
        )

    def log_error(self, error: BaseException) -> None:
        """Append ``error``'s traceback to the capped error log (a kiosk recovers and goes on).

        The same traceback again within :data:`ERROR_REPEAT_SECONDS` is counted, not
        written: a bug repeating every frame is written once a minute.
        """
        text = "".join(traceback.format_exception(error))
        now = time.monotonic()
        last, last_at, repeats = self._last_error
        if text == last and now - last_at < ERROR_REPEAT_SECONDS:
            self._last_error = (last, last_at, repeats + 1)
            return
        if repeats:
            text = f"(the previous error repeated {repeats} more times)\n{text}"
        self._last_error = (text, now, 0)
        with contextlib.suppress(OSError):
            append_capped(self.settings.error_log, text + "\n", max_bytes=ERROR_LOG_MAX_BYTES)


def choices_of(catalog: Catalog, options: PlanOptions) -> list[RoutineChoice]:
    """The picker's rows of ``catalog`` (with no history), by title."""
    choices = []
    for loaded in sorted(catalog.routines.values(), key=lambda r: r.routine.title):
        plan = build_plan(loaded, options)
        choices.append(
            RoutineChoice(
                id=loaded.id,
                title=loaded.routine.title,
                path=loaded.path,
                focus=tuple(loaded.routine.focus),
                estimated_seconds=plan.total_estimated_seconds,
                approximate=bool(plan.untimed_count),
            )
        )
    return choices


def load_remembered(
    load: Callable[[Sequence[Path], Sequence[Path]], Catalog],
    folders: Sequence[Path],
    files: Sequence[Path],
    cache: RoutineRowCache,
    options: PlanOptions,
) -> tuple[Catalog, list[RoutineChoice] | None]:
    """``load(folders, files)`` and its rows (:func:`choices_of`; None if they could not
    be planned), each file's rows and problems written to ``cache`` (the picker's first
    paint and ``trainer list`` read them)."""
    before = signatures(routine_files(folders, files))
    catalog = load(folders, files)
    try:
        choices = choices_of(catalog, options)
    except Exception:  # a row that cannot be planned: better no cache than no start
        log.exception("routine rows not cached")
        return catalog, None
    issues = {
        path: [str(issue) for issue in found] for path, found in catalog.issues_by_file.items()
    }
    plan = DEFAULT_PLAN if options == PlanOptions() else repr(options)
    cache.write(before, choices, issues, plan)
    return catalog, choices


def _instant(stamp: str) -> datetime:
    """An ISO time as an aware datetime (local when it has no offset; oldest if unreadable)."""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
    return moment if moment.tzinfo else moment.astimezone()
