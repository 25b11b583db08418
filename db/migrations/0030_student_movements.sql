-- 0030: a student's movements over time (issue 11): enrolment, academic leave (from–to),
-- return, transfer to another group, expulsion, graduation — each on a date, with the order
-- number and the reason, who recorded it and when.
--
-- Before: journal.student had only a current status and enrolled_on/left_on, so `*` («все
-- были») marked a student on academic leave present and the database took any mark for them.
-- Now:
--   * journal.student_movement is the history (append-only: corrected by a new movement);
--   * journal.study_state(student, group, day) says why a student does not study in a group
--     on a day (NULL when they do) and journal.studies_in(...) the same as a boolean;
--   * marks, attendance and statement marks of a student who does not study in the load's
--     group on the lesson's date (the statement's date, else today) are refused with a Russian
--     message (23514); rows written before a movement was recorded stay;
--   * journal.student's status, group and left_on follow the movements (a trigger), and a
--     student row created without movements (an import) gets its enrolment (and its exit, when
--     created as expelled/graduated/on leave).
-- Who records: the office and the admin any movement; a group's curator the academic leave
-- and the return of their group's students (regulation 3.3: the curator keeps the students'
-- data current). Enrolment, transfer, expulsion and graduation change group lists by the
-- director's order and stay with the office.

SET LOCAL search_path = pg_catalog, journal;

SET LOCAL ROLE ej_owner;
CREATE TABLE journal.student_movement (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    student_id   bigint NOT NULL REFERENCES journal.student ON DELETE CASCADE,
    kind         text NOT NULL CHECK (kind IN ('зачисление', 'академический отпуск',
                     'выход из отпуска', 'перевод', 'отчисление', 'выпуск')),
    on_date      date NOT NULL,
    until_on     date,
    group_id     integer NOT NULL REFERENCES journal.study_group,
    order_no     text NOT NULL DEFAULT '',
    reason       text NOT NULL DEFAULT '',
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    recorded_by  text NOT NULL DEFAULT session_user,
    CHECK (until_on IS NULL OR (kind = 'академический отпуск' AND until_on >= on_date))
);
CREATE INDEX student_movement_student_idx ON journal.student_movement (student_id, on_date, id);
CREATE INDEX student_movement_group_idx ON journal.student_movement (group_id);
ALTER TABLE journal.student_movement ENABLE ROW LEVEL SECURITY;
ALTER TABLE journal.student_movement FORCE ROW LEVEL SECURITY;

-- Why the student does not study in the group on the day; NULL when they do. The latest
-- movement on or before the day decides; none before the day means not yet enrolled. A
-- student with no movements at all (rows loaded with triggers off) is judged by the card.
CREATE FUNCTION journal.study_state(p_student bigint, p_group integer, p_day date) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN m.kind IS NULL AND NOT EXISTS (SELECT FROM journal.student_movement a
                                             WHERE a.student_id = p_student) THEN
            (SELECT CASE WHEN s.group_id <> p_group OR p_day < s.enrolled_on THEN 'не зачислен'
                         WHEN s.status = 'академический отпуск' THEN 'академический отпуск'
                         WHEN s.left_on IS NOT NULL AND p_day > s.left_on
                             THEN CASE s.status WHEN 'выпущен' THEN 'выпущен' ELSE 'отчислен' END
                    END
               FROM journal.student s WHERE s.person_id = p_student)
        WHEN m.kind IS NULL THEN 'не зачислен'
        WHEN m.kind = 'отчисление' THEN 'отчислен'
        WHEN m.kind = 'выпуск' THEN 'выпущен'
        WHEN m.kind = 'академический отпуск' AND (m.until_on IS NULL OR p_day <= m.until_on)
            THEN 'академический отпуск'
        WHEN m.group_id = p_group THEN NULL
        WHEN EXISTS (SELECT FROM journal.student_movement e
                      WHERE e.student_id = p_student AND e.group_id = p_group
                        AND e.on_date <= p_day) THEN 'переведён'
        ELSE 'не зачислен' END
      FROM (SELECT 1) one
      LEFT JOIN LATERAL (SELECT x.kind, x.group_id, x.until_on FROM journal.student_movement x
                          WHERE x.student_id = p_student AND x.on_date <= p_day
                          ORDER BY x.on_date DESC, x.id DESC LIMIT 1) m ON true
$$;

CREATE FUNCTION journal.studies_in(p_student bigint, p_group integer, p_day date) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT journal.study_state(p_student, p_group, p_day) IS NULL
$$;
RESET ROLE;

GRANT SELECT ON journal.student_movement TO ej_login;
GRANT INSERT (student_id, kind, on_date, until_on, group_id, order_no, reason)
    ON journal.student_movement TO ej_admin, ej_office, ej_curator;
