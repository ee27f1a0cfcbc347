"""The server's schema, its migrations, and who may do what (row-level security).

Everything lives in the ``fleet`` schema of one database. Two group roles hold
the privileges; every login role is a member of one of them:

* ``trainer_kiosk``: inserts (and updates the status of) **its own** sessions,
  moments and checks, and reads nothing else of them; reads the member roster,
  assignments and routine packs; adds, changes and removes members only through
  ``fleet.change_member`` (its conflict rule), and reads a signed-in member's
  sessions at other kiosks only through ``fleet.member_history`` (version 6).
  Row-level security keys every row to the kiosk role that sent it (``kiosk =
  current_user``), so a kiosk cannot read, overwrite or forge another kiosk's rows.
* ``trainer_coach``: reads everything; manages members and assignments;
  publishes routine packs.

The table owner (whoever ran ``trainer server init``) bypasses row-level
security as owners do; use it for administration and ``pg_dump`` only.

Migrations are numbered; ``fleet.migrations`` records those applied. :func:`init`
applies the missing ones, each in its own transaction under an advisory lock,
so running it again, or twice at once, is safe. To change the schema, append a
migration; never edit one that has shipped.
"""

from __future__ import annotations

from collections.abc import Sequence

from psycopg import sql

from trainer.fleet.connection import Connection

KIOSK_GROUP = "trainer_kiosk"
COACH_GROUP = "trainer_coach"
#: Any fixed number: serialises concurrent ``trainer server init`` runs.
_ADVISORY_LOCK = 0x54524E52

_V1: Sequence[str] = (
    "CREATE SCHEMA IF NOT EXISTS fleet",
    """
    CREATE TABLE fleet.kiosks (
        name        text PRIMARY KEY,
        created_at  timestamptz NOT NULL DEFAULT now()
    )
    """,
    """
    CREATE TABLE fleet.members (
        id          text PRIMARY KEY,           -- a ULID
        name        text NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
    )
    """,
    """
    CREATE TABLE fleet.sessions (
        id              text PRIMARY KEY,       -- the ULID the kiosk gave it
        kiosk           text NOT NULL DEFAULT current_user,
        member_id       text,
        routine_id      text NOT NULL,
        routine_digest  text NOT NULL,
        routine_title   text NOT NULL,
        started_at      timestamptz NOT NULL,   -- the kiosk's clock
        ended_at        timestamptz,
        status          text NOT NULL
                        CHECK (status IN ('running', 'finished', 'abandoned', 'interrupted')),
        current_moment  integer NOT NULL,
        plan_size       integer NOT NULL,
        received_at     timestamptz NOT NULL DEFAULT now(),   -- the server's clock
        updated_at      timestamptz NOT NULL DEFAULT now()
    )
    """,
    "CREATE INDEX sessions_by_member ON fleet.sessions (member_id, started_at)",
    "CREATE INDEX sessions_by_kiosk ON fleet.sessions (kiosk)",
    """
    CREATE TABLE fleet.moments (
        id               text PRIMARY KEY,
        session_id       text NOT NULL REFERENCES fleet.sessions (id) ON DELETE CASCADE,
        kiosk            text NOT NULL DEFAULT current_user,
        moment_index     integer NOT NULL,
        step_name        text NOT NULL,
        kind             text NOT NULL,
        side             text NOT NULL,
        set_number       integer NOT NULL,
        planned_seconds  double precision,
        actual_seconds   double precision NOT NULL,
        paused_seconds   double precision NOT NULL,
        skipped          boolean NOT NULL,
        went_back        boolean NOT NULL,
        finished_at      timestamptz NOT NULL
    )
    """,
    "CREATE INDEX moments_by_session ON fleet.moments (session_id)",
    """
    CREATE TABLE fleet.checks (
        id          text PRIMARY KEY,
        session_id  text NOT NULL REFERENCES fleet.sessions (id) ON DELETE CASCADE,
        kiosk       text NOT NULL DEFAULT current_user,
        test_id     text NOT NULL,
        result      text NOT NULL CHECK (result IN ('left-tighter', 'even', 'right-tighter')),
        rating      integer CHECK (rating BETWEEN 0 AND 10),
        at          timestamptz NOT NULL
    )
    """,
    "CREATE INDEX checks_by_session ON fleet.checks (session_id)",
    """
    CREATE TABLE fleet.assignments (
        member_id    text NOT NULL REFERENCES fleet.members (id) ON DELETE CASCADE,
        routine_id   text NOT NULL,
        position     integer NOT NULL,
        assigned_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (member_id, routine_id)
    )
    """,
    """
    CREATE TABLE fleet.packs (
        version       integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        published_at  timestamptz NOT NULL DEFAULT now(),
        published_by  text NOT NULL DEFAULT current_user,
        digest        text NOT NULL,
        files         jsonb NOT NULL     -- {"relative/path.yaml": "file text", ...}
    )
    """,
    # -- who may do what -----------------------------------------------------
    "REVOKE ALL ON ALL TABLES IN SCHEMA fleet FROM PUBLIC",
    f"GRANT USAGE ON SCHEMA fleet TO {KIOSK_GROUP}, {COACH_GROUP}",
    f"GRANT SELECT ON ALL TABLES IN SCHEMA fleet TO {COACH_GROUP}",
    f"GRANT INSERT, UPDATE, DELETE ON fleet.members, fleet.assignments TO {COACH_GROUP}",
    f"GRANT INSERT ON fleet.packs TO {COACH_GROUP}",
    f"GRANT SELECT ON fleet.members, fleet.assignments, fleet.packs TO {KIOSK_GROUP}",
    # Kiosks write their own rows; SELECT (own rows only, by policy) is what
    # INSERT ... ON CONFLICT needs to find a row sent before.
    f"GRANT SELECT, INSERT ON fleet.sessions, fleet.moments, fleet.checks TO {KIOSK_GROUP}",
    f"GRANT UPDATE (status, ended_at, current_moment, member_id, updated_at)"
    f" ON fleet.sessions TO {KIOSK_GROUP}",
    *(
        statement
        for table in ("sessions", "moments", "checks")
        for statement in (
            f"ALTER TABLE fleet.{table} ENABLE ROW LEVEL SECURITY",
            f"CREATE POLICY kiosk_own_rows ON fleet.{table} TO {KIOSK_GROUP}"
            " USING (kiosk = current_user) WITH CHECK (kiosk = current_user)",
            f"CREATE POLICY coach_reads_all ON fleet.{table} FOR SELECT TO {COACH_GROUP}"
            " USING (true)",
        )
    ),
)

