"""Shared setup for the reliability suite.

The app helpers live in ``tests/ui/ui_helpers.py`` and the hostile-input cases
in ``tests/routine/test_hostile_input.py``. Those folders have no
``__init__.py``, so pytest puts each on ``sys.path`` only when it collects a
test from it; a run of this folder alone would not find them. Both folders are
therefore added here, once, so ``from ui_helpers import ...`` works as it does
in ``tests/ui``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent.parent
for folder in (TESTS / "ui", TESTS / "routine"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from ui_helpers import FakeClock  # noqa: E402


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
