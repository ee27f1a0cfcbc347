"""The ``trainer`` command line.

Each subcommand lives in :mod:`trainer.commands` as a module with a
``run(args) -> int`` function; this module only declares the arguments and
dispatches, importing the chosen command lazily so that ``trainer validate``
never pays for starting Textual or probing GPIO.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from trainer import __version__, paths
from trainer.untrusted_text import CleaningStream


def _add_path(parser: argparse.ArgumentParser, flag: str, metavar: str, help_text: str) -> None:
    # main() hands each of these on to the command through its environment variable.
    parser.add_argument(flag, metavar=metavar, type=Path, help=help_text)


def _add_routine_dirs(parser: argparse.ArgumentParser) -> None:
    default = f"${paths.ROUTINES_DIR_ENV} or $XDG_DATA_HOME/trainer/routines"
    help_text = f"user routines folder (default: {default}); bundled routines are always included"
    _add_path(parser, "--routines", "DIR", help_text)


def _add_data_dir(parser: argparse.ArgumentParser) -> None:
    default = f"${paths.DATA_DIR_ENV} or $XDG_DATA_HOME/trainer"
    _add_path(parser, "--data-dir", "DIR", f"where the session history lives (default: {default})")


def _add_config(parser: argparse.ArgumentParser) -> None:
    _add_path(parser, "--config", "FILE", "config file (TOML)")


def _add_app_options(parser: argparse.ArgumentParser) -> None:
    _add_routine_dirs(parser)
    _add_data_dir(parser)
    parser.add_argument(
        "--pedal",
        choices=["auto", "gpio", "mock", "none"],
        default=None,
        help="foot switch: auto (GPIO if present, else keyboard only), gpio, "
        "mock (simulated pin, press it with the 'p' key), none",
    )
    parser.add_argument("--pin", type=int, default=None, help="BCM pin of the foot switch (17)")
    parser.add_argument("--mute", action="store_true", help="start with sound off")
    _add_config(parser)


def _add_members(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``trainer members ACTION``: see :mod:`trainer.commands.members`."""
    members = sub.add_parser("members", help="add, list, rename and remove members")
    actions = members.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("list", help="list the members")
    add = actions.add_parser("add", help="add a member")
    add.add_argument("name")
    add.add_argument("--code", metavar="DIGITS", help="sign-in code for the kiosk (4-12 digits)")
    add.add_argument("--badge", metavar="NUMBER", help="badge number the card reader types")
    rename = actions.add_parser("rename", help="rename a member")
    rename.add_argument("name")
    rename.add_argument("new_name")
    for what, meaning in (("code", "sign-in code"), ("badge", "badge number")):
        action = actions.add_parser(what, help=f"set or clear a member's {meaning}")
        action.add_argument("name")
        value = action.add_mutually_exclusive_group(required=True)
        value.add_argument("value", nargs="?", metavar=what.upper())
        value.add_argument("--clear", action="store_true", help=f"take the {meaning} away")
    remove = actions.add_parser("remove", help="remove a member")
    remove.add_argument("name")
    remove.add_argument(
        "--delete-history",
        action="store_true",
        help="delete their sessions too (otherwise they stay, belonging to nobody)",
    )
    for action_parser in actions.choices.values():
        _add_data_dir(action_parser)