#: Version 2: members enrolled at a kiosk reach the server (and so every other
#: kiosk) with their sign-in code and badge. A kiosk may add members; only a
#: coach may change or remove them.
_V2_ROSTER: Sequence[str] = (
    "ALTER TABLE fleet.members ADD COLUMN code text UNIQUE, ADD COLUMN badge text UNIQUE,"
    " ADD COLUMN added_by text NOT NULL DEFAULT current_user",
    "ALTER TABLE fleet.members ENABLE ROW LEVEL SECURITY",
    "CREATE POLICY everyone_reads ON fleet.members FOR SELECT USING (true)",
    f"CREATE POLICY kiosk_adds ON fleet.members FOR INSERT TO {KIOSK_GROUP}"
    " WITH CHECK (added_by = current_user)",
    f"CREATE POLICY coach_manages ON fleet.members TO {COACH_GROUP} USING (true) WITH CHECK (true)",
    f"GRANT INSERT ON fleet.members TO {KIOSK_GROUP}",
)

#: Version 3: checks keep the numbers they record (as the kiosk's history does
#: since its version 4): per side or one value, the unit, the answer as said.
_V3_CHECK_VALUES: Sequence[str] = (
    "ALTER TABLE fleet.checks ADD COLUMN left_value double precision,"
    " ADD COLUMN right_value double precision, ADD COLUMN value double precision,"
    " ADD COLUMN unit text, ADD COLUMN answer text",
)

