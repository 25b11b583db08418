-- 0060: the yearly setup (issue 13, items 1, 3, 4, 5): practice weeks of one group, the
-- government's working-day transfers, one-off timetable changes, substitutions planned by
-- the office, and the checks of the settings screen.
--
-- Who writes what (docs/security.md):
--   * the calendar (years, periods, holidays, bells, transfers): the admin (as before);
--   * the timetable, its one-off changes, substitutions and the generated lessons: the admin
--     and the office (journal.writes_all());
--   * settings: the admin only (as before); their values are checked here as well.
-- A planned substitution lets the substitute create the lesson of that load, date and пара
-- with taught_by = themself (and then fill it: journal.my_sub_lesson_ids(), R17); the same
-- substitution makes that lesson visible to them in the statement that creates it.

SET LOCAL search_path = pg_catalog, journal;

SET LOCAL ROLE ej_owner;

-- A break of one group only (its practice weeks); NULL: the whole college.
ALTER TABLE journal.holiday ADD COLUMN group_id integer REFERENCES journal.study_group ON DELETE CASCADE;

-- A weekend day that works by the government's transfer, following another weekday's timetable.
CREATE TABLE journal.workday_transfer (
    year_id     integer NOT NULL REFERENCES journal.academic_year,
    work_date   date NOT NULL,
    as_weekday  smallint NOT NULL CHECK (as_weekday BETWEEN 1 AND 6),
    title       text NOT NULL DEFAULT '',
    PRIMARY KEY (year_id, work_date)
);

-- One-off change of the timetable on one date: a slot cancelled, or a lesson added (a move is
-- both: cancelled on one date or пара, added on another).
CREATE TABLE journal.timetable_change (
    id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    load_id     integer NOT NULL REFERENCES journal.teaching_load ON DELETE CASCADE,
    on_date     date NOT NULL,
    pair_no     smallint NOT NULL CHECK (pair_no BETWEEN 1 AND 8),
    kind        text NOT NULL CHECK (kind IN ('cancel', 'add')),
    room        text NOT NULL DEFAULT '',
    note        text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    created_by  text NOT NULL DEFAULT session_user,
    UNIQUE (load_id, on_date, pair_no, kind)
);
CREATE INDEX timetable_change_date_idx ON journal.timetable_change (on_date);

-- Who replaces whom at a lesson (planned by the office).
CREATE TABLE journal.substitution (
    id             integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    load_id        integer NOT NULL REFERENCES journal.teaching_load ON DELETE CASCADE,
    on_date        date NOT NULL,
    pair_no        smallint NOT NULL CHECK (pair_no BETWEEN 1 AND 8),
    substitute_id  bigint NOT NULL REFERENCES journal.person,
    absent_id      bigint NOT NULL REFERENCES journal.person,
    reason         text NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL DEFAULT now(),
    created_by     text NOT NULL DEFAULT session_user,
    UNIQUE (load_id, on_date, pair_no),
    CHECK (substitute_id <> absent_id)
);
CREATE INDEX substitution_substitute_idx ON journal.substitution (substitute_id, on_date);

ALTER TABLE journal.workday_transfer ENABLE ROW LEVEL SECURITY;
ALTER TABLE journal.workday_transfer FORCE ROW LEVEL SECURITY;
ALTER TABLE journal.timetable_change ENABLE ROW LEVEL SECURITY;
ALTER TABLE journal.timetable_change FORCE ROW LEVEL SECURITY;
ALTER TABLE journal.substitution ENABLE ROW LEVEL SECURITY;
ALTER TABLE journal.substitution FORCE ROW LEVEL SECURITY;
RESET ROLE;

GRANT SELECT ON journal.workday_transfer, journal.timetable_change, journal.substitution TO ej_login;
GRANT INSERT, UPDATE, DELETE ON journal.workday_transfer TO ej_admin;
GRANT INSERT, UPDATE, DELETE ON journal.timetable_change, journal.substitution,
    journal.timetable_slot TO ej_admin, ej_office;
-- Graduation at the year change marks the group (the admin writes study_group already).

CREATE POLICY workday_transfer_select ON journal.workday_transfer FOR SELECT
    USING ((SELECT journal.my_person_id()) IS NOT NULL);
