"""The optional config file (TOML), read once at start, and the one error it raises.

The file is split into sections, one per part of the trainer (``[pedal]``,
``[audio]``, ``[keys]``, ``[kiosk]``, ``[engine]``). Each part owns the meaning of
its section as a pydantic model (``extra="forbid"``, strict, frozen) and reads
it with :func:`read_section`; this module knows none of them. Every mistake
becomes a :class:`ConfigProblem` naming the section and the key (with a
did-you-mean for a misspelt key or section), and all the problems of one file
are raised together as one :class:`ConfigError` (see
:meth:`trainer.core.AppSettings.from_args`).

A number must be finite and in a sane range: ``nan``, ``inf`` and ``1e12``
pass TOML but would freeze or blank the kiosk.

Example ``~/.config/trainer/config.toml``::

    [pedal]
    pin = 17
    long_press = 0.8

    [audio]
    volume = 0.6
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from pydantic import BaseModel, ValidationError

from trainer import paths
from trainer.routine.errors import did_you_mean

_Model = TypeVar("_Model", bound=BaseModel)


class ConfigProblem(NamedTuple):
    """One mistake: the section (``engine.cues``), the key (may be empty) and what is wrong."""

    section: str
    key: str
    message: str

    def __str__(self) -> str:
        where = f"[{self.section}] {self.key}" if self.key else f"[{self.section}]"
        return f"{where}: {self.message}"


class ConfigError(ValueError):
    """The config cannot be used. ``problems`` lists every mistake found in it, and the
    message names the file, then each problem's section and key on a line of its own."""

    def __init__(self, problems: str | Iterable[ConfigProblem], path: Path | None = None) -> None:
        self.problems: tuple[ConfigProblem, ...] = (
            (ConfigProblem("", "", problems),) if isinstance(problems, str) else tuple(problems)
        )
        self.path = path
        super().__init__(str(self))

    def at(self, path: Path | None) -> ConfigError:
        """The same problems, said to be in the file at ``path``."""
        return type(self)(self.problems, path)

    def __str__(self) -> str:
        lines = [
            problem.message if not problem.section else str(problem) for problem in self.problems
        ]
        prefix = f"{self.path}: " if self.path is not None else ""
        if len(lines) == 1:
            return prefix + lines[0]
        return f"{prefix}{len(lines)} problems\n" + "\n".join(f"  {line}" for line in lines)


def read_section(
    model: type[_Model], section: str, values: Mapping[str, Any], error: type[ConfigError]
) -> _Model:
    """``values`` (one TOML table) checked and read as ``model``.

    :raises ConfigError: (as ``error``, a subclass) with one problem per mistake.
    """
    if not isinstance(values, Mapping):
        raise error([ConfigProblem(section, "", "must be a table of settings")])
    try:
        return model.model_validate(dict(values))
    except ValidationError as invalid:
        raise error(problems_of(invalid, section, model)) from None


def problems_of(
    invalid: ValidationError, section: str, model: type[BaseModel]
) -> list[ConfigProblem]:
    """Each pydantic error as a :class:`ConfigProblem` a person can act on."""
    problems = []
    for detail in invalid.errors(include_url=False):
        loc = [str(part) for part in detail["loc"]]
        owner, key = _owner_of(model, loc)
        table = ".".join([section, *loc[:-1]]) if len(loc) > 1 else section
        given = detail.get("input")
        kind = detail["type"]
        if kind == "extra_forbidden":
            known = sorted(owner.model_fields) if owner is not None else []
            message = f"unknown setting '{key}'{did_you_mean(key, known)}"
            if known:
                message += f" (settings: {', '.join(known)})"
        elif kind in ("model_type", "dict_type"):
            message = f"must be a table, written [{table}.{key}], got {given!r}"
        elif not loc:  # a rule across settings (a model validator): the input is the table
            message = str(detail["msg"]).removeprefix("Value error, ")
        else:
            message = _value_message(owner, key, str(detail["msg"]), given)
        problems.append(ConfigProblem(table, key, message))
    return problems


def _owner_of(model: type[BaseModel], loc: Sequence[str]) -> tuple[type[BaseModel] | None, str]:
    owner: type[BaseModel] | None = model
    for part in loc[:-1]:
        info = owner.model_fields.get(part) if owner is not None else None
        annotation = info.annotation if info is not None else None
        owner = (
            annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel)
            else None
        )
    return owner, loc[-1] if loc else ""


def _value_message(
    owner: type[BaseModel] | None, key: str, pydantic_message: str, given: Any
) -> str:
    info = owner.model_fields.get(key) if owner is not None else None
    expected = info.description if info is not None and info.description else None
    if info is not None and info.annotation is bool:
        expected = "true or false"
    if expected is None:
        text = pydantic_message.removeprefix("Value error, ")
        return f"{text[:1].lower()}{text[1:]}, got {given!r}"
    return f"must be {expected}, got {given!r}"


def check_sections(config: Config, known: Collection[str]) -> list[ConfigProblem]:
    """A problem for each section of ``config`` that is not one of ``known``."""
    return [
        ConfigProblem(
            name,
            "",
            f"unknown section{did_you_mean(name, known)} (sections: {', '.join(sorted(known))})",
        )
        for name in config.sections
        if name not in known
    ]


@dataclass(frozen=True)
class Config:
    """The parsed config file: a mapping of section name to that section's settings."""

    sections: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    path: Path | None = None

    def section(self, name: str) -> Mapping[str, Any]:
        """The settings of one section, empty when the file does not have it."""
        return self.sections.get(name, {})


def load_config(path: Path | None = None) -> Config:
    """Read the config file at ``path`` (default: :func:`trainer.paths.config_file`).

    A missing file is not an error: every setting has a default.
    """
    path = path or paths.config_file()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config(path=None)
    except OSError as exc:
        raise ConfigError(f"cannot read the config file: {exc.strerror}", path) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError("the config file is not UTF-8 text", path) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(exc), path) from None
    not_tables = [
        ConfigProblem(name, "", "must be a [section] table, like [pedal] or [audio]")
        for name, value in data.items()
        if not isinstance(value, dict)
    ]
    if not_tables:
        raise ConfigError(not_tables, path)
    return Config(sections=data, path=path)