#: Version 4: a member's check results follow them to every kiosk (for the
#: tighter-side extra set), without any kiosk reading another's sessions: a
#: function owned by the schema owner hands out member, test, result and time of
#: checks that arrived since a moment the kiosk remembers, and nothing else.
_V4_CHECKS_FOLLOW_MEMBERS: Sequence[str] = (
    "ALTER TABLE fleet.checks ADD COLUMN received_at timestamptz NOT NULL DEFAULT now()",
    "CREATE INDEX checks_by_arrival ON fleet.checks (received_at)",
    """
    CREATE FUNCTION fleet.member_checks_since(since timestamptz)
    RETURNS TABLE (member_id text, test_id text, result text, at timestamptz,
                   received_at timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
        SELECT s.member_id, c.test_id, c.result, c.at, c.received_at
        FROM fleet.checks c JOIN fleet.sessions s ON s.id = c.session_id
        WHERE c.received_at > since AND s.member_id IS NOT NULL
        ORDER BY c.received_at
    $$
    """,
    "REVOKE ALL ON FUNCTION fleet.member_checks_since(timestamptz) FROM PUBLIC",
    f"GRANT EXECUTE ON FUNCTION fleet.member_checks_since(timestamptz) TO {KIOSK_GROUP}",
)

#: Version 5: only the newest result per member and test among those that arrived:
#: a kiosk joining a fleet with a year of history pulls thousands of rows, not
#: every check ever made.
_V5_NEWEST_CHECKS_ONLY: Sequence[str] = (
    """
    CREATE OR REPLACE FUNCTION fleet.member_checks_since(since timestamptz)
    RETURNS TABLE (member_id text, test_id text, result text, at timestamptz,
                   received_at timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
        -- received_at: the newest arrival of all (the caller's next watermark)
        SELECT DISTINCT ON (s.member_id, c.test_id)
               s.member_id, c.test_id, c.result, c.at, max(c.received_at) OVER ()
        FROM fleet.checks c JOIN fleet.sessions s ON s.id = c.session_id
        WHERE c.received_at > since AND s.member_id IS NOT NULL
        ORDER BY s.member_id, c.test_id, c.at DESC
    $$
    """,
)

#: Version 6: members changed at a kiosk, and a member's whole history, travel.
#:
#: * A kiosk renames, re-codes or removes a member through ``fleet.change_member``,
#:   which keeps the conflict rule in one place: **the latest change wins** (by
#:   ``changed_at``, the clock of the kiosk where it was made; a kiosk whose clock
#:   is off wins or loses by that much), and **a removal wins** over every change,
#:   earlier or later. A code or badge another member holds is not taken (the
#:   member keeps their own). A removed member keeps a row (``removed_at``, code
#:   and badge freed) so that a change from a kiosk still offline cannot bring
#:   them back. ``changed`` NULL is a plain enrolment: added if new, else nothing.
#: * ``fleet.member_history`` hands a kiosk one member's ended sessions made at
#:   *other* kiosks, each with its moments and checks, changed since a point the
#:   kiosk remembers (``updated_at``, ``id``), a page at a time; never another
#:   member's rows, and nothing of the sessions table the kiosk could query itself.
_V6_MEMBERS_TRAVEL: Sequence[str] = (
    "ALTER TABLE fleet.members ADD COLUMN changed_at timestamptz,"
    " ADD COLUMN removed_at timestamptz",
    """
    CREATE FUNCTION fleet.change_member(member text, new_name text, new_code text,
                                        new_badge text, changed timestamptz, removed boolean)
    RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
    DECLARE
        code_free boolean := new_code IS NULL OR NOT EXISTS (
            SELECT 1 FROM fleet.members o WHERE o.code = new_code AND o.id <> member);
        badge_free boolean := new_badge IS NULL OR NOT EXISTS (
            SELECT 1 FROM fleet.members o WHERE o.badge = new_badge AND o.id <> member);
    BEGIN
        IF removed THEN
            INSERT INTO fleet.members AS m (id, name, added_by, changed_at, removed_at)
            VALUES (member, coalesce(new_name, 'removed member'), session_user, changed,
                    coalesce(changed, now()))
            ON CONFLICT (id) DO UPDATE SET code = NULL, badge = NULL,
                removed_at = coalesce(m.removed_at, excluded.removed_at);
            RETURN;
        END IF;
        INSERT INTO fleet.members AS m (id, name, code, badge, added_by, changed_at)
        VALUES (member, new_name, CASE WHEN code_free THEN new_code END,
                CASE WHEN badge_free THEN new_badge END, session_user, changed)
        ON CONFLICT (id) DO UPDATE SET
            name = excluded.name,
            code = CASE WHEN code_free THEN new_code ELSE m.code END,
            badge = CASE WHEN badge_free THEN new_badge ELSE m.badge END,
            changed_at = excluded.changed_at
        WHERE m.removed_at IS NULL AND excluded.changed_at IS NOT NULL
          AND (m.changed_at IS NULL OR m.changed_at < excluded.changed_at);
    END
    $$
    """,
    """
    CREATE FUNCTION fleet.member_history(member text, since timestamptz, after_id text,
                                         most integer)
    RETURNS TABLE (id text, kiosk text, routine_id text, routine_digest text,
                   routine_title text, started_at timestamptz, ended_at timestamptz,
                   status text, current_moment integer, plan_size integer,
                   updated_at timestamptz, moments jsonb, checks jsonb)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
        SELECT s.id, s.kiosk, s.routine_id, s.routine_digest, s.routine_title, s.started_at,
               s.ended_at, s.status, s.current_moment, s.plan_size, s.updated_at,
               coalesce((SELECT jsonb_agg(to_jsonb(m) ORDER BY m.id)
                         FROM fleet.moments m WHERE m.session_id = s.id), '[]'),
               coalesce((SELECT jsonb_agg(to_jsonb(c) ORDER BY c.id)
                         FROM fleet.checks c WHERE c.session_id = s.id), '[]')
        FROM fleet.sessions s
        WHERE s.member_id = member AND s.kiosk <> session_user AND s.status <> 'running'
          AND (s.updated_at, s.id) > (since, after_id)
        ORDER BY s.updated_at, s.id
        LIMIT most
    $$
    """,
    *(
        statement
        for function in (
            "fleet.change_member(text, text, text, text, timestamptz, boolean)",
            "fleet.member_history(text, timestamptz, text, integer)",
        )
        for statement in (
            f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC",
            f"GRANT EXECUTE ON FUNCTION {function} TO {KIOSK_GROUP}",
        )
    ),
)