GRANT INSERT ON journal.student_movement TO ej_security;
GRANT EXECUTE ON FUNCTION journal.study_state(bigint, integer, date),
    journal.studies_in(bigint, integer, date) TO ej_login, ej_security;
GRANT UPDATE (status, group_id, subgroup_id, left_on) ON journal.student TO ej_security;

-- Visible with the student's row (the student's own policies decide).
CREATE POLICY student_movement_select ON journal.student_movement FOR SELECT
    USING ((SELECT journal.reads_all_marks())
           OR EXISTS (SELECT FROM journal.student s WHERE s.person_id = student_id));
CREATE POLICY student_movement_insert ON journal.student_movement FOR INSERT
    WITH CHECK ((SELECT journal.writes_all())
                OR (kind IN ('академический отпуск', 'выход из отпуска')
                    AND student_id = ANY ((SELECT journal.my_curated_student_ids())::bigint[])
                    AND group_id = ANY ((SELECT journal.my_curated_group_ids())::int[])));

-- A movement must make sense after the student's latest one; who and when are stamped.
CREATE FUNCTION journal.check_student_movement() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE
    v_last journal.student_movement;
    v_state text;
BEGIN
    NEW.recorded_at := now();
    NEW.recorded_by := session_user;
    SELECT * INTO v_last FROM journal.student_movement
     WHERE student_id = NEW.student_id ORDER BY on_date DESC, id DESC LIMIT 1;
    IF FOUND AND NEW.on_date < v_last.on_date THEN
        RAISE EXCEPTION 'Движение на % раньше последнего («%» от %): записывайте движения по порядку дат.',
            to_char(NEW.on_date, 'DD.MM.YYYY'), v_last.kind, to_char(v_last.on_date, 'DD.MM.YYYY')
            USING ERRCODE = 'check_violation';
    END IF;
    v_state := CASE WHEN FOUND THEN journal.study_state(NEW.student_id, v_last.group_id, NEW.on_date)
                    ELSE 'не зачислен' END;
    IF NEW.kind = 'зачисление' AND v_state IS NULL THEN
        RAISE EXCEPTION 'Обучающийся уже обучается на %: зачисление не нужно.',
            to_char(NEW.on_date, 'DD.MM.YYYY') USING ERRCODE = 'check_violation';
    ELSIF NEW.kind = 'выход из отпуска' AND v_state IS DISTINCT FROM 'академический отпуск' THEN
        RAISE EXCEPTION 'На % обучающийся не в академическом отпуске: выход из отпуска не нужен.',
            to_char(NEW.on_date, 'DD.MM.YYYY') USING ERRCODE = 'check_violation';
    ELSIF NEW.kind IN ('академический отпуск', 'перевод', 'отчисление', 'выпуск')
          AND v_state IS NOT NULL THEN
        RAISE EXCEPTION 'На % обучающийся не обучается (%): сначала запишите зачисление или выход из отпуска.',
            to_char(NEW.on_date, 'DD.MM.YYYY'), v_state USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.kind = 'перевод' AND NEW.group_id = v_last.group_id THEN
        RAISE EXCEPTION 'Перевод в ту же группу: выберите другую группу.'
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.kind NOT IN ('зачисление', 'перевод') AND FOUND THEN
        NEW.group_id := v_last.group_id;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER student_movement_check BEFORE INSERT ON journal.student_movement
    FOR EACH ROW EXECUTE FUNCTION journal.check_student_movement();

-- journal.student follows the movements as of today: status, group (a transfer), left_on.
CREATE FUNCTION journal.sync_student_from_movements() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE
    v_last journal.student_movement;
    v_state text;
BEGIN
    SELECT * INTO v_last FROM journal.student_movement
     WHERE student_id = NEW.student_id AND on_date <= current_date
     ORDER BY on_date DESC, id DESC LIMIT 1;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    v_state := journal.study_state(NEW.student_id, v_last.group_id, current_date);
    UPDATE journal.student s
       SET status = CASE v_state WHEN 'академический отпуск' THEN 'академический отпуск'
                                 WHEN 'отчислен' THEN 'отчислен' WHEN 'выпущен' THEN 'выпущен'
                                 ELSE 'обучается' END,
           left_on = CASE WHEN v_state IN ('отчислен', 'выпущен') THEN v_last.on_date END,
           group_id = v_last.group_id,
           subgroup_id = CASE WHEN s.group_id = v_last.group_id THEN s.subgroup_id END
     WHERE s.person_id = NEW.student_id;
    RETURN NULL;
END $$;
CREATE TRIGGER student_movement_sync AFTER INSERT ON journal.student_movement
    FOR EACH ROW EXECUTE FUNCTION journal.sync_student_from_movements();

