-- 0018: who taught a lesson, who examines, who holds a load: staff with the teacher role
-- (issue 10, item 8).
--
-- Before: a teacher could `UPDATE journal.lesson SET taught_by = <any person>` on their own
-- lessons — a student of another group included — and their students then read that
-- person's name as their teacher; statement.examiner_id accepted anyone as well.
--
-- Now lesson.taught_by, statement.examiner_id and teaching_load.teacher_id accept only a
-- person holding the teacher role, for every writer. Checked once per statement, as
-- ej_security (the check reveals nothing and must see person_role whole); on UPDATE only the
-- rows whose value changed are checked, so a lesson of a teacher who has since left can
-- still be corrected.

SET LOCAL search_path = pg_catalog, journal;

CREATE FUNCTION journal.check_teaching_staff() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE
    v_column text := TG_ARGV[0];
    v_bad bigint;
BEGIN
    IF TG_OP = 'INSERT' THEN
        EXECUTE format('SELECT n.%1$I FROM new_rows n WHERE n.%1$I IS NOT NULL AND NOT EXISTS ('
                       'SELECT FROM journal.person_role r WHERE r.person_id = n.%1$I '
                       'AND r.role = ''teacher'') LIMIT 1', v_column) INTO v_bad;
    ELSE
        EXECUTE format('SELECT n.%1$I FROM new_rows n JOIN old_rows o USING (id) '
                       'WHERE n.%1$I IS DISTINCT FROM o.%1$I AND n.%1$I IS NOT NULL '
                       'AND NOT EXISTS (SELECT FROM journal.person_role r '
                       'WHERE r.person_id = n.%1$I AND r.role = ''teacher'') LIMIT 1', v_column)
            INTO v_bad;
    END IF;
    IF v_bad IS NOT NULL THEN
        RAISE EXCEPTION '%', CASE TG_TABLE_NAME
            WHEN 'lesson' THEN 'Провести занятие может только сотрудник с ролью «преподаватель».'
            WHEN 'statement' THEN 'Экзаменатором может быть только сотрудник с ролью «преподаватель».'
            ELSE 'Нагрузку ведёт только сотрудник с ролью «преподаватель».' END
            USING ERRCODE = 'check_violation', DETAIL = format('Человек № %s.', v_bad);
    END IF;
    RETURN NULL;
END $$;

DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES ('lesson', 'taught_by'), ('statement', 'examiner_id'),
                                   ('teaching_load', 'teacher_id')) v(tab, col) LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON journal.%I REFERENCING NEW TABLE AS '
            'new_rows FOR EACH STATEMENT EXECUTE FUNCTION journal.check_teaching_staff(%L)',
            t.tab || '_staff_ins', t.tab, t.col);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON journal.%I REFERENCING OLD TABLE AS '
            'old_rows NEW TABLE AS new_rows FOR EACH STATEMENT '
            'EXECUTE FUNCTION journal.check_teaching_staff(%L)', t.tab || '_staff_upd', t.tab,
            t.col);
    END LOOP;
END $$;

ALTER FUNCTION journal.check_teaching_staff() OWNER TO ej_security;
REVOKE EXECUTE ON FUNCTION journal.check_teaching_staff() FROM PUBLIC;
