"""How history-v1.sqlite3 was made: trainer at main 75c59fa (schema version 1, no members).

Run with that version installed: python make_history_v1.py history-v1.sqlite3
"""

import sqlite3
import sys
from pathlib import Path

from trainer.adapters.store import MomentEntry, SessionStore

out = Path(sys.argv[1])
out.unlink(missing_ok=True)
with SessionStore.open(out) as store:
    assert store.schema_version == 1
    for n in range(5):
        sid = store.start_session(
            routine_id="knee-valgus-reset",
            digest=f"d{n}",
            title="Knee valgus reset",
            plan_size=4,
            started_at=f"2026-11-0{n + 1}T08:00:00+01:00",
        )
        for i in range(3):
            store.record_moment(
                sid,
                MomentEntry(
                    i,
                    f"Step {i}",
                    "hold",
                    "left" if i % 2 else "",
                    1,
                    30.0,
                    31.5,
                    2.0,
                    i == 2,
                    False,
                ),
                finished_at=f"2026-11-0{n + 1}T08:0{i + 1}:00+01:00",
                next_index=i + 1,
            )
        store.record_check(
            sid,
            test_id="aslr",
            result=("left-tighter", "even", "right-tighter")[n % 3],
            rating=n,
            at=f"2026-11-0{n + 1}T08:05:00+01:00",
        )
        if n < 4:
            store.finish_session(
                sid, "finished" if n != 2 else "abandoned", f"2026-11-0{n + 1}T08:10:00+01:00"
            )
    # the last one stays "running", as after a power cut
con = sqlite3.connect(out)
con.execute("PRAGMA journal_mode = DELETE")
con.execute("VACUUM")
con.close()
print(out.stat().st_size)
