-- 0017: handing a teaching load to another teacher (issue 10, item 3).
--
-- Before: after `UPDATE teaching_load SET teacher_id = …` the lessons recorded as taught by
-- the old teacher stayed theirs exactly as a substitute's (R17): they kept writing marks and
-- attendance there, and a lesson they had created in advance, dated in the future, stayed
-- theirs to fill. There was no admin function for it.
--
-- Now every change of teaching_load.teacher_id — through journal.reassign_load() or a plain
-- UPDATE by the admin — is a handover, done by a trigger in the same transaction:
--   * a journal.load_handover row (who, to whom, from which date, when, by whom, why);
--   * the load's lessons from that date on (default: tomorrow) recorded as taught by the old
--     teacher move to the new one, and so does the examiner of its open statements;
--   * a change_log row for the load (the lessons' own rows are recorded by 0007);
--   * the new teacher must hold the teacher role.
-- The old teacher keeps read-only access to the lessons they taught before that date (with
-- their marks, attendance and history): journal.my_past_lesson_ids(). Lessons of other
-- people's loads they taught as a substitute stay writable as before (R17).

SET LOCAL search_path = pg_catalog, journal;

SET LOCAL ROLE ej_owner;
CREATE TABLE journal.load_handover (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    load_id       integer NOT NULL REFERENCES journal.teaching_load ON DELETE CASCADE,
    from_teacher  bigint NOT NULL REFERENCES journal.person,
    to_teacher    bigint NOT NULL REFERENCES journal.person,
    from_date     date NOT NULL,
    handed_at     timestamptz NOT NULL DEFAULT now(),
    handed_by     text NOT NULL DEFAULT session_user,
    reason        text NOT NULL DEFAULT ''
);
CREATE INDEX load_handover_from_idx ON journal.load_handover (from_teacher, load_id);
CREATE INDEX load_handover_to_idx ON journal.load_handover (to_teacher);
CREATE INDEX load_handover_load_idx ON journal.load_handover (load_id);
ALTER TABLE journal.load_handover ENABLE ROW LEVEL SECURITY;
ALTER TABLE journal.load_handover FORCE ROW LEVEL SECURITY;
RESET ROLE;

GRANT SELECT ON journal.load_handover TO ej_login;
GRANT INSERT ON journal.load_handover TO ej_security;
GRANT UPDATE (teacher_id) ON journal.teaching_load TO ej_security;
GRANT UPDATE (taught_by) ON journal.lesson TO ej_security;
GRANT UPDATE (examiner_id) ON journal.statement TO ej_security;

-- Lessons of other people's loads I taught and may still write (R17): not those of a load
-- handed over from me, dated before the handover.
CREATE OR REPLACE FUNCTION journal._sub_lesson_ids(p_me bigint, p_roles text[]) RETURNS integer[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(l.id), '{}')
      FROM journal.lesson l JOIN journal.teaching_load t ON t.id = l.load_id
     WHERE l.taught_by = p_me AND t.teacher_id <> p_me AND 'teacher' = ANY (p_roles)
       AND NOT EXISTS (SELECT FROM journal.load_handover h
                        WHERE h.from_teacher = p_me AND h.load_id = l.load_id
                          AND l.lesson_date < h.from_date)
$$;

-- Lessons I taught of a load handed over from me, before the handover: read-only.
CREATE FUNCTION journal._past_lesson_ids(p_me bigint, p_roles text[]) RETURNS integer[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(DISTINCT l.id), '{}')
      FROM journal.load_handover h
      JOIN journal.teaching_load t ON t.id = h.load_id
      JOIN journal.lesson l ON l.load_id = h.load_id AND l.taught_by = p_me
                           AND l.lesson_date < h.from_date
     WHERE h.from_teacher = p_me AND t.teacher_id <> p_me AND 'teacher' = ANY (p_roles)
$$;

CREATE FUNCTION journal.my_past_lesson_ids() RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce((SELECT journal._past_lesson_ids(m.person_id, m.roles)
                       FROM journal._me() m), '{}')
$$;

CREATE POLICY load_handover_select ON journal.load_handover FOR SELECT
    USING ((SELECT journal.reads_all())
           OR from_teacher = (SELECT journal.my_person_id())
           OR to_teacher = (SELECT journal.my_person_id())
           OR load_id = ANY ((SELECT journal.my_load_ids())::int[]));

-- Reading: the handed-over lessons join the substitute's (writable) ones.
DROP POLICY lesson_select ON journal.lesson;
CREATE POLICY lesson_select ON journal.lesson FOR SELECT
    USING ((SELECT journal.reads_all_marks())
           OR load_id = ANY ((SELECT journal.my_load_ids())::int[])
           OR id = ANY ((SELECT journal.my_sub_lesson_ids())::int[])
           OR load_id = ANY ((SELECT journal.my_ward_load_ids())::int[])
           OR id = ANY ((SELECT journal.my_past_lesson_ids())::int[]));
DROP POLICY attendance_select ON journal.attendance;
CREATE POLICY attendance_select ON journal.attendance FOR SELECT
    USING ((SELECT journal.reads_all_marks())
           OR load_id = ANY ((SELECT journal.my_load_ids())::int[])
           OR lesson_id = ANY ((SELECT journal.my_sub_lesson_ids())::int[])
           OR student_id = ANY ((SELECT journal.my_ward_ids())::bigint[])
           OR lesson_id = ANY ((SELECT journal.my_past_lesson_ids())::int[]));
DROP POLICY mark_select ON journal.mark;
CREATE POLICY mark_select ON journal.mark FOR SELECT
    USING ((SELECT journal.reads_all_marks())
           OR load_id = ANY ((SELECT journal.my_load_ids())::int[])
           OR lesson_id = ANY ((SELECT journal.my_sub_lesson_ids())::int[])
           OR student_id = ANY ((SELECT journal.my_ward_ids())::bigint[])
           OR lesson_id = ANY ((SELECT journal.my_past_lesson_ids())::int[]));
DROP POLICY change_log_select ON journal.change_log;
CREATE POLICY change_log_select ON journal.change_log FOR SELECT
    USING ((SELECT journal.reads_all())
           OR ((SELECT journal.reads_all_marks())
               AND table_name IN ('lesson', 'attendance', 'mark', 'statement', 'statement_mark',
                                  'final_mark'))
           OR load_id = ANY ((SELECT journal.my_load_ids())::int[])
           OR student_id = ANY ((SELECT journal.my_ward_ids())::bigint[])
           OR (student_id IS NULL AND load_id = ANY ((SELECT journal.my_ward_load_ids())::int[]))
           -- a substitute, or the teacher a load was taken from: the lessons they taught,
           -- with their marks and attendance
           OR (table_name IN ('lesson', 'mark', 'attendance')
               AND (cardinality((SELECT journal.my_sub_lesson_ids())::int[]) > 0
                    OR cardinality((SELECT journal.my_past_lesson_ids())::int[]) > 0)
               AND ((coalesce(new_value, old_value)
                     ->> CASE table_name WHEN 'lesson' THEN 'id' ELSE 'lesson_id' END)::int
                        = ANY ((SELECT journal.my_sub_lesson_ids())::int[])
                    OR (coalesce(new_value, old_value)
                        ->> CASE table_name WHEN 'lesson' THEN 'id' ELSE 'lesson_id' END)::int
                        = ANY ((SELECT journal.my_past_lesson_ids())::int[]))));

-- The handover itself, whoever changes teacher_id (the function below or a plain UPDATE).
CREATE FUNCTION journal.load_handed_over() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE
    v_from date := coalesce(nullif(current_setting('journal.handover_from', true), '')::date,
                            current_date + 1);
    v_reason text := journal.current_reason();
BEGIN
    IF NOT EXISTS (SELECT FROM journal.person_role r
                    WHERE r.person_id = NEW.teacher_id AND r.role = 'teacher') THEN
        RAISE EXCEPTION 'Нагрузку можно передать только сотруднику с ролью «преподаватель».'
            USING ERRCODE = 'check_violation';
    END IF;
    INSERT INTO journal.load_handover (load_id, from_teacher, to_teacher, from_date, reason)
    VALUES (NEW.id, OLD.teacher_id, NEW.teacher_id, v_from, v_reason);
    UPDATE journal.lesson SET taught_by = NEW.teacher_id
     WHERE load_id = NEW.id AND taught_by = OLD.teacher_id AND lesson_date >= v_from;
    UPDATE journal.statement SET examiner_id = NEW.teacher_id
     WHERE load_id = NEW.id AND examiner_id = OLD.teacher_id AND closed_at IS NULL;
    INSERT INTO journal.change_log (table_name, action, row_key, old_value, new_value, reason,
                                    changed_by, person_id, load_id)
    VALUES ('teaching_load', 'UPDATE', jsonb_build_object('id', NEW.id),
            jsonb_build_object('teacher_id', OLD.teacher_id),
            jsonb_build_object('teacher_id', NEW.teacher_id, 'lessons_from', v_from),
            v_reason, session_user, journal.session_person_id(), NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER teaching_load_handover AFTER UPDATE OF teacher_id ON journal.teaching_load
    FOR EACH ROW WHEN (OLD.teacher_id IS DISTINCT FROM NEW.teacher_id)
    EXECUTE FUNCTION journal.load_handed_over();

-- The admin's function: hand load p_load to p_teacher; the lessons from p_from on (default
-- tomorrow) go with it. The reason is required and recorded.
CREATE FUNCTION journal.reassign_load(p_load integer, p_teacher bigint, p_reason text,
                                      p_from date DEFAULT NULL) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE
    v_prev_reason text := current_setting('journal.reason', true);
    v_prev_from text := current_setting('journal.handover_from', true);
    v_teacher bigint;
BEGIN
    PERFORM journal.require(journal.caller_is_superuser() OR journal.is_admin(),
        'Передать нагрузку другому преподавателю может только заведующий учебной частью.');
    IF btrim(coalesce(p_reason, '')) = '' THEN
        RAISE EXCEPTION 'Укажите причину: передача нагрузки записывается в историю.'
            USING ERRCODE = 'EJ001';
    END IF;
    SELECT teacher_id INTO v_teacher FROM journal.teaching_load WHERE id = p_load;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Нагрузка не найдена.' USING ERRCODE = 'no_data_found';
    ELSIF v_teacher = p_teacher THEN
        RAISE EXCEPTION 'Нагрузка уже у этого преподавателя.' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM set_config('journal.reason', p_reason, true);
    PERFORM set_config('journal.handover_from', coalesce(p_from, current_date + 1)::text, true);
    UPDATE journal.teaching_load SET teacher_id = p_teacher WHERE id = p_load;
    PERFORM set_config('journal.reason', coalesce(v_prev_reason, ''), true);
    PERFORM set_config('journal.handover_from', coalesce(v_prev_from, ''), true);
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
        IF f.prosecdef AND f.proname IN ('my_past_lesson_ids', 'reassign_load') THEN
            EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO ej_login', f.sig);
        END IF;
    END LOOP;
END $$;
