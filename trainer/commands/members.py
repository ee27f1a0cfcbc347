"""``trainer members``: the people whose sessions the history keeps apart.

::

    trainer members list
    trainer members add NAME [--code DIGITS] [--badge NUMBER]
    trainer members rename NAME NEW_NAME
    trainer members code NAME DIGITS|--clear
    trainer members badge NAME NUMBER|--clear
    trainer members remove NAME [--delete-history]

Members live in the same SQLite history as the sessions (``--data-dir``). A
code is what a member types to sign in at the kiosk; a badge is the number an
RFID/NFC reader types when the member's card is held to it. Codes are listed
as "set", never printed back.

Exit status: 0 done, 1 for a database problem, 2 for a request that cannot be
done (unknown member, a code already taken, ...); nothing is changed then.
"""

from __future__ import annotations

import argparse

from trainer.adapters.store import MemberError, SessionStore, StoreError, default_database_path
from trainer.adapters.store.database import wall_clock_now
from trainer.commands._problems import history_problem
from trainer.commands._table import format_table


def run(args: argparse.Namespace) -> int:
    path = default_database_path(getattr(args, "data_dir", None))
    try:
        with SessionStore.open(path, check_writable=args.action != "list") as store:
            return _ACTIONS[args.action](store, args)
    except (MemberError, StoreError) as error:
        return history_problem("members", error)


def _list(store: SessionStore, args: argparse.Namespace) -> int:
    counts = store.roster.session_counts()
    rows = [
        (
            member.name + (" (owner)" if member.is_owner else ""),
            "set" if member.code else "-",
            member.badge or "-",
            str(counts.get(member.id, 0)),
            member.uid,
        )
        for member in store.roster.all()
    ]
    print(format_table(["NAME", "CODE", "BADGE", "SESSIONS", "ID"], rows, right={3}))
    guests = counts.get(None, 0)
    if guests:
        print(f"\n{guests} session{'s' if guests != 1 else ''} by guests (no member)")
    return 0


def _add(store: SessionStore, args: argparse.Namespace) -> int:
    member = store.roster.add(
        args.name, code=args.code, badge=args.badge, created_at=wall_clock_now()
    )
    print(f"Added {member.name}" + _sign_in_ways(member.code, member.badge))
    return 0


def _rename(store: SessionStore, args: argparse.Namespace) -> int:
    old = store.roster.get(args.name)
    new = store.roster.rename(old, args.new_name)
    print(f"Renamed {old.name} to {new.name}")
    return 0


def _code(store: SessionStore, args: argparse.Namespace) -> int:
    member = store.roster.set_code(store.roster.get(args.name), None if args.clear else args.value)
    print(f"{member.name}: " + ("code set" if member.code else "no code"))
    return 0


def _badge(store: SessionStore, args: argparse.Namespace) -> int:
    member = store.roster.get(args.name)
    member = store.roster.set_badge(member, None if args.clear else args.value)
    print(f"{member.name}: " + (f"badge {member.badge}" if member.badge else "no badge"))
    return 0


def _remove(store: SessionStore, args: argparse.Namespace) -> int:
    member = store.roster.get(args.name)
    deleted = store.roster.remove(member, delete_history=args.delete_history)
    if args.delete_history:
        print(f"Removed {member.name} and deleted {deleted} session(s)")
    else:
        print(f"Removed {member.name}; their sessions stay, belonging to nobody")
    return 0


def _sign_in_ways(code: str | None, badge: str | None) -> str:
    ways = [way for way, present in (("a code", code), (f"badge {badge}", badge)) if present]
    return f" (signs in with {' and '.join(ways)})" if ways else ""


_ACTIONS = {
    "list": _list,
    "add": _add,
    "rename": _rename,
    "code": _code,
    "badge": _badge,
    "remove": _remove,
}
