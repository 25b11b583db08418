"""What the system catalogs must say about the security design (for tables added later too)."""

from __future__ import annotations

import re

import psycopg
import pytest

from tests.security.world import World

SYSTEM_SCHEMAS = ("pg_catalog", "information_schema", "pg_toast")


def test_every_journal_table_has_forced_row_level_security(su: psycopg.Connection) -> None:
    rows = su.execute("""
        SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, r.rolname,
               (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid)
          FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
         WHERE c.relnamespace = 'journal'::regnamespace AND c.relkind IN ('r', 'p')""").fetchall()
    assert len(rows) >= 30
    for name, enabled, forced, owner, policies in rows:
        assert enabled and forced, f"{name}: ENABLE and FORCE ROW LEVEL SECURITY"
        assert owner == "ej_owner", name
        assert policies > 0, f"{name}: no policy"


def test_no_materialized_views_and_every_view_is_security_invoker(su: psycopg.Connection) -> None:
    rows = su.execute("""
        SELECT c.relname, c.relkind, coalesce(c.reloptions, '{}')
          FROM pg_class c WHERE c.relnamespace = 'journal'::regnamespace
           AND c.relkind IN ('v', 'm')""").fetchall()
    for name, kind, options in rows:
        assert kind == "v", f"{name}: a materialized view cannot have row-level security"
        assert any(o in ("security_invoker=true", "security_invoker=on", "security_invoker=1")
                   for o in options), f"{name} must be WITH (security_invoker = true)"


def test_security_definer_functions_pin_search_path_and_are_not_public(
        su: psycopg.Connection) -> None:
    rows = su.execute("""
        SELECT p.oid::regprocedure::text, coalesce(p.proconfig, '{}'), r.rolname,
               p.proacl IS NULL
                 OR EXISTS (SELECT FROM aclexplode(p.proacl) a
                             WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE')
          FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
          JOIN pg_roles r ON r.oid = p.proowner
         WHERE p.prosecdef AND n.nspname <> ALL (%s)""", (list(SYSTEM_SCHEMAS),)).fetchall()
    assert len(rows) >= 40
    for name, config, owner, public in rows:
        paths = [c.split("=", 1)[1] for c in config if c.startswith("search_path=")]
        assert paths, f"{name}: no pinned search_path"
        schemas = [s.strip() for s in paths[0].split(",")]
        assert schemas[0] == "pg_catalog", f"{name}: {paths[0]}"
        assert "pg_temp" not in schemas[:-1], f"{name}: pg_temp must come last"
        assert "public" not in schemas and "$user" not in schemas, name
        assert not public, f"{name} is executable by PUBLIC"
        assert owner in ("ej_security", "ej_owner"), f"{name} owned by {owner}"


def test_only_the_backup_role_logs_in_with_bypassrls(su: psycopg.Connection, world: World) -> None:
    rows = su.execute("""
        SELECT rolname, rolsuper, rolbypassrls FROM pg_roles
         WHERE rolcanlogin AND (rolsuper OR rolbypassrls) AND oid <> 10""").fetchall()
    assert rows == [("ej_backup", False, True)]
    groups = su.execute("""
        SELECT rolname, rolcanlogin, rolsuper, rolcreaterole, rolbypassrls FROM pg_roles
         WHERE rolname LIKE 'ej\\_%%' AND rolname <> 'ej_backup' ORDER BY 1""").fetchall()
    assert {g[0] for g in groups} >= {"ej_login", "ej_admin", "ej_director", "ej_deputy",
                                      "ej_office", "ej_methodologist", "ej_teacher", "ej_curator",
                                      "ej_support", "ej_parent", "ej_student", "ej_owner",
                                      "ej_security"}
    for name, login, superuser, createrole, bypass in groups:
        assert not login and not superuser, name
        assert createrole == bypass == (name == "ej_security"), name
    members = su.execute("""
        SELECT m.member::regrole::text FROM pg_auth_members m
         WHERE m.roleid IN ('ej_security'::regrole, 'ej_owner'::regrole)""").fetchall()
    assert members == [], "nobody may act as ej_security or ej_owner"


def test_person_logins_are_plain_members_of_their_groups(su: psycopg.Connection,
                                                         world: World) -> None:
    for who in ("admin", "teacher", "curator", "parent", "student"):
        login = world.login[who]
        role = su.execute("""SELECT rolcanlogin, rolsuper, rolcreaterole, rolcreatedb,
                                    rolbypassrls, rolreplication, rolpassword LIKE 'SCRAM-SHA-256$%%'
                               FROM pg_authid WHERE rolname = %s""", (login,)).fetchone()
        assert role == (True, False, False, False, False, False, True), who
        groups = su.execute("""
            SELECT g.rolname, m.inherit_option, m.set_option, m.admin_option
              FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
             WHERE m.member = %s::regrole ORDER BY 1""", (f'"{login}"',)).fetchall()
        assert groups == sorted([("ej_login", True, False, False), (f"ej_{who}", True, False, False)])


def test_no_person_may_write_history_logins_or_accounts(su: psycopg.Connection) -> None:
    rows = su.execute("""
        SELECT c.relname, a.grantee::regrole::text, a.privilege_type
          FROM pg_class c, aclexplode(c.relacl) a
         WHERE c.relnamespace = 'journal'::regnamespace
           AND c.relname IN ('change_log', 'login_event', 'account')
           AND a.privilege_type IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE')
           AND a.grantee <> c.relowner""").fetchall()   # the owner is held by FORCE RLS
    assert {(t, g) for t, g, _p in rows} <= {("change_log", "ej_security"),
                                             ("login_event", "ej_security"),
                                             ("account", "ej_security")}
    public = su.execute("""
        SELECT c.relname FROM pg_class c, aclexplode(c.relacl) a
         WHERE c.relnamespace IN ('journal'::regnamespace, 'ej_guard'::regnamespace)
           AND a.grantee = 0""").fetchall()
    assert public == []


