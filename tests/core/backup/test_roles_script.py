"""A copy's roles.sql comes from removable media: only the statements a roles dump holds are
kept, never a second statement smuggled after a role's setting."""

from __future__ import annotations

from core.backup.roles import RolesScript

DUMP = """\
CREATE ROLE "ivan.petrov";
ALTER ROLE "ivan.petrov" WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB LOGIN NOREPLICATION NOBYPASSRLS;
ALTER ROLE "ivan.petrov" SET statement_timeout TO '30s';
ALTER ROLE "ivan.petrov" SET search_path TO 'journal', 'public';
ALTER ROLE "ivan.petrov" IN DATABASE ejournal SET row_security = off;
ALTER ROLE "ivan.petrov" SET statement_timeout TO '30s'; DROP TABLE journal.mark;
ALTER ROLE "ivan.petrov" SET search_path TO public; GRANT ej_admin TO "ivan.petrov";
COMMENT ON ROLE "ivan.petrov" IS 'учитель; DROP TABLE journal.mark;';
"""


def test_settings_of_a_role_are_kept_and_smuggled_statements_are_not() -> None:
    script = RolesScript.parse(DUMP)
    assert script.creates == ["ivan.petrov"]
    kept = script.statements["ivan.petrov"]
    assert kept == [
        'ALTER ROLE "ivan.petrov" WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB LOGIN NOREPLICATION '
        "NOBYPASSRLS;",
        "ALTER ROLE \"ivan.petrov\" SET statement_timeout TO '30s';",
        "ALTER ROLE \"ivan.petrov\" SET search_path TO 'journal', 'public';",
        'ALTER ROLE "ivan.petrov" IN DATABASE ejournal SET row_security = off;',
        "COMMENT ON ROLE \"ivan.petrov\" IS 'учитель; DROP TABLE journal.mark;';",
    ]
