-- Students inserted many at a time (the import of the office's sheets, issue 13) get their
-- enrolments in one statement instead of one trigger cascade per row.
--
-- Before: AFTER INSERT ... FOR EACH ROW student_enrolment → movements_from_student(NEW) →
-- one INSERT into student_movement per student, whose BEFORE trigger checked the movement
-- against the student's last one and whose AFTER trigger UPDATEd the student back (and fired
-- the student's statement-level history trigger once per row): ~1.8 ms a student.
--
-- Now: a statement-level trigger with the inserted rows as a transition table. A student
-- inserted as studying (status «обучается», no left_on, no movement yet) gets its enrolment
-- in one INSERT ... SELECT; for exactly these rows the per-row check cannot refuse (no earlier
-- movement: the state is «не зачислен», an enrolment is allowed) and the sync changes nothing
-- (the state after an enrolment alone is studying in that group, which the row already says;
-- the catalogue history records only changed rows), so the two row triggers are skipped for
-- this one statement: the function raises a transaction-local flag around it and the
-- triggers' WHEN asks for both the flag and a trigger depth above zero — a person who sets
-- the flag by hand still has every movement they insert themselves checked (depth 0), and the
-- function lowers the flag before anything else. Any other new student (inserted as expelled,
-- graduated or on leave) goes through movements_from_student as before, checks included.
-- Equivalence: tests/db/test_bulk_enrolment.py.

CREATE FUNCTION journal.student_enrolments() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE
    r journal.student;
BEGIN
    PERFORM set_config('journal.bulk_enrolment', 'on', true);
    INSERT INTO journal.student_movement (student_id, kind, on_date, group_id, reason,
                                          recorded_at, recorded_by)
    SELECT n.person_id, 'зачисление', n.enrolled_on, n.group_id, 'по данным карточки обучающегося',
           now(), session_user
      FROM new_rows n
     WHERE n.status = 'обучается' AND n.left_on IS NULL
       AND NOT EXISTS (SELECT FROM journal.student_movement m WHERE m.student_id = n.person_id)
     ORDER BY n.person_id;
    PERFORM set_config('journal.bulk_enrolment', '', true);
    FOR r IN SELECT * FROM new_rows n
              WHERE NOT (n.status = 'обучается' AND n.left_on IS NULL) ORDER BY n.person_id LOOP
        PERFORM journal.movements_from_student(r);
    END LOOP;
    RETURN NULL;
END $$;
ALTER FUNCTION journal.student_enrolments() OWNER TO ej_security;
REVOKE EXECUTE ON FUNCTION journal.student_enrolments() FROM PUBLIC;

DROP TRIGGER student_enrolment ON journal.student;
CREATE TRIGGER student_enrolment AFTER INSERT ON journal.student
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION journal.student_enrolments();

DROP TRIGGER student_movement_check ON journal.student_movement;
CREATE TRIGGER student_movement_check BEFORE INSERT ON journal.student_movement
    FOR EACH ROW
    WHEN (pg_trigger_depth() = 0
          OR current_setting('journal.bulk_enrolment', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION journal.check_student_movement();

DROP TRIGGER student_movement_sync ON journal.student_movement;
CREATE TRIGGER student_movement_sync AFTER INSERT ON journal.student_movement
    FOR EACH ROW
    WHEN (pg_trigger_depth() = 0
          OR current_setting('journal.bulk_enrolment', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION journal.sync_student_from_movements();
