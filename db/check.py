"""``ejournal db check``: a running server checked against docs/security.md.

Each check is one line of the report. It runs on the superuser's (or the database owner's)
connection to the journal's database — the embedded server's own, or ``EJOURNAL_ADMIN_DSN``
for a college's PostgreSQL 15 or newer — because pg_hba.conf's rules and the stored
verifiers are readable by superusers only. A check that cannot be made is a failure, not a
pass. Nothing is changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import psycopg

from db import migrate

OK, FAIL, NOTE = "ok", "fail", "note"
GOOD_METHODS = {"scram-sha-256", "cert", "reject"}
LOOPBACK = {"127.0.0.1", "::1", "localhost"}
LARGE_OBJECT_MAKERS = ("lo_creat(integer)", "lo_create(oid)", "lo_from_bytea(oid,bytea)",
                       "lo_import(text)", "lo_import(text,oid)")
LOGIN_SETTINGS = ("idle_in_transaction_session_timeout", "lock_timeout", "statement_timeout",
                  "idle_session_timeout")


@dataclass(frozen=True)
class Check:
    """One line of the report: what was checked, the outcome, and what is wrong."""

    title: str
    status: str
    detail: str = ""

    @property
    def failed(self) -> bool:
        """True for a failure (a note is reported but fails nothing)."""
        return self.status == FAIL

    def line(self) -> str:
        """The report's line in Russian."""
        mark = {OK: "[ ОК  ]", FAIL: "[СБОЙ ]", NOTE: "[ВНИМ.]"}[self.status]
        return f"{mark} {self.title}" + (f": {self.detail}" if self.detail else "")


def _names(items: list[str], limit: int = 5) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" и ещё {len(items) - limit}" if len(items) > limit else "")


def _rows(conn: psycopg.Connection, query: str, args: tuple[object, ...] = ()) -> list[tuple]:
    return conn.execute(query, args).fetchall()


def _one(conn: psycopg.Connection, query: str, args: tuple[object, ...] = ()) -> object:
    row = conn.execute(query, args).fetchone()
    return row[0] if row else None


def _version(conn: psycopg.Connection) -> int:
    return int(str(_one(conn, "SELECT current_setting('server_version_num')")))


def _persons(conn: psycopg.Connection) -> list[str]:
    return [r[0] for r in _rows(conn, """
        SELECT r.rolname FROM pg_roles r JOIN pg_auth_members m ON m.member = r.oid
         WHERE m.roleid = (SELECT oid FROM pg_roles WHERE rolname = 'ej_login')
           AND r.rolname NOT LIKE 'ej\\_%%'
         ORDER BY 1""")]


# -- the checks, in the report's order -------------------------------------------------------

CheckFn = Callable[[psycopg.Connection, str], Check]
CHECKS: list[tuple[str, CheckFn]] = []


def _check(title: str) -> Callable[[CheckFn], CheckFn]:
    def register(function: CheckFn) -> CheckFn:
        CHECKS.append((title, function))
        return function
    return register


@_check("PostgreSQL 15 или новее")
def check_version(conn: psycopg.Connection, title: str) -> Check:
    version = _version(conn)
    if version < 150000:
        return Check(title, FAIL, f"сервер {_one(conn, 'SHOW server_version')}")
    return Check(title, OK, str(_one(conn, "SHOW server_version")))


@_check("Схема базы актуальна (все миграции применены)")
def check_schema(conn: psycopg.Connection, title: str) -> Check:
    done = migrate.applied(conn)
    missing = [m.version for m in migrate.available() if m.version not in done]
    changed = [m.version for m in migrate.available()
               if m.version in done and done[m.version] != m.checksum]
    problems = ([f"не применены: {_names(missing)} (ejournal db upgrade)"] if missing else [])
    problems += [f"изменены после применения: {_names(changed)}"] if changed else []
    if problems:
        return Check(title, FAIL, "; ".join(problems))
    return Check(title, OK)


@_check("password_encryption = scram-sha-256")
def check_password_encryption(conn: psycopg.Connection, title: str) -> Check:
    value = str(_one(conn, "SHOW password_encryption"))
    return Check(title,
                 OK if value == "scram-sha-256" else FAIL, "" if value == "scram-sha-256" else value)


