-- 0016: a curator links, issues and resets only parents who are wholly theirs (issue 10,
-- item 2).
--
-- Before: a curator could link any parent of the college to a student of their group
-- (guardian INSERT), which made that parent "theirs" for journal.may_manage_account(); a
-- password reset then ended the parent's session and the curator logged in as the parent
-- and read another group's child's marks. The same worked without the trick for a parent of
-- the curator's group who also had a child in another group. And a curator could issue an
-- account without the forced password change.
--
-- Now a curator
--   * links (guardian INSERT/UPDATE) a student of their groups only to a parent who holds no
--     role but parent (or student), and all of whose children — and, if a student, they
--     themselves — are in the curator's groups (a parent with no child yet qualifies);
--   * creates and resets the accounts only of people of their groups who are wholly theirs in
--     the same sense (a student of their group; a parent all of whose children are there);
--   * issues accounts that always start with a forced password change.
-- Everything else stays with the office (links) and the admin (accounts).

SET LOCAL search_path = pg_catalog, journal;

-- p_person is "wholly mine" for curator p_me: only student/parent roles, every child in my
-- groups, in my groups if a student, and at least one of the two. Invoker rights; only the
-- definer helpers below call it.
CREATE FUNCTION journal._curator_owns(p_me bigint, p_roles text[], p_person bigint,
                                      p_childless_ok boolean) RETURNS boolean
LANGUAGE sql STABLE AS $$
    WITH mine AS (SELECT journal._curated_student_ids(p_me, p_roles) AS ids)
    SELECT 'curator' = ANY (p_roles)
       AND EXISTS (SELECT FROM journal.person_role r WHERE r.person_id = p_person)
       AND NOT EXISTS (SELECT FROM journal.person_role r
                        WHERE r.person_id = p_person AND r.role NOT IN ('student', 'parent'))
       AND NOT EXISTS (SELECT FROM journal.guardian g
                        WHERE g.parent_id = p_person AND NOT g.student_id = ANY (mine.ids))
       AND NOT EXISTS (SELECT FROM journal.student s
                        WHERE s.person_id = p_person AND NOT s.person_id = ANY (mine.ids))
       AND (p_childless_ok OR p_person = ANY (mine.ids)
            OR EXISTS (SELECT FROM journal.guardian g WHERE g.parent_id = p_person))
      FROM mine
$$;

-- Parents a curator may link to the students of their groups (see above).
CREATE FUNCTION journal._linkable_parent_ids(p_me bigint, p_roles text[]) RETURNS bigint[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(r.person_id), '{}') FROM journal.person_role r
     WHERE r.role = 'parent' AND 'curator' = ANY (p_roles)
       AND journal._curator_owns(p_me, p_roles, r.person_id, true)
$$;

CREATE FUNCTION journal.my_linkable_parent_ids() RETURNS bigint[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce((SELECT journal._linkable_parent_ids(m.person_id, m.roles)
                       FROM journal._me() m), '{}')
$$;

CREATE OR REPLACE FUNCTION journal.may_manage_account(p_person bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT journal.caller_is_superuser() OR journal.is_admin()
        OR coalesce((SELECT journal._curator_owns(m.person_id, m.roles, p_person, false)
                       FROM journal._me() m), false)
$$;

DROP POLICY guardian_insert ON journal.guardian;
DROP POLICY guardian_update ON journal.guardian;
CREATE POLICY guardian_insert ON journal.guardian FOR INSERT
    WITH CHECK ((SELECT journal.writes_all())
                OR (student_id = ANY ((SELECT journal.my_curated_student_ids())::bigint[])
                    AND parent_id = ANY ((SELECT journal.my_linkable_parent_ids())::bigint[])));
CREATE POLICY guardian_update ON journal.guardian FOR UPDATE
    USING ((SELECT journal.writes_all())
           OR student_id = ANY ((SELECT journal.my_curated_student_ids())::bigint[]))
    WITH CHECK ((SELECT journal.writes_all())
                OR (student_id = ANY ((SELECT journal.my_curated_student_ids())::bigint[])
                    AND parent_id = ANY ((SELECT journal.my_linkable_parent_ids())::bigint[])));

-- Accounts issued by anyone but the admin (or a superuser) start with a forced change.
CREATE OR REPLACE FUNCTION journal.create_account(p_person bigint, p_login text,
                                                  p_verifier text,
                                                  p_must_change boolean DEFAULT true)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE
    v_existing text;
    v_must boolean := coalesce(p_must_change, true)
                      OR NOT (journal.caller_is_superuser() OR journal.is_admin());
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
    VALUES (p_person, p_login, v_must, CASE WHEN NOT v_must THEN now() END);
    PERFORM journal.sync_login_roles(p_person);
    PERFORM journal.log_account_change(p_person, 'INSERT', NULL,
        jsonb_build_object('login', p_login, 'must_change_password', v_must));
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
        IF f.prosecdef AND f.proname NOT LIKE '\_%' THEN
            EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO ej_login, ej_owner', f.sig);
        END IF;
    END LOOP;
END $$;
