"""Keep a long-running app's heap small, so full garbage collections stay short.

Textual 8 caches ``StylesCache.get_inner_outer`` with ``lru_cache(1024)`` on a
method, so its keys keep the render caches of the last 1024 widgets alive: over
a kiosk day that is ~135k objects and ~25 MB, and every full collection walks
them (150 ms on a 2-core VM after a day; seconds on a Pi Zero 2 W).

:func:`settle` runs whenever the picker shows again (a session or summary has
just closed, or the kiosk reset), once the picker is drawn: it drops that cache
(Textual refills it as it draws) and collects what is not frozen. It freezes
nothing: a screen just closed may still be referenced while Textual finishes
removing it, and a frozen object that dies is never collected.

The app freezes its start-up heap once (``gc.freeze``) and the kiosk's idle
reset, when nobody is there, calls :func:`thaw`: one collection of the whole
heap, then a freeze of what survives. Full collections while someone trains
then walk only what was made since.
"""

from __future__ import annotations

import gc

from textual._styles_cache import StylesCache


def settle() -> None:
    """Drop Textual's style cache and collect what is not frozen."""
    StylesCache.get_inner_outer.cache_clear()
    gc.collect()  # skips frozen objects: this walks only what was made since


def thaw() -> None:
    """Collect the whole heap, frozen objects too, and freeze what survives."""
    StylesCache.get_inner_outer.cache_clear()
    gc.unfreeze()
    gc.collect()
    gc.freeze()