def _hba_rules(conn: psycopg.Connection) -> list[tuple]:
    return _rows(conn, """
        SELECT line_number, type, database, user_name, address, auth_method, error
          FROM pg_hba_file_rules ORDER BY line_number""")


def _reaches_persons(users: list[str], persons: set[str]) -> bool:
    return bool({"all", "+ej_login"} & set(users)) or bool(persons & set(users))


@_check("pg_hba.conf: пароль SCRAM-SHA-256 для людей, TLS по сети, нет trust")
def check_hba_methods(conn: psycopg.Connection, title: str) -> Check:
    try:
        rules = _hba_rules(conn)
    except psycopg.Error as exc:
        return Check(title, FAIL, f"правила не прочитаны ({exc.diag.message_primary}); "
                                  "нужен суперпользователь")
    persons = set(_persons(conn))
    bad = []
    for line, kind, _dbs, users, address, method, error in rules:
        users = list(users or [])
        if error:
            bad.append(f"строка {line}: ошибка «{error}»")
        elif method not in GOOD_METHODS and (method not in ("peer", "ident")
                                              or _reaches_persons(users, persons)):
            bad.append(f"строка {line}: {method} для {','.join(users)}")
        elif (kind in ("host", "hostnossl") and method != "reject" and address not in LOOPBACK
              and _reaches_persons(users, persons)):
            bad.append(f"строка {line}: {kind} {address} без TLS (нужен hostssl)")
    return Check(title, FAIL, _names(bad, 3)) if bad else Check(title, OK)


@_check("pg_hba.conf: люди подключаются только к базе журнала")
def check_hba_databases(conn: psycopg.Connection, title: str) -> Check:
    try:
        rules = _hba_rules(conn)
    except psycopg.Error as exc:
        return Check(title, FAIL, f"правила не прочитаны ({exc.diag.message_primary})")
    persons = set(_persons(conn))
    journal = str(_one(conn, "SELECT current_database()"))
    bad = [f"строка {line}: {','.join(dbs or [])}"
           for line, _kind, dbs, users, _address, method, error in rules
           if not error and method != "reject" and _reaches_persons(list(users or []), persons)
           and not set(dbs or []) <= {journal}]
    return Check(title, FAIL, _names(bad, 3)) if bad else Check(title, OK)


@_check("CONNECT к другим базам кластера у людей отозван")
def check_other_databases(conn: psycopg.Connection, title: str) -> Check:
    open_to = [r[0] for r in _rows(conn, """
        SELECT datname FROM pg_database
         WHERE datallowconn AND datname <> current_database()
           AND has_database_privilege('ej_login', oid, 'CONNECT') ORDER BY 1""")]
    if open_to:
        return Check(title, FAIL, "доступны: " + _names(open_to)
                     + " (REVOKE CONNECT ON DATABASE … FROM PUBLIC)")
    return Check(title, OK)


@_check("База журнала закрыта для PUBLIC, ej_login только подключается (без TEMPORARY)")
def check_journal_database(conn: psycopg.Connection, title: str) -> Check:
    public = _one(conn, """SELECT count(*) FROM pg_database d, aclexplode(d.datacl) a
                            WHERE d.datname = current_database() AND a.grantee = 0""")
    login = _one(conn, "SELECT has_database_privilege('ej_login', current_database(), 'CONNECT')")
    temporary = _one(conn, "SELECT has_database_privilege('ej_login', current_database(), "
                           "'TEMPORARY')")
    if public or not login or temporary:
        return Check(title, FAIL, "права базы: только CONNECT для ej_login и ej_backup, без "
                                  "TEMPORARY (db.accounts.grant_database_access)")
    return Check(title, OK)


