"""Picking up a session that a crash or power cut cut short.

A session's row says ``running`` until it finishes or is quit, and its
``current_moment`` moves forward in the same commit as each logged moment. So
after a ``kill -9`` or a pulled plug, the next start finds the row still running
and knows exactly where it was::

    found = find_resume_offer(store, catalog, settings.plan)
    if isinstance(found, ResumeOffer):
        # ask the user: found.describe(); to resume, run found.plan from
        # found.moment_index and keep logging to the row found.session.id
        ...
    elif isinstance(found, ResumeRefusal):
        # tell the user found.reason, then close it:
        store.mark_interrupted(found.session.id)

Both are plain data: building the engine and the recorder for a resumed
session is the application core's job (:meth:`trainer.core.TrainerCore.start`).

Resuming is refused when the routine has changed since the session started
(its digest differs) or is gone, because the moment numbers would no longer
mean the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from trainer.adapters.store.database import SessionRow, SessionStore
from trainer.engine.plan import Plan, PlanOptions, build_plan
from trainer.routine.catalog import Catalog, LoadedRoutine
from trainer.routine.durations import format_when


@dataclass(frozen=True)
class ResumeOffer:
    """An interrupted session that can carry on at ``moment_index``."""

    session: SessionRow
    routine: LoadedRoutine
    plan: Plan
    moment_index: int
    #: Moments already completed (they stay logged; the resumed session skips past them).
    completed: tuple[int, ...]

    def describe(self, now: datetime | None = None) -> str:
        """A question for the user, e.g. "Resume Ankle flow from today at 07:30 at Soleus
        (moment 12 of 40)?"."""
        moment = self.plan[self.moment_index]
        side = f", {moment.side} side" if moment.side else ""
        return (
            f"Resume {self.session.routine_title} from "
            f"{format_when(self.session.started_at, now)} at "
            f"{moment.title}{side} (moment {self.moment_index + 1} of {len(self.plan)})?"
        )


@dataclass(frozen=True)
class ResumeRefusal:
    """An interrupted session that cannot be resumed, and why (a sentence for the user)."""

    session: SessionRow
    reason: str


def find_resume_offer(
    store: SessionStore, catalog: Catalog, options: PlanOptions | None = None
) -> ResumeOffer | ResumeRefusal | None:
    """The latest interrupted session, as an offer or a refusal; None if there is none.

    ``options`` must be the plan options the app runs with (from
    :class:`~trainer.engine.settings.EngineSettings`), since they shape the plan.
    """
    running = store.running_sessions()
    if not running:
        return None
    session = running[0]
    return assess(session, catalog, store.completed_moments(session.id), options)


def assess(
    session: SessionRow,
    catalog: Catalog,
    completed: list[int],
    options: PlanOptions | None = None,
) -> ResumeOffer | ResumeRefusal:
    """Whether ``session`` can be resumed with the routines in ``catalog``."""
    title = session.routine_title
    loaded = catalog.routines.get(session.routine_id)
    if loaded is None:
        return ResumeRefusal(
            session,
            f"The routine '{session.routine_id}' ({title}) is no longer available, "
            "so the interrupted session cannot be resumed.",
        )
    if loaded.digest != session.routine_digest:
        return ResumeRefusal(
            session,
            f"The routine '{session.routine_id}' ({title}) was changed since the "
            f"session started ({loaded.path}), so it cannot be resumed safely; "
            "start it afresh instead.",
        )
    plan = build_plan(loaded, options)
    if len(plan) != session.plan_size:
        return ResumeRefusal(
            session,
            f"The session plan of '{session.routine_id}' now has {len(plan)} moments "
            f"instead of {session.plan_size} (the [engine] settings changed), so it "
            "cannot be resumed safely.",
        )
    if session.current_moment >= len(plan):
        return ResumeRefusal(
            session, f"The interrupted session of {title} had already reached its end."
        )
    return ResumeOffer(session, loaded, plan, session.current_moment, tuple(completed))
