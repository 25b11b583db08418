-- 0002: invariants a CHECK cannot say, as triggers (refusals are Russian messages with
-- SQLSTATE 23514 check_violation so the program shows them as ValidationError).

SET LOCAL ROLE ej_owner;
SET LOCAL search_path = journal, pg_catalog;

CREATE FUNCTION journal.period_inside_year() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE y journal.academic_year;
BEGIN
    SELECT * INTO y FROM journal.academic_year WHERE id = NEW.year_id;
    IF NEW.starts_on < y.starts_on OR NEW.ends_on > y.ends_on THEN
        RAISE EXCEPTION 'Период «%» выходит за границы учебного года %.', NEW.title, y.title
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER period_inside_year BEFORE INSERT OR UPDATE ON journal.period
    FOR EACH ROW EXECUTE FUNCTION journal.period_inside_year();

CREATE FUNCTION journal.lesson_inside_period() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE p journal.period;
BEGIN
    SELECT pr.* INTO p FROM journal.teaching_load t JOIN journal.period pr ON pr.id = t.period_id
     WHERE t.id = NEW.load_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Нагрузка % не найдена или недоступна.', NEW.load_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF NEW.lesson_date < p.starts_on OR NEW.lesson_date > p.ends_on THEN
        RAISE EXCEPTION 'Дата занятия % вне периода «%» (% — %).',
            to_char(NEW.lesson_date, 'DD.MM.YYYY'), p.title,
            to_char(p.starts_on, 'DD.MM.YYYY'), to_char(p.ends_on, 'DD.MM.YYYY')
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER lesson_inside_period BEFORE INSERT OR UPDATE OF lesson_date, load_id
    ON journal.lesson FOR EACH ROW EXECUTE FUNCTION journal.lesson_inside_period();

-- The student must belong to the load's group (and subgroup, when the load has one).
CREATE FUNCTION journal.student_in_load(p_load integer, p_student bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (
        SELECT FROM journal.teaching_load t JOIN journal.student s ON s.group_id = t.group_id
         WHERE t.id = p_load AND s.person_id = p_student
           AND (t.subgroup_id IS NULL OR s.subgroup_id = t.subgroup_id))
$$;

CREATE FUNCTION journal.check_student_in_load() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE v_load integer;
BEGIN
    IF TG_TABLE_NAME = 'statement_mark' THEN
        SELECT load_id INTO v_load FROM journal.statement WHERE id = NEW.statement_id;
    ELSE
        v_load := NEW.load_id;
    END IF;
    IF NOT journal.student_in_load(v_load, NEW.student_id) THEN
        RAISE EXCEPTION 'Обучающийся % не входит в группу (подгруппу) этого журнала.', NEW.student_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER mark_student_in_load BEFORE INSERT OR UPDATE OF student_id, load_id
    ON journal.mark FOR EACH ROW EXECUTE FUNCTION journal.check_student_in_load();
CREATE TRIGGER attendance_student_in_load BEFORE INSERT OR UPDATE OF student_id, load_id
    ON journal.attendance FOR EACH ROW EXECUTE FUNCTION journal.check_student_in_load();
CREATE TRIGGER statement_mark_student_in_load BEFORE INSERT OR UPDATE OF student_id
    ON journal.statement_mark FOR EACH ROW EXECUTE FUNCTION journal.check_student_in_load();
CREATE TRIGGER final_mark_student_in_load BEFORE INSERT OR UPDATE OF student_id, load_id
    ON journal.final_mark FOR EACH ROW EXECUTE FUNCTION journal.check_student_in_load();

-- зачёт/незачёт as a current mark only where the discipline uses it.
CREATE FUNCTION journal.check_mark_scale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.value IN ('зачёт', 'незачёт') AND NOT EXISTS (
        SELECT FROM journal.teaching_load WHERE id = NEW.load_id AND pass_fail) THEN
        RAISE EXCEPTION 'По этой дисциплине зачёт/незачёт в текущих отметках не ставится.'
            USING ERRCODE = 'check_violation';
    END IF;
    NEW.changed_at := now();
    NEW.changed_by := session_user;
    RETURN NEW;
END $$;
CREATE TRIGGER mark_scale BEFORE INSERT OR UPDATE ON journal.mark
    FOR EACH ROW EXECUTE FUNCTION journal.check_mark_scale();

CREATE FUNCTION journal.stamp_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.changed_at := now();
    NEW.changed_by := session_user;
    RETURN NEW;
END $$;
CREATE TRIGGER attendance_stamp BEFORE INSERT OR UPDATE ON journal.attendance
    FOR EACH ROW EXECUTE FUNCTION journal.stamp_change();
CREATE TRIGGER statement_mark_stamp BEFORE INSERT OR UPDATE ON journal.statement_mark
    FOR EACH ROW EXECUTE FUNCTION journal.stamp_change();

-- A curator must be staff; a group's students are people with the student role.
CREATE FUNCTION journal.check_person_role() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE v_person bigint; v_role text;
BEGIN
    IF TG_TABLE_NAME = 'student' THEN
        v_person := NEW.person_id; v_role := 'student';
    ELSIF TG_TABLE_NAME = 'guardian' THEN
        v_person := NEW.parent_id; v_role := 'parent';
    ELSE
        v_person := NEW.curator_id; v_role := 'curator';
    END IF;
    IF v_person IS NOT NULL AND NOT EXISTS (
        SELECT FROM journal.person_role WHERE person_id = v_person AND role = v_role) THEN
        RAISE EXCEPTION 'Человеку % не назначена роль «%».', v_person, v_role
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER student_has_role BEFORE INSERT OR UPDATE OF person_id ON journal.student
    FOR EACH ROW EXECUTE FUNCTION journal.check_person_role();
CREATE TRIGGER guardian_has_role BEFORE INSERT OR UPDATE OF parent_id ON journal.guardian
    FOR EACH ROW EXECUTE FUNCTION journal.check_person_role();
CREATE TRIGGER curator_has_role BEFORE INSERT OR UPDATE OF curator_id ON journal.study_group
    FOR EACH ROW EXECUTE FUNCTION journal.check_person_role();

-- A lesson's record is "filled" once it has a topic; the first time is kept (R8: filled late).
CREATE FUNCTION journal.stamp_lesson_filled() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.topic <> '' AND NEW.filled_at IS NULL THEN
        NEW.filled_at := now();
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER lesson_filled BEFORE INSERT OR UPDATE OF topic ON journal.lesson
    FOR EACH ROW EXECUTE FUNCTION journal.stamp_lesson_filled();

INSERT INTO journal.setting (key, value, title) VALUES
    ('college_name', '"ГПОУ «Кемеровский коммунально-строительный техникум» имени В. И. Заузелкова"',
     'Полное наименование учреждения'),
    ('college_short_name', '"ГПОУ ККСТ"', 'Краткое наименование'),
    ('director_name', '"И. И. Иванов"', 'Директор (инициалы и фамилия)'),
    ('rounding_rule', '"half_up"', 'Округление итоговой отметки (half_up: 3,5 → 4)'),
    ('reason_after_days', '3', 'Исправление отметки старше N дней требует причины'),
    ('idle_lock_minutes', '15', 'Блокировка экрана после простоя, минут'),
    ('working_hours', '{"enabled": false, "from": "07:00", "to": "21:00", "roles": []}',
     'Вход только в рабочее время (R19)'),
    ('login_lockout', '{"max_failures": 5, "window_minutes": 15, "lock_minutes": 15}',
     'Блокировка после неудачных входов');
