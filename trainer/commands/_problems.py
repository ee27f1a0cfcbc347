"""How the history commands say that the history could not be used."""

from __future__ import annotations

import sys

from trainer.adapters.store import MemberError, StoreError


def history_problem(command: str, error: MemberError | StoreError) -> int:
    """Say ``error`` as ``trainer COMMAND: ...`` on stderr; the exit code: 2 for a
    member named wrongly (the user's to fix), 1 for the history file itself."""
    print(f"trainer {command}: {error}", file=sys.stderr)
    return 2 if isinstance(error, MemberError) else 1
