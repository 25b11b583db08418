-- A student transferred out of a group keeps their row on that group's journal pages: the
-- regulation keeps the marks they got there. The group's teachers (and substitutes) and its
-- curator still read that student's row, name and movements while the year is not archived;
-- marks after the transfer date stay refused (journal.check_rows_studying, 0030).

-- Students who were once in a group I teach or curate and are in another group now.
CREATE FUNCTION journal.my_former_student_ids() RETURNS bigint[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce(array_agg(DISTINCT m.student_id), '{}')
      FROM journal.student_movement m JOIN journal.student s ON s.person_id = m.student_id
     WHERE s.group_id <> m.group_id
       AND m.group_id = ANY (journal.my_taught_group_ids() || journal.my_curated_group_ids())
$$;
ALTER FUNCTION journal.my_former_student_ids() OWNER TO ej_security;
REVOKE EXECUTE ON FUNCTION journal.my_former_student_ids() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION journal.my_former_student_ids() TO ej_login, ej_owner;

CREATE POLICY student_select_former ON journal.student FOR SELECT
    USING (person_id = ANY ((SELECT journal.my_former_student_ids())::bigint[]));
CREATE POLICY person_select_former ON journal.person FOR SELECT
    USING (id = ANY ((SELECT journal.my_former_student_ids())::bigint[]));

-- Marks and attendance of a former member of the group (a movement names the group) pass the
-- membership check; the dates they studied on are checked by journal.check_rows_studying
-- (0030), which refuses the lessons after the transfer with «переведён». Corrections of the
-- marks they got before it stay possible, as for any student (with history).
CREATE OR REPLACE FUNCTION journal.check_rows_in_load() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE v_student bigint;
BEGIN
    SELECT n.student_id INTO v_student FROM new_rows n
     WHERE NOT EXISTS (
        SELECT FROM journal.teaching_load t JOIN journal.student s ON s.group_id = t.group_id
         WHERE t.id = n.load_id AND s.person_id = n.student_id
           AND (t.subgroup_id IS NULL OR s.subgroup_id = t.subgroup_id))
       AND NOT EXISTS (
        SELECT FROM journal.teaching_load t JOIN journal.student_movement m ON m.group_id = t.group_id
          JOIN journal.student s ON s.person_id = m.student_id AND s.group_id <> t.group_id
         WHERE t.id = n.load_id AND m.student_id = n.student_id)
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'Обучающийся % не входит в группу (подгруппу) этого журнала.', v_student
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;
