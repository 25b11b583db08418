-- A student transferred out of a group stays on that group's statements (as on its journal
-- pages, 0032): a mark of a statement dated before the transfer is accepted, as for any
-- member of the group; one dated on or after the transfer stays refused by
-- journal.check_rows_studying (0030) with «переведён».
CREATE OR REPLACE FUNCTION journal.check_statement_rows_in_load() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE v_student bigint;
BEGIN
    SELECT n.student_id INTO v_student FROM new_rows n
      JOIN journal.statement st ON st.id = n.statement_id
     WHERE NOT EXISTS (
        SELECT FROM journal.teaching_load t JOIN journal.student s ON s.group_id = t.group_id
         WHERE t.id = st.load_id AND s.person_id = n.student_id
           AND (t.subgroup_id IS NULL OR s.subgroup_id = t.subgroup_id))
       AND NOT EXISTS (
        SELECT FROM journal.teaching_load t JOIN journal.student_movement m ON m.group_id = t.group_id
          JOIN journal.student s ON s.person_id = m.student_id AND s.group_id <> t.group_id
         WHERE t.id = st.load_id AND m.student_id = n.student_id)
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'Обучающийся % не входит в группу (подгруппу) этой ведомости.', v_student
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;