def test_policies_call_helpers_once_per_statement(su: psycopg.Connection) -> None:
    """Every helper call in a policy is a sub-select (an InitPlan), except the per-row
    load_teacher() of a curator's new lesson; no policy is unconditional."""
    rows = su.execute("SELECT tablename, policyname, coalesce(qual, '') || ' ' || "
                      "coalesce(with_check, '') FROM pg_policies "
                      "WHERE schemaname = 'journal'").fetchall()
    for table, name, text in rows:
        assert text.strip() not in ("true", "true true", ""), f"{table}.{name} is unconditional"
        for match in re.finditer(r"(\(?\s*SELECT\s+)?journal\.(\w+)\(", text):
            if match.group(2) != "load_teacher":
                assert match.group(1), f"{table}.{name}: journal.{match.group(2)}() per row"


def test_columns_policies_filter_by_are_indexed(su: psycopg.Connection) -> None:
    """USING clauses filter rows (WITH CHECK only judges rows being written)."""
    policies = su.execute("SELECT tablename, qual FROM pg_policies "
                          "WHERE schemaname = 'journal' AND qual IS NOT NULL").fetchall()
    indexed = {(t, c) for t, c in su.execute("""
        SELECT c.relname, a.attname FROM pg_index i
          JOIN pg_class c ON c.oid = i.indrelid
          JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0]
         WHERE c.relnamespace = 'journal'::regnamespace""").fetchall()}
    for table, text in policies:
        for column in re.findall(r"(?<![:\w])(\w+) = (?:ANY \(|\(\s*SELECT)", text):
            assert (table, column) in indexed, f"{table}.{column} is filtered but not indexed"


def test_the_database_is_closed_to_public(su: psycopg.Connection, sec_db) -> None:
    rows = su.execute("""SELECT a.grantee, a.privilege_type FROM pg_database d,
                                aclexplode(d.datacl) a WHERE d.datname = %s""",
                      (sec_db.dbname,)).fetchall()
    assert rows and all(grantee != 0 for grantee, _p in rows)
    assert su.execute("SELECT has_database_privilege('ej_login', %s, 'CONNECT')",
                      (sec_db.dbname,)).fetchone() == (True,)
    schema = su.execute("SELECT has_schema_privilege('ej_login', 'ej_guard', 'USAGE'), "
                        "has_schema_privilege('ej_login', 'journal', 'CREATE')").fetchone()
    assert schema == (False, False)


@pytest.mark.parametrize("table", ["change_log"])
def test_history_is_append_only_even_for_superusers(su: psycopg.Connection, world: World,
                                                    table: str) -> None:
    for statement in (f"UPDATE journal.{table} SET reason = 'x'", f"DELETE FROM journal.{table}",
                      f"TRUNCATE journal.{table}"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="История"):
            su.execute(statement)


# The SECURITY DEFINER functions a person may call: the policy helpers and the public API.
PERSON_API = {
    "me", "whoami", "access_refusal", "my_person_id", "my_roles", "has_any_role", "is_admin",
    "reads_all", "reads_all_marks", "writes_all", "is_staff", "may_write_messages", "staff_ids",
    "my_load_ids", "my_sub_lesson_ids", "my_statement_ids", "my_curated_group_ids",
    "my_curated_load_ids", "my_curated_student_ids", "my_curated_person_ids", "my_child_ids",
    "my_ward_ids", "my_ward_group_ids", "my_ward_load_ids", "my_taught_group_ids",
    "my_student_ids", "my_group_staff_ids", "my_thread_ids", "my_created_thread_ids",
    "my_correspondent_ids", "my_person_ids", "load_teacher", "my_linkable_parent_ids",
    "my_past_lesson_ids", "my_former_student_ids",
    "create_account", "reset_password", "block_account", "unblock_account", "change_my_password",
    "sync_account_roles", "add_parent", "close_statement", "reopen_statement", "close_period",
    "reopen_period", "archive_year", "reopen_year", "refresh_login_events",
    "account_locked_until", "reassign_load", "end_stuck_sessions", "verified_changes",
    "database_id", "my_substitute_load_ids", "my_substitution_keys", "staff_names",
    "verified_message_notes", "may_manage_account",
    # the reports (issue 14): each checks the caller's right once, see migrations 0070–0072
    "report_gaps", "report_results", "report_absences", "report_program", "report_forecast",
    "report_debts", "raise_remarks", "my_open_remarks", "record_control",
    "report_attendance_totals", "report_attendance_weeks",
}


def test_persons_may_call_only_the_public_definer_functions(su: psycopg.Connection) -> None:
    rows = su.execute("""
        SELECT p.proname FROM pg_proc p
         WHERE p.pronamespace = 'journal'::regnamespace AND p.prosecdef
           AND has_function_privilege('ej_login', p.oid, 'EXECUTE')""").fetchall()
    assert {r[0] for r in rows} == PERSON_API
    internal = su.execute("""
        SELECT p.proname FROM pg_proc p
         WHERE p.pronamespace = 'journal'::regnamespace AND p.proname LIKE '\\_%%'
           AND has_function_privilege('ej_login', p.oid, 'EXECUTE')""").fetchall()
    assert internal == []
