"""Helpers shared by every test folder: import them as ``from support.clock import FakeClock``.

``tests/`` is on ``sys.path`` because its ``conftest.py`` sits in a folder
without ``__init__.py`` (pytest's default "prepend" import mode), so no test
edits ``sys.path`` itself.

* :mod:`support.clock`: :class:`FakeClock`, the one fake monotonic clock.
* :mod:`support.app`: settings for the real app, ``advance``, ``settle`` and
  :class:`Foot`, which presses the app's real mock-pin pedal.
* :mod:`support.routines`: ``write_routine``.
"""
