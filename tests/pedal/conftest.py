"""Every pedal test must leave no pedal thread behind."""

from __future__ import annotations

import threading

import pytest
from pedal_helpers import WAIT


@pytest.fixture(autouse=True)
def no_leaked_pedal_threads():
    yield
    leftover = [t for t in threading.enumerate() if t.name.startswith("trainer-pedal")]
    for thread in leftover:
        thread.join(WAIT)  # a closed pedal's worker may still be returning
    assert [t.name for t in leftover if t.is_alive()] == []