def _at_least_one(text: str) -> int:
    """A count the user typed: a whole number of 1 or more (``--limit 0`` is refused,
    not quietly read as 1)."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {number}")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trainer",
        description="Hands-free guided mobility sessions, driven by a foot switch.",
    )
    parser.add_argument("--version", action="version", version=f"trainer {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", help="start the trainer (the default command)")
    run.add_argument("routine", nargs="?", help="start this routine straight away")
    run.add_argument(
        "--member", metavar="NAME", help="train as this member (default: the owner member)"
    )
    _add_app_options(run)

    kiosk = sub.add_parser("kiosk", help="run unattended on a gym floor (no exit keys)")
    _add_app_options(kiosk)

    validate = sub.add_parser("validate", help="check routine files and folders")
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    validate.add_argument(
        "--watch", action="store_true", help="check again whenever a file changes (Ctrl-C stops)"
    )
    _add_routine_dirs(validate)

    list_ = sub.add_parser("list", help="list the routines found")
    _add_routine_dirs(list_)

    show = sub.add_parser("show", help="print a routine's expanded timeline, or an exercise")
    show.add_argument(
        "routine", help="routine id, path to a routine file, or a library exercise id"
    )
    show.add_argument(
        "--picture",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="draw each exercise's figure (the default; --no-picture leaves it out)",
    )
    show.add_argument(
        "--sound",
        action="store_true",
        help="print the planned sound of every moment, and every cue moved, shortened or left out",
    )
    _add_routine_dirs(show)

    schema = sub.add_parser("schema", help="print the JSON Schema of the routine format")
    _add_routine_dirs(schema)

    history = sub.add_parser("history", help="recent sessions and left/right trends")
    fmt = history.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="export as JSON")
    fmt.add_argument("--csv", action="store_true", help="export as CSV")
    history.add_argument(
        "--limit", type=_at_least_one, default=20, help="how many sessions (20; 1 or more)"
    )
    history.add_argument("--trends", action="store_true", help="left/right check trends")
    history.add_argument(
        "--member", metavar="NAME", help="only this member's sessions (see trainer members)"
    )
    _add_data_dir(history)

    _add_members(sub)

    pedal_test = sub.add_parser("pedal-test", help="live wiring check for the foot switch")
    _add_app_options(pedal_test)

    _add_fleet_commands(sub)

    audio_test = sub.add_parser("audio-test", help="play every tone and a spoken cue")
    _add_config(audio_test)
    return parser


def _add_dsn(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--dsn",
        metavar="DSN",
        help=f"{what} (default: $TRAINER_FLEET_DSN, else the fleet.dsn file beside the config)",
    )


def _add_fleet_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The optional fleet: a PostgreSQL server of record, sync, packs, the coach."""
    server = sub.add_parser("server", help="set up the fleet's PostgreSQL server")
    server_sub = server.add_subparsers(dest="server_command", metavar="ACTION", required=True)
    init = server_sub.add_parser("init", help="create or migrate the server schema")
    _add_dsn(init, "the database owner's connection string")
    for action, what in (("add-kiosk", "kiosk"), ("add-coach", "coach")):
        add = server_sub.add_parser(action, help=f"create a {what}'s role and print its DSN")
        add.add_argument("name", help=f"the {what}'s name, e.g. front-desk")
        _add_dsn(add, "the database owner's connection string")
        add.add_argument("--host", help=f"server address the {what} connects to")
        add.add_argument("--port", help="server port in the printed DSN")
        add.add_argument("--new-password", action="store_true", help="re-key an existing role")

    sync = sub.add_parser("sync", help="push this box's sessions to the fleet server")
    _add_dsn(sync, "this kiosk's connection string")
    _add_data_dir(sync)
    sync.add_argument("--watch", action="store_true", help="keep syncing until interrupted")
    sync.add_argument(
        "--interval", type=float, default=30.0, help="seconds between passes with --watch (30)"
    )
    sync.add_argument("--batch", type=int, default=500, help="rows per pushed batch (500)")

    publish = sub.add_parser("publish", help="check a routine folder and publish it as a pack")
    publish.add_argument("folder", type=Path, metavar="DIR")
    _add_dsn(publish, "a coach's connection string")

    coach = sub.add_parser("coach", help="the coach dashboard (terminal, or browser with --serve)")
    _add_dsn(coach, "a coach's connection string")
    coach.add_argument("--serve", action="store_true", help="serve the dashboard to a browser")
    coach.add_argument(
        "--bind",
        default="127.0.0.1:8765",
        metavar="ADDR:PORT",
        help="where --serve listens (127.0.0.1:8765: this machine only)",
    )
    coach.add_argument(
        "--password-file",
        type=Path,
        metavar="FILE",
        help="file holding the browser login password (default: $TRAINER_COACH_PASSWORD)",
    )


def _subcommands(parser: argparse.ArgumentParser) -> set[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return set()


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    words = list(sys.argv[1:] if argv is None else argv)
    commands = _subcommands(parser)
    # `trainer`, `trainer --pedal mock` and `trainer quick-demo` all mean `trainer run ...`.
    if not any(word in commands or word in ("-h", "--help", "--version") for word in words[:1]):
        words.insert(0, "run")
    args = parser.parse_args(words)
    command = args.command
    if getattr(args, "routines", None):
        os.environ[paths.ROUTINES_DIR_ENV] = str(args.routines)
    if getattr(args, "data_dir", None):
        os.environ[paths.DATA_DIR_ENV] = str(args.data_dir)
    if getattr(args, "config", None):
        os.environ[paths.CONFIG_FILE_ENV] = str(args.config)
    # Every command prints through the one output filter: file names, stored titles
    # and messages may hold terminal escapes nobody checked (Textual draws through
    # sys.__stdout__/__stderr__, which stay as they are).
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout = CleaningStream(stdout)
    sys.stderr = CleaningStream(stderr)
    try:
        module = importlib.import_module(f"trainer.commands.{command.replace('-', '_')}")
        return int(module.run(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `trainer list | head` closed the pipe: not an error worth a traceback.
        stderr.close()
        return 0
    finally:
        sys.stdout, sys.stderr = stdout, stderr


if __name__ == "__main__":
    sys.exit(main())