CREATE POLICY workday_transfer_insert ON journal.workday_transfer FOR INSERT
    WITH CHECK ((SELECT journal.is_admin()));
CREATE POLICY workday_transfer_update ON journal.workday_transfer FOR UPDATE
    USING ((SELECT journal.is_admin())) WITH CHECK ((SELECT journal.is_admin()));
CREATE POLICY workday_transfer_delete ON journal.workday_transfer FOR DELETE
    USING ((SELECT journal.is_admin()));

CREATE POLICY timetable_change_select ON journal.timetable_change FOR SELECT
    USING ((SELECT journal.is_staff()) OR load_id = ANY ((SELECT journal.my_ward_load_ids())::int[]));
CREATE POLICY substitution_select ON journal.substitution FOR SELECT
    USING ((SELECT journal.is_staff()));

-- The timetable: the office writes it too (it was the admin's only).
DROP POLICY timetable_slot_insert ON journal.timetable_slot;
DROP POLICY timetable_slot_update ON journal.timetable_slot;
DROP POLICY timetable_slot_delete ON journal.timetable_slot;
DO $$
DECLARE v_table text;
BEGIN
    FOREACH v_table IN ARRAY ARRAY['timetable_slot', 'timetable_change', 'substitution'] LOOP
        EXECUTE format($f$CREATE POLICY %1$s_insert ON journal.%1$I FOR INSERT
            WITH CHECK ((SELECT journal.writes_all()))$f$, v_table);
        EXECUTE format($f$CREATE POLICY %1$s_update ON journal.%1$I FOR UPDATE
            USING ((SELECT journal.writes_all())) WITH CHECK ((SELECT journal.writes_all()))$f$, v_table);
        EXECUTE format($f$CREATE POLICY %1$s_delete ON journal.%1$I FOR DELETE
            USING ((SELECT journal.writes_all()))$f$, v_table);
    END LOOP;
    -- History of the timetable and of substitutions (who planned, who changed what).
    FOREACH v_table IN ARRAY ARRAY['timetable_slot', 'timetable_change', 'substitution'] LOOP
        EXECUTE format('CREATE TRIGGER ej2_history_ins AFTER INSERT ON journal.%I '
            'REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT '
            'EXECUTE FUNCTION journal.record_history()', v_table);
        EXECUTE format('CREATE TRIGGER ej2_history_upd AFTER UPDATE ON journal.%I '
            'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT '
            'EXECUTE FUNCTION journal.record_history()', v_table);
        EXECUTE format('CREATE TRIGGER ej2_history_del AFTER DELETE ON journal.%I '
            'REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT '
            'EXECUTE FUNCTION journal.record_history()', v_table);
    END LOOP;
END $$;

-- Loads in which I have a planned substitution (the initplan of the lesson policies).
CREATE FUNCTION journal.my_substitute_load_ids() RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce(array_agg(DISTINCT x.load_id), '{}')
      FROM journal.substitution x JOIN journal._me() m ON m.person_id = x.substitute_id
     WHERE 'teacher' = ANY (m.roles)
$$;

-- The lessons the office planned me to substitute at, as keys (load, date, пара) in one
-- bigint each: journal.substitution_key(). An InitPlan of the INSERT policy, computed once.
CREATE FUNCTION journal.substitution_key(p_load integer, p_date date, p_pair smallint)
RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
    SELECT (p_load::bigint * 100000 + (p_date - DATE '2000-01-01')) * 10 + p_pair
$$;

CREATE FUNCTION journal.my_substitution_keys() RETURNS bigint[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce(array_agg(journal.substitution_key(x.load_id, x.on_date, x.pair_no)), '{}')
      FROM journal.substitution x JOIN journal._me() m ON m.person_id = x.substitute_id
     WHERE 'teacher' = ANY (m.roles)
$$;

DROP POLICY lesson_select ON journal.lesson;
CREATE POLICY lesson_select ON journal.lesson FOR SELECT
    USING ((SELECT journal.reads_all_marks())
           OR load_id = ANY ((SELECT journal.my_load_ids())::int[])
           OR id = ANY ((SELECT journal.my_sub_lesson_ids())::int[])
           OR load_id = ANY ((SELECT journal.my_ward_load_ids())::int[])
           OR id = ANY ((SELECT journal.my_past_lesson_ids())::int[])
           OR (load_id = ANY ((SELECT journal.my_substitute_load_ids())::int[])
               AND taught_by = (SELECT journal.my_person_id())));
DROP POLICY lesson_insert ON journal.lesson;
CREATE POLICY lesson_insert ON journal.lesson FOR INSERT
    WITH CHECK ((SELECT journal.writes_all())
                OR load_id = ANY ((SELECT journal.my_load_ids())::int[])
                OR (load_id = ANY ((SELECT journal.my_curated_load_ids())::int[])
                    AND taught_by = journal.load_teacher(load_id))
                OR (taught_by = (SELECT journal.my_person_id())
                    AND (load_id::bigint * 100000 + (lesson_date - DATE '2000-01-01')) * 10 + pair_no
                        = ANY ((SELECT journal.my_substitution_keys())::bigint[])));

-- A planned substitute teaches the group at that lesson: they see its students (to mark them)
-- before the lesson exists, as a substitute who already taught there does.
CREATE OR REPLACE FUNCTION journal._taught_group_ids(p_me bigint, p_roles text[]) RETURNS integer[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(DISTINCT t.group_id), '{}')
      FROM journal.teaching_load t
      JOIN journal.period p ON p.id = t.period_id
      JOIN journal.academic_year y ON y.id = p.year_id
     WHERE y.archived_at IS NULL AND 'teacher' = ANY (p_roles)
       AND t.id IN (SELECT o.id FROM journal.teaching_load o WHERE o.teacher_id = p_me
                    UNION
                    SELECT l.load_id FROM journal.lesson l WHERE l.taught_by = p_me
                    UNION
                    SELECT x.load_id FROM journal.substitution x WHERE x.substitute_id = p_me)
$$;

CREATE OR REPLACE FUNCTION journal._student_ids(p_me bigint, p_roles text[]) RETURNS bigint[]
LANGUAGE sql STABLE AS $$
    -- _ward_ids() ∪ the students of _taught_group_ids(), in one query (this runs on every
    -- teacher's page).
    SELECT coalesce(array_agg(DISTINCT x.id), '{}') FROM (
        SELECT s.person_id AS id FROM journal.student s
         WHERE s.person_id = p_me AND 'student' = ANY (p_roles)
        UNION ALL
        SELECT g.student_id FROM journal.guardian g
         WHERE g.parent_id = p_me AND 'parent' = ANY (p_roles)
        UNION ALL
        SELECT s.person_id FROM journal.study_group g JOIN journal.student s ON s.group_id = g.id
         WHERE g.curator_id = p_me AND 'curator' = ANY (p_roles)
        UNION ALL
        SELECT s.person_id FROM journal.student s
         WHERE 'teacher' = ANY (p_roles)
           AND s.group_id IN (
               SELECT t.group_id FROM journal.teaching_load t
                 JOIN journal.period p ON p.id = t.period_id
                 JOIN journal.academic_year y ON y.id = p.year_id
                WHERE y.archived_at IS NULL
                  AND t.id IN (SELECT o.id FROM journal.teaching_load o WHERE o.teacher_id = p_me
                               UNION
                               SELECT l.load_id FROM journal.lesson l WHERE l.taught_by = p_me
                               UNION
                               SELECT x.load_id FROM journal.substitution x
                                WHERE x.substitute_id = p_me))) x
$$;

-- "The lesson lies inside its load's period" once per statement, as ej_security (like 0011):
-- the per-row trigger of 0002 ran every lookup through row-level security, 150 µs a lesson —
-- most of the time of writing a year's generated lessons. Reveals nothing but "consistent".
DROP TRIGGER lesson_inside_period ON journal.lesson;
CREATE FUNCTION journal.lesson_inside_period_rows() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE r record;
BEGIN
    SELECT n.load_id, n.lesson_date, p.title, p.starts_on, p.ends_on INTO r
      FROM new_rows n
      LEFT JOIN journal.teaching_load t ON t.id = n.load_id
      LEFT JOIN journal.period p ON p.id = t.period_id
     WHERE p.id IS NULL OR n.lesson_date < p.starts_on OR n.lesson_date > p.ends_on
     LIMIT 1;
    IF NOT FOUND THEN
        RETURN NULL;
    ELSIF r.title IS NULL THEN
        RAISE EXCEPTION 'Нагрузка % не найдена или недоступна.', r.load_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RAISE EXCEPTION 'Дата занятия % вне периода «%» (% — %).',
        to_char(r.lesson_date, 'DD.MM.YYYY'), r.title,
        to_char(r.starts_on, 'DD.MM.YYYY'), to_char(r.ends_on, 'DD.MM.YYYY')
        USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER lesson_inside_period_ins AFTER INSERT ON journal.lesson
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION journal.lesson_inside_period_rows();
CREATE TRIGGER lesson_inside_period_upd AFTER UPDATE ON journal.lesson
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION journal.lesson_inside_period_rows();

-- The server stamps of a new lesson (0019) need no per-row function call when there is
-- nothing to stamp: created now, not filled, no topic (every generated lesson). The function
-- is unchanged; the INSERT trigger only skips rows it would leave as they are.
DROP TRIGGER lesson_filled ON journal.lesson;
CREATE TRIGGER lesson_filled BEFORE UPDATE ON journal.lesson
    FOR EACH ROW EXECUTE FUNCTION journal.stamp_lesson_filled();
CREATE TRIGGER lesson_filled_ins BEFORE INSERT ON journal.lesson
    FOR EACH ROW WHEN (NOT (NEW.created_at = now() AND NEW.filled_at IS NULL AND NEW.topic = ''))
    EXECUTE FUNCTION journal.stamp_lesson_filled();

-- Settings the settings screen writes: their shapes, checked whoever writes them.
CREATE FUNCTION journal.check_setup_setting() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE v jsonb := NEW.value;
BEGIN
    IF NEW.key = 'rounding_rule' AND NOT coalesce(v #>> '{}' IN ('half_up', 'half_down', 'bankers'), false) THEN
        RAISE EXCEPTION 'Правило округления итоговой отметки — half_up, half_down или bankers.'
            USING ERRCODE = 'check_violation';
    ELSIF NEW.key = 'reason_after_days'
          AND NOT coalesce(jsonb_typeof(v) = 'number' AND (v #>> '{}')::numeric BETWEEN 0 AND 365, false) THEN
        RAISE EXCEPTION 'Срок, после которого исправление требует причины, — от 0 до 365 дней.'
            USING ERRCODE = 'check_violation';
    ELSIF NEW.key = 'idle_lock_minutes'
          AND NOT coalesce(jsonb_typeof(v) = 'number' AND (v #>> '{}')::numeric BETWEEN 0 AND 1440, false) THEN
        RAISE EXCEPTION 'Блокировка экрана при простое — от 0 до 1440 минут.'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
ALTER FUNCTION journal.check_setup_setting() OWNER TO ej_owner;
CREATE TRIGGER setup_setting_shape BEFORE INSERT OR UPDATE ON journal.setting
    FOR EACH ROW EXECUTE FUNCTION journal.check_setup_setting();

-- History of the settings: who changed which, from what to what.
CREATE FUNCTION journal.record_setting_history() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
BEGIN
    INSERT INTO journal.change_log (table_name, action, row_key, old_value, new_value, reason,
                                    changed_by, person_id)
    SELECT 'setting', TG_OP, jsonb_build_object('key', coalesce(n.key, o.key)),
           to_jsonb(o), to_jsonb(n), journal.current_reason(), session_user,
           journal.session_person_id()
      FROM old_rows o FULL JOIN new_rows n USING (key)
     WHERE to_jsonb(o) IS DISTINCT FROM to_jsonb(n);
    RETURN NULL;
END $$;
CREATE TRIGGER ej2_setting_history AFTER UPDATE ON journal.setting
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION journal.record_setting_history();

DO $$
DECLARE f record;
BEGIN
    FOR f IN SELECT p.oid::regprocedure AS sig, p.proname, p.prosecdef FROM pg_proc p
              WHERE p.pronamespace = 'journal'::regnamespace
                AND p.proowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO ej_security', f.sig);
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f.sig);
        IF f.prosecdef AND f.proname IN ('my_substitute_load_ids', 'my_substitution_keys') THEN
            EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO ej_login', f.sig);
        END IF;
    END LOOP;
END $$;
