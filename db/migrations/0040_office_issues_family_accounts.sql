-- 0040: the office issues the accounts of students and parents (issue 11, item 12).
--
-- The office keeps the lists of students and parents (people "nonstaff", 0005) and now gives
-- them their accounts as well: create and reset the account of a person who holds no role but
-- student or parent. Staff accounts stay with the admin. Like a curator's, every account the
-- office creates starts with a forced password change (create_account, 0016: anyone but the
-- admin and a superuser). Blocking stays with the admin.

SET LOCAL search_path = pg_catalog, journal;

CREATE OR REPLACE FUNCTION journal.may_manage_account(p_person bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT journal.caller_is_superuser() OR journal.is_admin()
        OR coalesce((SELECT journal._curator_owns(m.person_id, m.roles, p_person, false)
                       FROM journal._me() m), false)
        OR (journal.has_any_role(ARRAY['office'])
            AND EXISTS (SELECT FROM journal.person_role r WHERE r.person_id = p_person)
            AND NOT EXISTS (SELECT FROM journal.person_role r WHERE r.person_id = p_person
                             AND r.role NOT IN ('student', 'parent')))
$$;

ALTER FUNCTION journal.may_manage_account(bigint) OWNER TO ej_security;
REVOKE EXECUTE ON FUNCTION journal.may_manage_account(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION journal.may_manage_account(bigint) TO ej_login, ej_owner;