@_check("Сеансы людей ограничены по времени и числу, своих настроек у ролей нет")
def check_login_limits(conn: psycopg.Connection, title: str) -> Check:
    wanted = {f"{n}={v}" for n, v, _ms in _rows(conn, "SELECT * FROM journal._session_limits()")}
    limit = _one(conn, "SELECT journal._connection_limit()")
    bad = []
    for login, settings, connections in _rows(conn, """
            SELECT r.rolname, coalesce((SELECT array_agg(c) FROM pg_db_role_setting s,
                                               unnest(s.setconfig) c
                                         WHERE s.setrole = r.oid AND s.setdatabase IN (0,
                                               (SELECT oid FROM pg_database
                                                 WHERE datname = current_database()))), '{}'),
                   r.rolconnlimit
              FROM pg_roles r JOIN journal.account a ON a.login = r.rolname ORDER BY 1"""):
        if set(settings) != wanted or connections != limit:
            bad.append(login)
    if not wanted:
        return Check(title, FAIL, "нет journal._session_limits()")
    if bad:
        return Check(title, FAIL, "не так у " + _names(bad) + " (исправит их следующий вход "
                                  "на PostgreSQL 17+ или сброс пароля)")
    return Check(title, OK, ", ".join(sorted(w.replace("=", " ") for w in wanted))
                 + f", не больше {limit} подключений")


@_check("Пароли людей заданы через программу (SCRAM, от 4096 итераций)")
def check_verifiers(conn: psycopg.Connection, title: str) -> Check:
    grant = _one(conn, "SELECT has_column_privilege('ej_security', 'pg_catalog.pg_authid', "
                       "'rolpassword', 'SELECT')")
    try:
        rows = _rows(conn, """
            SELECT a.login, s.rolpassword,
                   journal._recorded_digest(a.login) IS NOT DISTINCT FROM
                       journal._verifier_digest(a.login)
              FROM journal.account a JOIN pg_authid s ON s.rolname = a.login
             WHERE NOT a.blocked ORDER BY 1""")
    except psycopg.Error as exc:
        return Check(title, FAIL, f"не прочитаны ({exc.diag.message_primary}); "
                                  "нужен суперпользователь")
    bad = []
    for login, stored, known in rows:
        found = re.match(r"^SCRAM-SHA-256\$(\d+):", stored or "")
        if not known or found is None or int(found.group(1)) < 4096:
            bad.append(login)
    if not grant:
        return Check(title, FAIL, "у ej_security нет права читать pg_authid.rolpassword: "
                                  "вход не проверяет пароль (GRANT SELECT (rolname, rolpassword) "
                                  "ON pg_authid TO ej_security)")
    if bad:
        return Check(title, FAIL, "задан в обход программы у " + _names(bad)
                     + " (сбросьте пароль: journal.reset_password)")
    return Check(title, OK)


@_check("Большие объекты: люди не создают, в базе их нет")
def check_large_objects(conn: psycopg.Connection, title: str) -> Check:
    callable_by = [f for f in LARGE_OBJECT_MAKERS
                   if _one(conn, "SELECT has_function_privilege('ej_login', %s, 'EXECUTE')",
                           (f"pg_catalog.{f}",))]
    count = _one(conn, "SELECT count(*) FROM pg_largeobject_metadata")
    compat = _one(conn, "SHOW lo_compat_privileges")
    problems = [*(["доступны людям: " + _names(callable_by)] if callable_by else []),
                *([f"в базе {count} шт."] if count else []),
                *(["lo_compat_privileges = on"] if compat == "on" else [])]
    return Check(title, FAIL, "; ".join(problems)) if problems else Check(title, OK)


@_check("Кто в сети (pg_stat_activity) людям не виден")
def check_activity(conn: psycopg.Connection, title: str) -> Check:
    view = _one(conn, "SELECT has_table_privilege('ej_login', 'pg_catalog.pg_stat_activity', "
                      "'SELECT')")
    function = _one(conn, "SELECT has_function_privilege('ej_login', "
                          "'pg_catalog.pg_stat_get_activity(integer)', 'EXECUTE')")
    if view or function:
        return Check(title, FAIL, "pg_stat_activity или pg_stat_get_activity() доступны PUBLIC")
    return Check(title, OK)


@_check("auth_delay замедляет неудачные входы")
def check_auth_delay(conn: psycopg.Connection, title: str) -> Check:
    libraries = str(_one(conn, "SHOW shared_preload_libraries"))
    delay = _one(conn, "SELECT current_setting('auth_delay.milliseconds', true)")
    if "auth_delay" not in libraries or not delay or str(delay) in ("0", "0ms"):
        return Check(title, FAIL, "shared_preload_libraries = 'auth_delay' и "
                                  "auth_delay.milliseconds > 0")
    return Check(title, OK, f"{delay} мс" if str(delay).isdigit() else str(delay))


