-- 0003: roles and grants (R13). See docs/security.md.
--
-- Roles are cluster-wide and several databases may share one cluster (tests, archive), so
-- every role statement is idempotent and checks what it finds: a role that exists with
-- other attributes is brought back to the ones below, never trusted as it is.
--
-- ej_login           every person's login role is a member: CONNECT, USAGE on journal, SELECT.
-- ej_admin … ej_student  one group per kind of user (mirrors journal.person_role.role); table
--                    privileges per command; row-level security narrows them to rows.
-- ej_security        NOLOGIN, BYPASSRLS, CREATEROLE: owns the SECURITY DEFINER functions
--                    (identity helpers, accounts, history, locks, login guard). Nobody is a
--                    member of it; it acts only through its functions, each checking the caller.
-- ej_backup          LOGIN, BYPASSRLS, not superuser, read-only: pg_dump. Its password is set
--                    by the installation, not here.

DO $$
DECLARE
    v_role text;
    v_groups text[] := ARRAY['ej_login', 'ej_admin', 'ej_director', 'ej_deputy', 'ej_office',
        'ej_methodologist', 'ej_teacher', 'ej_curator', 'ej_support', 'ej_parent', 'ej_student'];
    v_pg16 boolean := current_setting('server_version_num')::int >= 160000;
BEGIN
    FOREACH v_role IN ARRAY v_groups || ARRAY['ej_security'] LOOP
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = v_role) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', v_role);
        END IF;
        EXECUTE format('ALTER ROLE %I NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION '
                       'NOBYPASSRLS INHERIT PASSWORD NULL', v_role);
    END LOOP;
    ALTER ROLE ej_security BYPASSRLS CREATEROLE;
    -- A group role is a member of nothing, and nobody is a member of ej_security. (ej_security
    -- itself holds ADMIN on the groups and on every login role it created: PostgreSQL 16+
    -- grants the creator of a role ADMIN on it.)
    IF EXISTS (SELECT FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member
                 JOIN pg_roles g ON g.oid = m.roleid
                WHERE r.rolname = ANY (v_groups) OR g.rolname = 'ej_security') THEN
        RAISE EXCEPTION 'Роли ej_* связаны с посторонними ролями кластера: проверьте их.';
    END IF;

    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ej_backup') THEN
        CREATE ROLE ej_backup LOGIN;
    END IF;
    ALTER ROLE ej_backup LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION BYPASSRLS;

    -- ej_security manages the group roles (ADMIN) without holding their privileges.
    FOREACH v_role IN ARRAY v_groups LOOP
        IF v_pg16 THEN
            EXECUTE format('GRANT %I TO ej_security WITH ADMIN TRUE, INHERIT FALSE, SET FALSE',
                           v_role);
        ELSE
            EXECUTE format('GRANT %I TO ej_security WITH ADMIN OPTION', v_role);
        END IF;
    END LOOP;
    -- To end the sessions of a blocked account.
    GRANT pg_signal_backend TO ej_security;

    -- Only members of ej_login (and the backup role) may connect to this database.
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO ej_login', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO ej_backup', current_database());
END $$;

REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA journal TO ej_login, ej_backup, ej_security;

-- Functions: nobody executes them unless granted. Functions ej_owner creates later in journal
-- (invoker-rights helpers, triggers) are for ej_login; a SECURITY DEFINER one must still
-- check its caller itself.
ALTER DEFAULT PRIVILEGES FOR ROLE ej_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE ej_owner IN SCHEMA journal GRANT EXECUTE ON FUNCTIONS TO ej_login;
ALTER DEFAULT PRIVILEGES FOR ROLE ej_security REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA journal FROM PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA journal TO ej_login;

-- The backup role and the security role read everything (both bypass RLS).
GRANT SELECT ON ALL TABLES IN SCHEMA journal TO ej_backup, ej_security;
GRANT SELECT ON ALL SEQUENCES IN SCHEMA journal TO ej_backup;
GRANT SELECT ON public.ejournal_migration TO ej_backup, ej_login;
ALTER DEFAULT PRIVILEGES FOR ROLE ej_owner IN SCHEMA journal
    GRANT SELECT ON TABLES TO ej_backup, ej_security;
ALTER DEFAULT PRIVILEGES FOR ROLE ej_owner IN SCHEMA journal
    GRANT SELECT ON SEQUENCES TO ej_backup;

