-- «Емельянов Г. М.» instead of «emelianov.gm» in the history of a cell (F3): the history
-- records who changed a value by login, and a teacher may read staff members' names but not
-- their accounts. This function gives staff the short names of staff logins, nothing more:
-- for a login of a student or parent, or when the caller is not staff, no row.
CREATE FUNCTION journal.staff_names(p_logins text[])
RETURNS TABLE (login text, short_name text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT a.login,
           concat_ws(' ', p.surname, left(p.name, 1) || '.', nullif(left(p.patronymic, 1), '') || '.')
      FROM journal.account a JOIN journal.person p ON p.id = a.person_id
     WHERE a.login = ANY (p_logins) AND p.id = ANY ((SELECT journal.staff_ids())::bigint[])
$$;
ALTER FUNCTION journal.staff_names(text[]) OWNER TO ej_security;
REVOKE EXECUTE ON FUNCTION journal.staff_names(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION journal.staff_names(text[]) TO ej_login;