@_check("Журнал сервера в JSON (блокировка после неудачных входов)")
def check_json_log(conn: psycopg.Connection, title: str) -> Check:
    collector = _one(conn, "SHOW logging_collector")
    destination = str(_one(conn, "SHOW log_destination"))
    if collector != "on" or "jsonlog" not in destination:
        return Check(title, FAIL, "нужны logging_collector = on и jsonlog в log_destination")
    return Check(title, OK)


@_check("Триггер входа работает (блокировка, рабочее время, проверка пароля)")
def check_login_trigger(conn: psycopg.Connection, title: str) -> Check:
    if _version(conn) < 170000:
        return Check(title, NOTE, "PostgreSQL до 17 не знает триггеров входа: блокировки и "
                                  "проверки при входе нет (docs/security.md)")
    enabled = _one(conn, "SELECT evtenabled FROM pg_event_trigger WHERE evtname = 'ej_login_guard'")
    if enabled is None or enabled == "D" or _one(conn, "SHOW event_triggers") != "on":
        return Check(title, FAIL, "триггер ej_login_guard отсутствует или отключён")
    return Check(title, OK)


@_check("Все таблицы journal: RLS включена и обязательна (FORCE), есть политики")
def check_forced_rls(conn: psycopg.Connection, title: str) -> Check:
    bad = [r[0] for r in _rows(conn, """
        SELECT c.relname FROM pg_class c
         WHERE c.relnamespace = 'journal'::regnamespace AND c.relkind IN ('r', 'p')
           AND NOT (c.relrowsecurity AND c.relforcerowsecurity
                    AND EXISTS (SELECT FROM pg_policy p WHERE p.polrelid = c.oid))
         ORDER BY 1""")]
    return Check(title, FAIL, _names(bad)) if bad else Check(title, OK)


@_check("Функции SECURITY DEFINER: search_path закреплён, не для PUBLIC, владелец ej_*")
def check_definer_functions(conn: psycopg.Connection, title: str) -> Check:
    bad = []
    for name, config, owner, public in _rows(conn, """
            SELECT p.oid::regprocedure::text, coalesce(p.proconfig, '{}'), r.rolname,
                   p.proacl IS NULL OR EXISTS (SELECT FROM aclexplode(p.proacl) a
                                                WHERE a.grantee = 0
                                                  AND a.privilege_type = 'EXECUTE')
              FROM pg_proc p JOIN pg_roles r ON r.oid = p.proowner
             WHERE p.prosecdef AND p.pronamespace IN ('journal'::regnamespace,
                                                      'ej_guard'::regnamespace)"""):
        paths = [c.split("=", 1)[1] for c in config if c.startswith("search_path=")]
        schemas = [s.strip() for s in paths[0].split(",")] if paths else []
        if (not schemas or schemas[0] != "pg_catalog" or "pg_temp" in schemas[:-1]
                or "public" in schemas or public or owner not in ("ej_security", "ej_owner")):
            bad.append(name)
    return Check(title, FAIL, _names(bad)) if bad else Check(title, OK)


@_check("Роли людей: не суперпользователи, без BYPASSRLS, CREATEROLE, CREATEDB")
def check_person_roles(conn: psycopg.Connection, title: str) -> Check:
    bad = [r[0] for r in _rows(conn, """
        SELECT r.rolname FROM pg_roles r JOIN pg_auth_members m ON m.member = r.oid
         WHERE m.roleid = 'ej_login'::regrole AND r.rolname NOT LIKE 'ej\\_%%'
           AND (r.rolsuper OR r.rolbypassrls OR r.rolcreaterole OR r.rolcreatedb
                OR r.rolreplication) ORDER BY 1""")]
    return Check(title, FAIL, _names(bad)) if bad else Check(title, OK)


def run_checks(conn: psycopg.Connection) -> list[Check]:
    """Every check, in order; a check that errs is a failure saying why."""
    results = []
    for title, check in CHECKS:
        try:
            results.append(check(conn, title))
        except psycopg.Error as exc:
            results.append(Check(title, FAIL, f"проверка не выполнена: {exc.diag.message_primary}"))
    return results
