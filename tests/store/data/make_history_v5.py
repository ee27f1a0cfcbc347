"""How history-v5.sqlite3 was made: trainer at main e7f2ee7 (schema version 5, before
the ``done`` column).

Run with that version installed: python make_history_v5.py history-v5.sqlite3

One session whose visits cover each way a moment ends: done, skipped, left by
going back and then done, skipped and then done after going back, and skipped
for good; a second session by a guest, all done.
"""

import sqlite3
import sys
from pathlib import Path

from trainer.adapters.store import MomentEntry, SessionStore

out = Path(sys.argv[1])
out.unlink(missing_ok=True)
with SessionStore.open(out) as store:
    assert store.schema_version == 5
    owner = store.roster.owner().id
    sid = store.start_session(
        routine_id="knee-valgus-reset",
        digest="d1",
        title="Knee valgus reset",
        plan_size=5,
        started_at="2026-12-01T08:00:00+01:00",
        member_id=owner,
    )
    # (moment_index, skipped, went_back), in the order they happened.
    visits = [
        (0, False, False),  # done
        (1, False, True),  # left by going back...
        (0, False, False),  # ...to 0, done again
        (1, False, False),  # ...then 1 done
        (2, True, False),  # skipped...
        (1, False, True),  # (back from 2's start)
        (2, False, False),  # ...then done after all
        (3, True, False),  # skipped for good
        (4, False, False),  # done
    ]
    for n, (index, skipped, went_back) in enumerate(visits):
        store.record_moment(
            sid,
            MomentEntry(index, f"Step {index}", "hold", "", 1, 30.0, 31.5, 2.0, skipped, went_back),
            finished_at=f"2026-12-01T08:0{n}:00+01:00",
            next_index=index + 1,
        )
    store.finish_session(sid, "finished", "2026-12-01T08:10:00+01:00")
    guest = store.start_session(
        routine_id="quick-demo",
        digest="d2",
        title="Quick demo",
        plan_size=2,
        started_at="2026-12-02T08:00:00+01:00",
        member_id=None,
    )
    for index in range(2):
        store.record_moment(
            guest,
            MomentEntry(index, f"Step {index}", "reps", "left", 1, None, 12.0, 0.0, False, False),
            finished_at=f"2026-12-02T08:0{index}:00+01:00",
            next_index=index + 1,
        )
    store.finish_session(guest, "finished", "2026-12-02T08:05:00+01:00")
con = sqlite3.connect(out)
con.execute("PRAGMA journal_mode = DELETE")
con.execute("VACUUM")
con.close()
print(out.stat().st_size)
