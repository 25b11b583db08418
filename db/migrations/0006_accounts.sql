-- 0006: account lifecycle (R13) through SECURITY DEFINER functions owned by ej_security, so
-- no interactive user holds CREATEROLE. Each function checks its caller by session_user:
--   superuser (migrations, demo builder, tests): everything;
--   admin: create, reset, block, unblock any account;
--   curator: create and reset the accounts of their group's students and parents (people
--            with no role but student/parent);
--   everyone: change their own password.
-- Passwords arrive as SCRAM-SHA-256 verifiers computed by the client from the argon2-derived
-- password; anything else is refused, so no password ever reaches the server. A reset makes
-- the account change its password at the next login: until then the helpers of 0004 return
-- nothing and such a session can only call journal.change_my_password().

SET LOCAL search_path = pg_catalog, journal;

-- The security machinery's own state lives in schema ej_guard, which only ej_security (and
-- the backup role, read-only) can reach: it holds no personal data and no journal data.
CREATE SCHEMA IF NOT EXISTS ej_guard AUTHORIZATION ej_security;
REVOKE ALL ON SCHEMA ej_guard FROM PUBLIC;
GRANT USAGE ON SCHEMA ej_guard TO ej_backup;
ALTER DEFAULT PRIVILEGES FOR ROLE ej_security IN SCHEMA ej_guard GRANT SELECT ON TABLES TO ej_backup;

-- Failed logins of a login before cleared_at no longer count towards a lockout (0009).
SET LOCAL ROLE ej_security;
CREATE TABLE ej_guard.lockout_clear (
    login       text PRIMARY KEY,
    cleared_at  timestamptz NOT NULL DEFAULT now()
);
RESET ROLE;

CREATE FUNCTION journal.caller_is_superuser() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce((SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = session_user), false)
$$;

-- The person behind session_user, whatever the state of their account (for history rows).
CREATE FUNCTION journal.session_person_id() RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT a.person_id FROM journal.account a WHERE a.login = session_user::text
$$;

-- The reason the client gave for this transaction's corrections (free text, capped).
CREATE FUNCTION journal.current_reason() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT left(btrim(coalesce(current_setting('journal.reason', true), '')), 500)
$$;

CREATE FUNCTION journal.log_account_change(p_person bigint, p_action text, p_old jsonb,
                                           p_new jsonb) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    INSERT INTO journal.change_log (table_name, action, row_key, old_value, new_value, reason,
                                    changed_by, person_id)
    VALUES ('account', p_action, jsonb_build_object('person_id', p_person), p_old, p_new,
            journal.current_reason(), session_user, journal.session_person_id())
$$;

