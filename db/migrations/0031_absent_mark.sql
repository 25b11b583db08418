-- 0031: one rule for a mark on an absent student (issue 11): the absence stays and the mark
-- is refused (docs/saving.md). The program refuses it before saving; the database refuses a
-- mark written where the attendance of the same lesson is НН or НУ, whoever writes it and
-- however. Marks already there stay (the rule checks writes). The attendance is never changed
-- by a mark: a student who was there after all gets П first. (An absence typed over a mark is
-- refused by the journal page; the database does not refuse it, so that attendance taken by
-- the curator, who does not see marks, is never lost — the page then shows «НН/5».)

SET LOCAL search_path = pg_catalog, journal;

CREATE FUNCTION journal.check_marks_not_absent() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE v_who text; v_code text; v_day date;
BEGIN
    SELECT concat_ws(' ', p.surname, p.name), a.code, l.lesson_date INTO v_who, v_code, v_day
      FROM new_rows n
      JOIN journal.attendance a ON a.lesson_id = n.lesson_id AND a.student_id = n.student_id
      JOIN journal.lesson l ON l.id = n.lesson_id
      JOIN journal.person p ON p.id = n.student_id
     WHERE a.code <> 'П'
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION '% отмечен % на занятии %: отсутствующему отметку не ставят. Если обучающийся был, сначала исправьте посещаемость (п).',
            v_who, v_code, to_char(v_day, 'DD.MM.YYYY') USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;
ALTER FUNCTION journal.check_marks_not_absent() OWNER TO ej_security;
REVOKE EXECUTE ON FUNCTION journal.check_marks_not_absent() FROM PUBLIC;

CREATE TRIGGER mark_not_absent_ins AFTER INSERT ON journal.mark REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION journal.check_marks_not_absent();
CREATE TRIGGER mark_not_absent_upd AFTER UPDATE ON journal.mark REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION journal.check_marks_not_absent();

