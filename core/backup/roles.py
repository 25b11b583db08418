"""Recreate missing roles from a copy's ``roles.sql`` (``pg_dumpall --roles-only``).

Only what a roles dump contains is understood, line by line, against strict patterns:
``CREATE ROLE``, ``ALTER ROLE … WITH <attributes>``, ``ALTER ROLE … SET``, ``COMMENT ON
ROLE`` and ``GRANT <role> TO <role>``. The rule is simple: **a role that exists is never
changed** (an account blocked since the copy stays blocked); a missing one is created with its
attributes and memberships. Superusers and the ``pg_*`` roles are never created. Passwords are
not in a copy (only a superuser may read them), so recreated people set new ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import psycopg
from psycopg import sql

_NAME = r'(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)'
_CREATE = re.compile(rf"^CREATE ROLE (?P<name>{_NAME});$")
_ATTRS = (r"(?: (?:NO)?(?:SUPERUSER|INHERIT|CREATEROLE|CREATEDB|LOGIN|REPLICATION|BYPASSRLS)"
          r"| CONNECTION LIMIT -?\d+| VALID UNTIL '[^']*')*")
_ALTER_WITH = re.compile(rf"^ALTER ROLE (?P<name>{_NAME}) WITH{_ATTRS};$")
_VALUE = r"(?:'(?:[^']|'')*'|[A-Za-z0-9_.$+-]+)"
"""One value of a setting: a quoted literal or a bare word (never a second statement)."""
_ALTER_SET = re.compile(rf"^ALTER ROLE (?P<name>{_NAME})(?: IN DATABASE {_NAME})? "
                        rf"SET [A-Za-z_][A-Za-z0-9_.]* (?:TO|=) {_VALUE}(?:, {_VALUE})*;$")
_COMMENT = re.compile(rf"^COMMENT ON ROLE (?P<name>{_NAME}) IS '(?:[^']|'')*';$")
_GRANT = re.compile(rf"^GRANT (?P<role>{_NAME}) TO (?P<member>{_NAME})"
                    r"(?P<options>(?: WITH [A-Z ,]+)?)(?: GRANTED BY \S+)?;$")


def unquote(name: str) -> str:
    """The role name an SQL identifier denotes."""
    if name.startswith('"'):
        return name[1:-1].replace('""', '"')
    return name.lower()


@dataclass
class RolesScript:
    """The statements of a roles dump, grouped by the role they create or change."""

    creates: list[str] = field(default_factory=list)
    statements: dict[str, list[str]] = field(default_factory=dict)
    grants: list[tuple[str, str, str]] = field(default_factory=list)
    superusers: set[str] = field(default_factory=set)

    @classmethod
    def parse(cls, text: str) -> RolesScript:
        """Parse ``pg_dumpall --roles-only`` output; lines it does not know are ignored."""
        script = cls()
        for raw in text.splitlines():
            line = raw.strip()
            if found := _CREATE.match(line):
                script.creates.append(unquote(found["name"]))
            elif found := _ALTER_WITH.match(line) or _ALTER_SET.match(line) or _COMMENT.match(line):
                name = unquote(found["name"])
                script.statements.setdefault(name, []).append(line)
                if _ALTER_WITH.match(line) and " SUPERUSER" in line.replace("NOSUPERUSER", ""):
                    script.superusers.add(name)
            elif found := _GRANT.match(line):
                statement = f"GRANT {found['role']} TO {found['member']}{found['options']}"
                script.grants.append((unquote(found["role"]), unquote(found["member"]), statement))
        return script

    def missing(self, existing: set[str]) -> list[str]:
        """Roles to create: absent from the server, not superusers, not ``pg_*``."""
        return [n for n in self.creates
                if n not in existing and n not in self.superusers and not n.startswith("pg_")]


def restore_missing_roles(conn: psycopg.Connection, text: str) -> list[str]:
    """Create the roles of ``text`` that ``conn``'s server lacks; return their names.

    ``conn`` is a superuser's, in autocommit mode. Memberships are granted only to or of
    the roles created here.
    """
    script = RolesScript.parse(text)
    existing = {row[0] for row in conn.execute("SELECT rolname FROM pg_roles").fetchall()}
    created = script.missing(existing)
    with conn.transaction():
        for name in created:
            conn.execute(sql.SQL("CREATE ROLE {}").format(sql.Identifier(name)))
            for statement in script.statements.get(name, []):
                conn.execute(statement.encode())
        new = set(created)
        known = existing | new
        for role, member, statement in script.grants:
            if (role in new or member in new) and role in known and member in known:
                conn.execute(statement.encode())
    return created


def drop_roles(conn: psycopg.Connection, names: list[str]) -> None:
    """Drop roles created by :func:`restore_missing_roles` (after a trial restore)."""
    for name in reversed(names):
        try:
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name)))
        except psycopg.Error:
            continue
