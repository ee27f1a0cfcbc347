"""Package ``__init__`` files that name their public API without importing it.

A package's ``__init__`` runs whenever any of its modules is imported, so one
that imports everything makes ``import trainer.adapters.store.database`` pay for
the recorder, resume, engine and routine models too (250 ms at start-up before
this). :func:`lazy_exports` gives the package a module ``__getattr__`` (PEP 562)
that imports a name's module the first time the name is asked for; the package
keeps the real imports under ``TYPE_CHECKING`` for type checkers and readers.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping


def lazy_exports(package: str, where: Mapping[str, str]) -> Callable[[str], object]:
    """A module ``__getattr__`` for ``package``: ``where`` maps each name to its module."""

    def __getattr__(name: str) -> object:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(module), name)

    return __getattr__