#: ``MIGRATIONS[n]`` takes the server schema from version ``n`` to ``n + 1``.
MIGRATIONS: Sequence[Sequence[str]] = (
    _V1,
    _V2_ROSTER,
    _V3_CHECK_VALUES,
    _V4_CHECKS_FOLLOW_MEMBERS,
    _V5_NEWEST_CHECKS_ONLY,
    _V6_MEMBERS_TRAVEL,
)
SCHEMA_VERSION = len(MIGRATIONS)


def init(connection: Connection) -> tuple[int, int]:
    """Create the group roles and apply missing migrations; returns ``(found, now)``.

    The connection's user must own the database (or be a superuser) and be
    allowed to create roles.
    """
    connection.autocommit = False
    with connection.transaction():
        connection.execute("SELECT pg_advisory_xact_lock(%s)", (_ADVISORY_LOCK,))
        for group in (KIOSK_GROUP, COACH_GROUP):
            _create_group(connection, group)
        connection.execute("CREATE SCHEMA IF NOT EXISTS fleet")
        connection.execute(
            "CREATE TABLE IF NOT EXISTS fleet.migrations ("
            " version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
    found = current_version(connection)
    for version in range(found, SCHEMA_VERSION):
        with connection.transaction():
            connection.execute("SELECT pg_advisory_xact_lock(%s)", (_ADVISORY_LOCK,))
            if current_version(connection) != version:
                continue  # someone else applied it meanwhile
            for statement in MIGRATIONS[version]:
                connection.execute(sql.SQL(statement))
            connection.execute("INSERT INTO fleet.migrations (version) VALUES (%s)", (version + 1,))
    return found, current_version(connection)


def current_version(connection: Connection) -> int:
    exists = connection.execute("SELECT to_regclass('fleet.migrations')").fetchone()
    if exists is None or exists[0] is None:
        return 0
    row = connection.execute("SELECT coalesce(max(version), 0) FROM fleet.migrations").fetchone()
    return int(row[0]) if row else 0


def _create_group(connection: Connection, name: str) -> None:
    # Roles belong to the whole cluster: another database's fleet may have made it.
    exists = connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
    if exists is None:
        connection.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(name)))