-- Refuse anything that is not a well-formed SCRAM-SHA-256 verifier (PostgreSQL would hash a
-- malformed one as if it were a plain password).
CREATE FUNCTION journal.check_verifier(p_verifier text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
BEGIN
    IF p_verifier IS NULL OR p_verifier !~ ('^SCRAM-SHA-256\$([1-9][0-9]{3,8}):'
            '(([A-Za-z0-9+/]{4})+|([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=))\$'
            '[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=$')
       OR substring(p_verifier FROM '^SCRAM-SHA-256\$([0-9]+):')::bigint < 4096 THEN
        RAISE EXCEPTION 'Пароль передаётся на сервер только в виде проверочного значения '
            'SCRAM-SHA-256, вычисленного программой.' USING ERRCODE = 'invalid_parameter_value';
    END IF;
END $$;

-- May the caller create or reset the account of p_person?
CREATE FUNCTION journal.may_manage_account(p_person bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT journal.caller_is_superuser() OR journal.is_admin()
        OR (p_person = ANY (journal.my_curated_person_ids())
            AND EXISTS (SELECT FROM journal.person_role r WHERE r.person_id = p_person)
            AND NOT EXISTS (SELECT FROM journal.person_role r WHERE r.person_id = p_person
                             AND r.role NOT IN ('student', 'parent')))
$$;

CREATE FUNCTION journal.require(p_ok boolean, p_message text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
BEGIN
    IF NOT coalesce(p_ok, false) THEN
        RAISE EXCEPTION '%', p_message USING ERRCODE = 'insufficient_privilege';
    END IF;
END $$;

CREATE FUNCTION journal.account_of(p_person bigint) RETURNS journal.account
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE a journal.account;
BEGIN
    SELECT * INTO a FROM journal.account WHERE person_id = p_person;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'У этого человека нет учётной записи.' USING ERRCODE = 'no_data_found';
    END IF;
    RETURN a;
END $$;

CREATE FUNCTION journal.clear_lockout(p_login text) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    INSERT INTO ej_guard.lockout_clear (login, cleared_at) VALUES (p_login, now())
    ON CONFLICT (login) DO UPDATE SET cleared_at = excluded.cleared_at
$$;

CREATE FUNCTION journal.grant_clause() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT CASE WHEN current_setting('server_version_num')::int >= 160000
                THEN ' WITH INHERIT TRUE, SET FALSE' ELSE '' END
$$;

-- Make the login role's group roles match journal.person_role.
CREATE FUNCTION journal.sync_login_roles(p_person bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE
    v_login text;
    v_oid oid;
    v_role text;
    v_want boolean;
    v_have boolean;
BEGIN
    SELECT a.login, r.oid INTO v_login, v_oid
      FROM journal.account a JOIN pg_roles r ON r.rolname = a.login
     WHERE a.person_id = p_person;
    IF v_oid IS NULL THEN
        RETURN;
    END IF;
    FOREACH v_role IN ARRAY ARRAY['admin', 'director', 'deputy', 'office', 'methodologist',
                                  'teacher', 'curator', 'support', 'parent', 'student'] LOOP
        v_want := EXISTS (SELECT FROM journal.person_role pr
                           WHERE pr.person_id = p_person AND pr.role = v_role);
        v_have := EXISTS (SELECT FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                           WHERE m.member = v_oid AND g.rolname = 'ej_' || v_role);
        IF v_want AND NOT v_have THEN
            EXECUTE format('GRANT %I TO %I', 'ej_' || v_role, v_login) || journal.grant_clause();
        ELSIF v_have AND NOT v_want THEN
            EXECUTE format('REVOKE %I FROM %I', 'ej_' || v_role, v_login);
        END IF;
    END LOOP;
END $$;

CREATE FUNCTION journal.end_sessions(p_login text) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT count(pg_terminate_backend(a.pid)) FROM pg_stat_activity a
     WHERE a.usename = p_login AND a.pid <> pg_backend_pid();
    SELECT NULL::void;
$$;

CREATE FUNCTION journal.create_account(p_person bigint, p_login text, p_verifier text,
                                       p_must_change boolean DEFAULT true) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE v_existing text;
BEGIN
    PERFORM journal.require(journal.may_manage_account(p_person),
        'Недостаточно прав, чтобы выдать учётную запись этому человеку.');
    IF NOT EXISTS (SELECT FROM journal.person WHERE id = p_person) THEN
        RAISE EXCEPTION 'Человек не найден.' USING ERRCODE = 'no_data_found';
    END IF;
    IF p_login IS NULL OR p_login !~ '^[a-z][a-z0-9_.-]{2,62}$'
       OR p_login ~ '^(ej_|pg_)' OR p_login IN ('postgres', 'public') THEN
        RAISE EXCEPTION 'Логин «%» не подходит: латинские строчные буквы, цифры, точка, дефис, '
            'подчёркивание; от 3 до 63 символов; не начинается с ej_ или pg_.', p_login
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT login INTO v_existing FROM journal.account WHERE person_id = p_person;
    IF FOUND THEN
        RAISE EXCEPTION 'У этого человека уже есть учётная запись (логин «%»).', v_existing
            USING ERRCODE = 'unique_violation';
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = p_login)
       OR EXISTS (SELECT FROM journal.account WHERE login = p_login) THEN
        RAISE EXCEPTION 'Логин «%» уже занят; выберите другой.', p_login
            USING ERRCODE = 'unique_violation';
    END IF;
    PERFORM journal.check_verifier(p_verifier);

    EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION '
                   'NOBYPASSRLS INHERIT PASSWORD %L', p_login, p_verifier);
    EXECUTE format('GRANT ej_login TO %I', p_login) || journal.grant_clause();
    INSERT INTO journal.account (person_id, login, must_change_password, password_changed_at)
    VALUES (p_person, p_login, p_must_change, CASE WHEN NOT p_must_change THEN now() END);
    PERFORM journal.sync_login_roles(p_person);
    PERFORM journal.log_account_change(p_person, 'INSERT', NULL,
        jsonb_build_object('login', p_login, 'must_change_password', p_must_change));
END $$;

CREATE FUNCTION journal.reset_password(p_person bigint, p_verifier text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE a journal.account;
BEGIN
    PERFORM journal.require(journal.may_manage_account(p_person),
        'Недостаточно прав, чтобы сбросить пароль этого человека.');
    a := journal.account_of(p_person);
    PERFORM journal.check_verifier(p_verifier);
    EXECUTE format('ALTER ROLE %I PASSWORD %L', a.login, p_verifier);
    UPDATE journal.account SET must_change_password = true WHERE person_id = p_person;
    PERFORM journal.clear_lockout(a.login);
    -- A live session must not keep working (or set a password of its own) after a reset.
    PERFORM journal.end_sessions(a.login);
    PERFORM journal.log_account_change(p_person, 'UPDATE',
        jsonb_build_object('must_change_password', a.must_change_password),
        jsonb_build_object('must_change_password', true, 'password', 'сброшен'));
END $$;

CREATE FUNCTION journal.block_account(p_person bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE a journal.account;
BEGIN
    PERFORM journal.require(journal.caller_is_superuser() OR journal.is_admin(),
        'Блокировать учётные записи может только заведующий учебной частью.');
    a := journal.account_of(p_person);
    IF a.login = session_user::text THEN
        RAISE EXCEPTION 'Нельзя заблокировать собственную учётную запись.'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    EXECUTE format('ALTER ROLE %I NOLOGIN', a.login);
    UPDATE journal.account SET blocked = true WHERE person_id = p_person;
    PERFORM journal.end_sessions(a.login);
    PERFORM journal.log_account_change(p_person, 'UPDATE',
        jsonb_build_object('blocked', a.blocked), jsonb_build_object('blocked', true));
END $$;

CREATE FUNCTION journal.unblock_account(p_person bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE a journal.account;
BEGIN
    PERFORM journal.require(journal.caller_is_superuser() OR journal.is_admin(),
        'Разблокировать учётные записи может только заведующий учебной частью.');
    a := journal.account_of(p_person);
    EXECUTE format('ALTER ROLE %I LOGIN', a.login);
    UPDATE journal.account SET blocked = false WHERE person_id = p_person;
    PERFORM journal.clear_lockout(a.login);
    PERFORM journal.log_account_change(p_person, 'UPDATE',
        jsonb_build_object('blocked', a.blocked), jsonb_build_object('blocked', false));
END $$;

-- The only thing a session that must change its password can do.
CREATE FUNCTION journal.change_my_password(p_verifier text) RETURNS void
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
    UPDATE journal.account SET must_change_password = false, password_changed_at = now()
     WHERE person_id = a.person_id;
    PERFORM journal.log_account_change(a.person_id, 'UPDATE',
        jsonb_build_object('must_change_password', a.must_change_password),
        jsonb_build_object('must_change_password', false, 'password', 'сменён'));
END $$;

-- After person_role changed (the trigger below does it anyway; this repairs by hand).
CREATE FUNCTION journal.sync_account_roles(p_person bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
BEGIN
    PERFORM journal.require(journal.caller_is_superuser() OR journal.writes_all()
                            OR p_person = ANY (journal.my_curated_person_ids()),
        'Недостаточно прав для изменения ролей этой учётной записи.');
    PERFORM journal.sync_login_roles(p_person);
END $$;

CREATE FUNCTION journal.person_role_synced() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM journal.sync_login_roles(OLD.person_id);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM journal.sync_login_roles(NEW.person_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER person_role_synced AFTER INSERT OR UPDATE OR DELETE ON journal.person_role
    FOR EACH ROW EXECUTE FUNCTION journal.person_role_synced();

-- An account deleted with its person: its login role goes too (or at least cannot log in).
CREATE FUNCTION journal.account_dropped() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = OLD.login) THEN
        PERFORM journal.end_sessions(OLD.login);
        BEGIN
            EXECUTE format('DROP ROLE %I', OLD.login);
        EXCEPTION WHEN dependent_objects_still_exist OR insufficient_privilege THEN
            EXECUTE format('ALTER ROLE %I NOLOGIN', OLD.login);
        END;
    END IF;
    PERFORM journal.log_account_change(OLD.person_id, 'DELETE',
        jsonb_build_object('login', OLD.login), NULL);
    RETURN NULL;
END $$;
CREATE TRIGGER account_dropped AFTER DELETE ON journal.account
    FOR EACH ROW EXECUTE FUNCTION journal.account_dropped();

-- A curator (or the office, the admin) adds a parent of a student of their group.
CREATE FUNCTION journal.add_parent(p_student bigint, p_surname text, p_name text,
                                   p_patronymic text DEFAULT '', p_relation text DEFAULT 'мать',
                                   p_phone text DEFAULT NULL, p_email text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE v_id bigint;
BEGIN
    PERFORM journal.require(journal.caller_is_superuser() OR journal.writes_all()
                            OR p_student = ANY (journal.my_curated_student_ids()),
        'Добавлять родителей может куратор группы обучающегося или учебная часть.');
    INSERT INTO journal.person (surname, name, patronymic, phone, email)
    VALUES (p_surname, p_name, coalesce(p_patronymic, ''), p_phone, p_email)
    RETURNING id INTO v_id;
    INSERT INTO journal.person_role (person_id, role) VALUES (v_id, 'parent');
    INSERT INTO journal.guardian (parent_id, student_id, relation)
    VALUES (v_id, p_student, p_relation);
    RETURN v_id;
END $$;

DO $$
DECLARE
    f regprocedure;
    v_public text[] := ARRAY['create_account', 'reset_password', 'block_account',
        'unblock_account', 'change_my_password', 'sync_account_roles', 'add_parent'];
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
              WHERE p.pronamespace = 'journal'::regnamespace AND p.prosecdef
                AND p.proowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO ej_security', f);
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
        IF (SELECT proname FROM pg_proc WHERE oid = f) = ANY (v_public) THEN
            EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO ej_login', f);
        END IF;
    END LOOP;
END $$;
