"""The session log: an SQLite history of sessions, moments and check results.

* :class:`SessionStore` opens the database (``history.sqlite3`` in the data
  folder) and reads and writes it;
* :class:`SessionRecorder` writes the engine's ``Record*`` effects into it;
* ``store.roster`` (a :class:`Roster`) keeps the members apart: each session
  is one member's, or a guest's;
* :func:`find_resume_offer` finds a session cut short by a crash and says
  whether and where it can be resumed;
* every failure is a :class:`StoreError` with a message for the user.
"""

from typing import TYPE_CHECKING

from trainer.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from trainer.adapters.store.database import (
        EVERYONE,
        CheckRow,
        MomentEntry,
        MomentRow,
        SessionOverview,
        SessionRow,
        SessionStore,
        Who,
        default_database_path,
        wall_clock_now,
    )
    from trainer.adapters.store.errors import StoreError
    from trainer.adapters.store.members import Member, MemberError, Roster
    from trainer.adapters.store.recorder import SessionRecorder
    from trainer.adapters.store.resume import ResumeOffer, ResumeRefusal, find_resume_offer

# Imported when first asked for, so importing one module of this package does
# not import them all (trainer.lazy_exports).
__getattr__ = lazy_exports(
    __name__,
    {
        "EVERYONE": "trainer.adapters.store.database",
        "CheckRow": "trainer.adapters.store.database",
        "MomentEntry": "trainer.adapters.store.database",
        "MomentRow": "trainer.adapters.store.database",
        "SessionOverview": "trainer.adapters.store.database",
        "SessionRow": "trainer.adapters.store.database",
        "SessionStore": "trainer.adapters.store.database",
        "Who": "trainer.adapters.store.database",
        "default_database_path": "trainer.adapters.store.database",
        "wall_clock_now": "trainer.adapters.store.database",
        "StoreError": "trainer.adapters.store.errors",
        "Member": "trainer.adapters.store.members",
        "MemberError": "trainer.adapters.store.members",
        "Roster": "trainer.adapters.store.members",
        "SessionRecorder": "trainer.adapters.store.recorder",
        "ResumeOffer": "trainer.adapters.store.resume",
        "ResumeRefusal": "trainer.adapters.store.resume",
        "find_resume_offer": "trainer.adapters.store.resume",
    },
)

__all__ = [
    "EVERYONE",
    "CheckRow",
    "Member",
    "MemberError",
    "MomentEntry",
    "MomentRow",
    "ResumeOffer",
    "ResumeRefusal",
    "Roster",
    "SessionOverview",
    "SessionRecorder",
    "SessionRow",
    "SessionStore",
    "StoreError",
    "Who",
    "default_database_path",
    "find_resume_offer",
    "wall_clock_now",
]