-- Reading: every table is readable by ej_login; policies (0005) pick the rows. Personal
-- columns of person are for staff only: students and parents read names.
GRANT SELECT ON journal.setting, journal.person_role, journal.staff, journal.account,
    journal.login_event, journal.academic_year, journal.period, journal.holiday, journal.bell,
    journal.specialty, journal.curriculum, journal.discipline, journal.curriculum_item,
    journal.study_group, journal.subgroup, journal.student, journal.guardian,
    journal.teaching_load, journal.lesson_type, journal.work_kind, journal.ktp_topic,
    journal.timetable_slot, journal.lesson, journal.attendance, journal.mark, journal.statement,
    journal.statement_mark, journal.final_mark, journal.thread, journal.thread_member,
    journal.message, journal.change_log
    TO ej_login;
GRANT SELECT (id, surname, name, patronymic) ON journal.person TO ej_login;
GRANT SELECT ON journal.person TO ej_admin, ej_director, ej_deputy, ej_office, ej_methodologist,
    ej_teacher, ej_curator, ej_support;

-- Setup data: the admin only. Closing columns (closed_at, archived_at) only through functions.
GRANT INSERT, UPDATE, DELETE ON journal.setting, journal.holiday, journal.bell,
    journal.specialty, journal.curriculum, journal.discipline, journal.curriculum_item,
    journal.study_group, journal.subgroup, journal.teaching_load, journal.lesson_type,
    journal.work_kind, journal.timetable_slot, journal.staff
    TO ej_admin;
GRANT INSERT (title, starts_on, ends_on), UPDATE (title, starts_on, ends_on), DELETE
    ON journal.academic_year TO ej_admin;
GRANT INSERT (year_id, number, title, starts_on, ends_on),
      UPDATE (year_id, number, title, starts_on, ends_on), DELETE
    ON journal.period TO ej_admin;

-- People and student lists: admin and office; curators keep contact data of their group.
GRANT INSERT (surname, name, patronymic, birth_date, phone, email),
      UPDATE (surname, name, patronymic, birth_date, phone, email)
    ON journal.person TO ej_admin, ej_office;
GRANT UPDATE (phone, email) ON journal.person TO ej_curator;
GRANT DELETE ON journal.person TO ej_admin;
GRANT INSERT, DELETE ON journal.person_role TO ej_admin, ej_office;
GRANT INSERT, UPDATE, DELETE ON journal.student TO ej_admin, ej_office;
GRANT INSERT, UPDATE, DELETE ON journal.guardian TO ej_admin, ej_office, ej_curator;

-- The journal itself.
GRANT INSERT, UPDATE, DELETE ON journal.ktp_topic TO ej_admin, ej_teacher;
GRANT INSERT, UPDATE, DELETE ON journal.lesson TO ej_admin, ej_office, ej_teacher;
GRANT INSERT ON journal.lesson TO ej_curator;
GRANT INSERT, UPDATE, DELETE ON journal.attendance TO ej_admin, ej_office, ej_teacher, ej_curator;
GRANT INSERT, UPDATE, DELETE ON journal.mark, journal.statement_mark, journal.final_mark
    TO ej_admin, ej_office, ej_teacher;
GRANT INSERT (load_id, form, number, held_on, examiner_id),
      UPDATE (form, number, held_on, examiner_id), DELETE
    ON journal.statement TO ej_admin, ej_office, ej_teacher;

-- Correspondence (policies decide who may write to whom).
GRANT INSERT ON journal.thread, journal.thread_member, journal.message TO ej_login;
GRANT UPDATE (last_read_at), DELETE ON journal.thread_member TO ej_login;

-- account, login_event and change_log: no write privilege for anyone; only ej_security's
-- functions write them.
GRANT INSERT, UPDATE ON journal.account TO ej_security;
GRANT INSERT ON journal.login_event, journal.change_log TO ej_security;
GRANT UPDATE (closed_at, closed_by) ON journal.period, journal.statement TO ej_security;
GRANT UPDATE (archived_at, archived_by) ON journal.academic_year TO ej_security;
GRANT INSERT (surname, name, patronymic, phone, email) ON journal.person TO ej_security;
GRANT INSERT ON journal.person_role, journal.guardian TO ej_security;
