-- 0020: the persons' login roles — time limits, their own settings, their passwords
-- (issue 10, items 5 and 10).
--
-- Item 5, no time limits: a teacher's `BEGIN; LOCK TABLE journal.mark, journal.attendance IN
-- ACCESS EXCLUSIVE MODE;` left idle blocked every reader and writer of the college, and an
-- idle-in-transaction LISTEN pinned the NOTIFY queue until every write failed. Now each
-- person's login role carries the limits of journal._session_limits() (idle in transaction
-- 2 min, lock_timeout 5 s, statement_timeout 5 min — generous for reports —, idle session
-- 30 min) and a limit of 20 connections, set when the account is created and restored at
-- every login. A person can still SET the time limits in their own session (PostgreSQL lets
-- any role set these), so journal.end_stuck_sessions() ends person sessions that went past
-- them anyway (it runs at every login and from every open journal page, once a minute; the
-- backup role may call it before a dump).
--
-- Item 10, a person weakens their own account: PostgreSQL lets every role run
-- `ALTER ROLE <self> PASSWORD …` (an MD5 hash, a 1-iteration SCRAM verifier) and
-- `ALTER ROLE <self> SET …` (row_security = off, default_transaction_read_only = on, the
-- limits above = 0). No event trigger fires on ALTER ROLE and no hook is reachable from SQL,
-- so the statements cannot be refused; what the database can do, it does at the next login
-- (the login trigger, PostgreSQL 17+):
--   * the stored verifier must be the one the journal's functions set: create_account,
--     reset_password and change_my_password (which accept only SCRAM-SHA-256 with ≥ 4096
--     iterations) write its sha256 into the role's comment — cluster-wide, like the role and
--     its password, so every database of the cluster agrees, and a person cannot comment on
--     their own role (that needs CREATEROLE). A password set any other way refuses the login
--     until the admin resets it;
--   * the role's own settings are put back to exactly the limits above (anything else a
--     person set with ALTER ROLE is reset), and the session's limits are applied.
-- To compare verifiers ej_security reads pg_authid.rolpassword (a column grant below); the
-- digest reveals nothing of the verifier (nor its salt, without which no guess can be tried).

SET LOCAL search_path = pg_catalog, journal;

GRANT SELECT (rolname, rolpassword) ON pg_catalog.pg_authid TO ej_security;
GRANT pg_read_all_stats TO ej_security;     -- the state of other people's sessions

-- The limits of every person's session: (parameter, value, value in milliseconds).
CREATE FUNCTION journal._session_limits(OUT name text, OUT value text, OUT ms bigint)
RETURNS SETOF record LANGUAGE sql IMMUTABLE AS $$
    VALUES ('idle_in_transaction_session_timeout', '2min', 120000::bigint),
           ('lock_timeout', '5s', 5000),
           ('statement_timeout', '5min', 300000),
           ('idle_session_timeout', '30min', 1800000)
$$;

-- How many connections one person may hold at once.
CREATE FUNCTION journal._connection_limit() RETURNS integer LANGUAGE sql IMMUTABLE AS $$
    SELECT 20
$$;

-- What the role's comment says when the journal set its password: the sha256 of the
-- verifier PostgreSQL stores for the login (NULL without a password).
CREATE FUNCTION journal._verifier_digest(p_login text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT 'ejournal: verifier sha256 ' || encode(sha256(convert_to(a.rolpassword, 'UTF8')), 'hex')
      FROM pg_catalog.pg_authid a WHERE a.rolname = p_login
$$;

-- The digest the journal recorded for a login (the role's comment).
CREATE FUNCTION journal._recorded_digest(p_login text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT shobj_description(r.oid, 'pg_authid') FROM pg_catalog.pg_roles r
     WHERE r.rolname = p_login
$$;

-- Bring a person's login role back to the journal's settings: the limits above at role
-- level, nothing else a person could have set for themselves (here or for this database);
-- with p_remember, record its current verifier as the one the journal set.
CREATE FUNCTION journal._secure_login_role(p_login text, p_remember boolean) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_role oid := (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = p_login);
    v_db oid := (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = current_database());
    s record;
    l record;
    v_item text;
    v_name text;
BEGIN
    IF v_role IS NULL THEN
        RETURN;
    END IF;
    FOR s IN SELECT d.setdatabase, d.setconfig FROM pg_catalog.pg_db_role_setting d
              WHERE d.setrole = v_role AND d.setdatabase IN (0, v_db) LOOP
        FOREACH v_item IN ARRAY s.setconfig LOOP
            v_name := split_part(v_item, '=', 1);
            CONTINUE WHEN s.setdatabase = 0 AND v_item IN (
                SELECT x.name || '=' || x.value FROM journal._session_limits() x);
            -- only what the person could have set themselves (a superuser's choice stays)
            CONTINUE WHEN EXISTS (SELECT FROM pg_catalog.pg_settings g
                                   WHERE g.name = v_name AND g.context <> 'user');
            IF s.setdatabase = 0 THEN
                EXECUTE format('ALTER ROLE %I RESET %I', p_login, v_name);
            ELSE
                EXECUTE format('ALTER ROLE %I IN DATABASE %I RESET %I', p_login,
                               current_database(), v_name);
            END IF;
        END LOOP;
    END LOOP;
    FOR l IN SELECT * FROM journal._session_limits() LOOP
        IF NOT EXISTS (SELECT FROM pg_catalog.pg_db_role_setting d
                        WHERE d.setrole = v_role AND d.setdatabase = 0
                          AND l.name || '=' || l.value = ANY (d.setconfig)) THEN
            EXECUTE format('ALTER ROLE %I SET %I = %L', p_login, l.name, l.value);
        END IF;
    END LOOP;
    -- One person cannot take every connection slot of the server (a program uses three or
    -- four: its session, the saver, a page's listener). Only CREATEROLE changes it.
    IF (SELECT r.rolconnlimit FROM pg_catalog.pg_roles r WHERE r.oid = v_role)
       <> journal._connection_limit() THEN
        EXECUTE format('ALTER ROLE %I CONNECTION LIMIT %s', p_login, journal._connection_limit());
    END IF;
    IF p_remember THEN
        EXECUTE format('COMMENT ON ROLE %I IS %L', p_login, journal._verifier_digest(p_login));
    END IF;
END $$;

-- This session's limits: any that is off (0) or longer than the journal's is set to it.
CREATE FUNCTION journal._apply_session_limits() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE l record;
BEGIN
    FOR l IN SELECT x.name, x.value FROM journal._session_limits() x
               JOIN pg_catalog.pg_settings g ON g.name = x.name
              WHERE g.setting::bigint = 0 OR g.setting::bigint > x.ms LOOP
        PERFORM set_config(l.name, l.value, false);
    END LOOP;
END $$;

-- End the sessions of persons past the limits (they raised them in their own session).
CREATE FUNCTION journal._end_stuck_sessions(p_idle_in_transaction interval,
                                            p_statement interval, p_idle interval)
RETURNS integer LANGUAGE sql AS $$
    SELECT count(pg_terminate_backend(a.pid))::int
      FROM pg_catalog.pg_stat_activity a
     WHERE a.pid <> pg_backend_pid() AND a.backend_type = 'client backend'
       AND a.usesysid IN (SELECT m.member FROM pg_catalog.pg_auth_members m
                           WHERE m.roleid = 'ej_login'::regrole)
       AND NOT coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r
                          WHERE r.oid = a.usesysid), true)
       AND ((a.state LIKE 'idle in transaction%'
             AND a.state_change < clock_timestamp() - p_idle_in_transaction)
            OR (a.state = 'active' AND a.query_start < clock_timestamp() - p_statement)
            OR (a.state = 'idle' AND a.state_change < clock_timestamp() - p_idle))
$$;

-- For everyone (and the backup role): end the person sessions that are past the limits by
-- more than half a minute; the number ended.
CREATE FUNCTION journal.end_stuck_sessions() RETURNS integer
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT journal._end_stuck_sessions(
        (SELECT make_interval(secs => x.ms / 1000.0) FROM journal._session_limits() x
          WHERE x.name = 'idle_in_transaction_session_timeout') + interval '30 s',
        (SELECT make_interval(secs => x.ms / 1000.0) FROM journal._session_limits() x
          WHERE x.name = 'statement_timeout') + interval '30 s',
        (SELECT make_interval(secs => x.ms / 1000.0) FROM journal._session_limits() x
          WHERE x.name = 'idle_session_timeout') + interval '30 s')
$$;

-- A new account gets the limits, and its verifier is recorded (create_account, and the
-- demo builder's accounts for roles that already exist).
CREATE FUNCTION journal.account_secured() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
BEGIN
    PERFORM journal._secure_login_role(NEW.login, true);
    RETURN NULL;
END $$;
CREATE TRIGGER account_secured AFTER INSERT ON journal.account
    FOR EACH ROW EXECUTE FUNCTION journal.account_secured();

-- A superuser who set a person's password by hand (ALTER ROLE … PASSWORD: a script, a test)
-- declares it the journal's; otherwise the person's next login is refused like any password
-- set around the journal's functions. Not for persons (no EXECUTE grant).
CREATE FUNCTION journal.accept_password(p_login text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
BEGIN
    PERFORM journal.require(journal.caller_is_superuser(),
        'Принять пароль, заданный вручную, может только суперпользователь.');
    IF NOT EXISTS (SELECT FROM journal.account WHERE login = p_login) THEN
        RAISE EXCEPTION 'Учётная запись «%» не найдена.', p_login USING ERRCODE = 'no_data_found';
    END IF;
    PERFORM journal._secure_login_role(p_login, true);
END $$;

CREATE OR REPLACE FUNCTION journal.reset_password(p_person bigint, p_verifier text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE a journal.account;
BEGIN
    PERFORM journal.require(journal.may_manage_account(p_person),
        'Недостаточно прав, чтобы сбросить пароль этого человека.');
    a := journal.account_of(p_person);
    PERFORM journal.check_verifier(p_verifier);
    EXECUTE format('ALTER ROLE %I PASSWORD %L', a.login, p_verifier);
    -- the journal's verifier and settings again (whatever the person set for themselves)
    PERFORM journal._secure_login_role(a.login, true);
    UPDATE journal.account SET must_change_password = true WHERE person_id = p_person;
    PERFORM journal.clear_lockout(a.login);
    -- A live session must not keep working (or set a password of its own) after a reset.
    PERFORM journal.end_sessions(a.login);
    PERFORM journal.log_account_change(p_person, 'UPDATE',
        jsonb_build_object('must_change_password', a.must_change_password),
        jsonb_build_object('must_change_password', true, 'password', 'сброшен'));
END $$;

CREATE OR REPLACE FUNCTION journal.change_my_password(p_verifier text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE a journal.account;
BEGIN
    SELECT * INTO a FROM journal.account WHERE login = session_user::text;
    IF NOT FOUND OR a.blocked THEN
        RAISE EXCEPTION 'Смена пароля доступна только действующим пользователям журнала.'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM journal.check_verifier(p_verifier);
    EXECUTE format('ALTER ROLE %I PASSWORD %L', a.login, p_verifier);
    PERFORM journal._secure_login_role(a.login, true);
    UPDATE journal.account SET must_change_password = false, password_changed_at = now()
     WHERE person_id = a.person_id;
    PERFORM journal.log_account_change(a.person_id, 'UPDATE',
        jsonb_build_object('must_change_password', a.must_change_password),
        jsonb_build_object('must_change_password', false, 'password', 'сменён'));
END $$;

CREATE OR REPLACE FUNCTION journal.on_login() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE
    a journal.account;
    w jsonb;
    v_until timestamptz;
    v_digest text;
    v_unchecked boolean := false;
BEGIN
    IF journal.caller_is_superuser() OR pg_is_in_recovery() THEN
        RETURN;
    END IF;
    -- Every login is recorded: a session that cannot write (default_transaction_read_only
    -- set by the client) does not get in unrecorded.
    IF current_setting('transaction_read_only') = 'on' THEN
        RAISE EXCEPTION 'Вход без записи в журнал входов невозможен: отключите режим '
            '«только чтение» (default_transaction_read_only).'
            USING ERRCODE = 'invalid_authorization_specification';
    END IF;
    SELECT * INTO a FROM journal.account WHERE login = session_user::text;
    IF FOUND THEN
        IF a.blocked THEN
            RAISE EXCEPTION 'Учётная запись заблокирована. Обратитесь к заведующему учебной частью.'
                USING ERRCODE = 'invalid_authorization_specification';
        END IF;
        IF journal.outside_working_hours(a.person_id) THEN
            SELECT value INTO w FROM journal.setting WHERE key = 'working_hours';
            RAISE EXCEPTION 'Доступ к журналу открыт только в рабочее время: с % до %.',
                w->>'from', w->>'to' USING ERRCODE = 'invalid_authorization_specification';
        END IF;
        -- The password must be the one the journal's functions set, not ALTER ROLE's. (A
        -- database restored without ej_security's grant on pg_authid cannot tell: it lets
        -- the login in with a warning, and `ejournal db check` reports the missing grant.)
        BEGIN
            v_digest := journal._verifier_digest(a.login);
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE WARNING 'ejournal: пароль не проверен: %', SQLERRM;
            v_digest := NULL;
            v_unchecked := true;
        END;
        IF NOT v_unchecked AND journal._recorded_digest(a.login) IS DISTINCT FROM v_digest THEN
            RAISE EXCEPTION 'Пароль этой учётной записи задан в обход программы: вход запрещён. '
                'Попросите заведующего учебной частью сбросить пароль.'
                USING ERRCODE = 'invalid_authorization_specification';
        END IF;
        BEGIN
            PERFORM journal._secure_login_role(a.login, false);
            PERFORM journal._apply_session_limits();
        EXCEPTION WHEN others THEN
            RAISE WARNING 'ejournal: настройки сеанса не восстановлены: %', SQLERRM;
        END;
        BEGIN
            PERFORM journal.import_login_log();
        EXCEPTION WHEN others THEN
            RAISE WARNING 'ejournal: журнал входов не прочитан: %', SQLERRM;
        END;
        v_until := journal.login_locked_until(a.login);
        IF v_until IS NOT NULL THEN
            RAISE EXCEPTION 'Вход временно заблокирован после неудачных попыток. Повторите после % '
                'или обратитесь к заведующему учебной частью.',
                to_char(v_until AT TIME ZONE journal.local_zone(), 'HH24:MI')
                USING ERRCODE = 'invalid_authorization_specification';
        END IF;
    END IF;
    BEGIN
        PERFORM journal.end_stuck_sessions();
    EXCEPTION WHEN others THEN
        RAISE WARNING 'ejournal: зависшие сеансы не завершены: %', SQLERRM;
    END;
    INSERT INTO journal.login_event (login, success) VALUES (session_user, true);
END $$;

DO $$
DECLARE f record;
BEGIN
    FOR f IN SELECT p.oid::regprocedure AS sig, p.proname, p.prosecdef FROM pg_proc p
              WHERE p.pronamespace = 'journal'::regnamespace
                AND p.proowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO ej_security', f.sig);
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f.sig);
        IF f.proname = 'end_stuck_sessions' THEN
            EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO ej_login, ej_backup', f.sig);
        END IF;
    END LOOP;
END $$;

-- The accounts that exist: ej_security manages their roles (PostgreSQL 16+ asks for ADMIN;
-- create_account's roles have it already), their limits are set, their verifiers recorded.
DO $$
DECLARE
    v_login text;
BEGIN
    FOR v_login IN SELECT a.login FROM journal.account a
                     JOIN pg_roles r ON r.rolname = a.login ORDER BY a.login LOOP
        IF current_setting('server_version_num')::int >= 160000 AND NOT EXISTS (
            SELECT FROM pg_auth_members m
             WHERE m.roleid = (SELECT r.oid FROM pg_roles r WHERE r.rolname = v_login)
               AND m.member = 'ej_security'::regrole
               AND m.admin_option) THEN
            EXECUTE format('GRANT %I TO ej_security WITH ADMIN TRUE, INHERIT FALSE, SET FALSE',
                           v_login);
        END IF;
        PERFORM journal._secure_login_role(v_login, true);
    END LOOP;
END $$;