-- A student row created without movements (an import, a script) gets its enrolment, and its
-- exit or leave when created so; the same fills the movements of the students already there.
CREATE FUNCTION journal.movements_from_student(p_student journal.student) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
BEGIN
    IF EXISTS (SELECT FROM journal.student_movement WHERE student_id = p_student.person_id) THEN
        RETURN;
    END IF;
    INSERT INTO journal.student_movement (student_id, kind, on_date, group_id, reason)
    VALUES (p_student.person_id, 'зачисление', p_student.enrolled_on, p_student.group_id,
            'по данным карточки обучающегося');
    IF p_student.status <> 'обучается' THEN
        INSERT INTO journal.student_movement (student_id, kind, on_date, group_id, reason)
        VALUES (p_student.person_id,
                CASE p_student.status WHEN 'отчислен' THEN 'отчисление'
                     WHEN 'выпущен' THEN 'выпуск' ELSE 'академический отпуск' END,
                greatest(coalesce(p_student.left_on, p_student.enrolled_on), p_student.enrolled_on),
                p_student.group_id, 'по данным карточки обучающегося');
    END IF;
END $$;

CREATE FUNCTION journal.student_enrolment() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
BEGIN
    PERFORM journal.movements_from_student(NEW);
    RETURN NULL;
END $$;
CREATE TRIGGER student_enrolment AFTER INSERT ON journal.student
    FOR EACH ROW EXECUTE FUNCTION journal.student_enrolment();

-- Marks, attendance, statement marks: only of students studying in the group that day.
CREATE FUNCTION journal.check_rows_studying() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE
    v_student bigint; v_group integer; v_day date; v_state text; v_who text; v_group_name text;
BEGIN
    IF TG_TABLE_NAME = 'statement_mark' THEN
        SELECT x.student_id, x.group_id, x.day, x.state
          INTO v_student, v_group, v_day, v_state
          FROM (SELECT n.student_id, t.group_id, coalesce(st.held_on, current_date) AS day,
                       journal.study_state(n.student_id, t.group_id,
                                           coalesce(st.held_on, current_date)) AS state
                  FROM new_rows n JOIN journal.statement st ON st.id = n.statement_id
                  JOIN journal.teaching_load t ON t.id = st.load_id) x
         WHERE x.state IS NOT NULL LIMIT 1;
    ELSE
        SELECT x.student_id, x.group_id, x.day, x.state
          INTO v_student, v_group, v_day, v_state
          FROM (SELECT n.student_id, t.group_id, l.lesson_date AS day,
                       journal.study_state(n.student_id, t.group_id, l.lesson_date) AS state
                  FROM new_rows n JOIN journal.lesson l ON l.id = n.lesson_id
                  JOIN journal.teaching_load t ON t.id = l.load_id) x
         WHERE x.state IS NOT NULL LIMIT 1;
    END IF;
    IF v_student IS NOT NULL THEN
        SELECT concat_ws(' ', p.surname, p.name) INTO v_who FROM journal.person p
         WHERE p.id = v_student;
        SELECT g.name INTO v_group_name FROM journal.study_group g WHERE g.id = v_group;
        RAISE EXCEPTION '% не обучается в группе % на % (%): отметки и посещаемость на эту дату не ставятся.',
            v_who, v_group_name, to_char(v_day, 'DD.MM.YYYY'), v_state
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;

ALTER FUNCTION journal.check_student_movement() OWNER TO ej_security;
ALTER FUNCTION journal.sync_student_from_movements() OWNER TO ej_security;
ALTER FUNCTION journal.movements_from_student(journal.student) OWNER TO ej_security;
ALTER FUNCTION journal.student_enrolment() OWNER TO ej_security;
ALTER FUNCTION journal.check_rows_studying() OWNER TO ej_security;
REVOKE EXECUTE ON FUNCTION journal.check_student_movement() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION journal.sync_student_from_movements() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION journal.movements_from_student(journal.student) FROM PUBLIC, ej_login;
REVOKE EXECUTE ON FUNCTION journal.student_enrolment() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION journal.check_rows_studying() FROM PUBLIC;

DO $$
DECLARE v_table text;
BEGIN
    FOREACH v_table IN ARRAY ARRAY['mark', 'attendance', 'statement_mark'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON journal.%I REFERENCING NEW TABLE AS '
            'new_rows FOR EACH STATEMENT EXECUTE FUNCTION journal.check_rows_studying()',
            v_table || '_studying_ins', v_table);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON journal.%I REFERENCING NEW TABLE AS '
            'new_rows FOR EACH STATEMENT EXECUTE FUNCTION journal.check_rows_studying()',
            v_table || '_studying_upd', v_table);
    END LOOP;
END $$;

-- The students already there: their enrolment (and exit or leave) from their cards.
SELECT journal.movements_from_student(s) FROM journal.student s ORDER BY s.person_id;
