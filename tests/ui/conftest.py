import pytest
from ui_helpers import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
