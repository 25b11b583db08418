-- 0004: who is asking. Every policy keys on session_user through these helpers; a session
-- variable is never an identity (anyone can SET it). The helpers are SECURITY DEFINER owned
-- by ej_security (which bypasses RLS, so they see the tables whole), STABLE, with a pinned
-- search_path, not executable by PUBLIC. Policies call them as (SELECT journal.x()) so each
-- runs once per statement, and compare columns with = ANY(array) so indexes still serve.
--
-- A session whose account must change its password, is blocked, or is outside the working
-- hours that apply to it (R19) gets nothing from the helpers: my_person_id() is NULL, every
-- array is empty and every policy denies.
--
-- "Current year" for a teacher's students means a year not archived (archived_at IS NULL).

SET LOCAL search_path = pg_catalog, journal;

-- Shapes of the security settings, checked when they are written.
CREATE FUNCTION journal.check_security_setting() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE
    v jsonb := NEW.value;
    v_bad text;
BEGIN
    IF NEW.key = 'working_hours' THEN
        BEGIN
            IF jsonb_typeof(v) <> 'object' OR jsonb_typeof(v->'enabled') <> 'boolean'
               OR jsonb_typeof(v->'roles') <> 'array' THEN
                RAISE EXCEPTION 'shape';
            END IF;
            PERFORM (v->>'from')::time, (v->>'to')::time,
                    now() AT TIME ZONE coalesce(v->>'timezone', 'UTC');
            SELECT r INTO v_bad FROM jsonb_array_elements_text(v->'roles') r
             WHERE r NOT IN ('admin', 'director', 'deputy', 'office', 'methodologist', 'teacher',
                             'curator', 'support', 'parent', 'student') LIMIT 1;
            IF v_bad IS NOT NULL THEN
                RAISE EXCEPTION 'role';
            END IF;
            IF v ? 'days' AND EXISTS (SELECT FROM jsonb_array_elements_text(v->'days') d
                                       WHERE d !~ '^[1-7]$') THEN
                RAISE EXCEPTION 'days';
            END IF;
        EXCEPTION WHEN others THEN
            RAISE EXCEPTION 'Настройка рабочего времени задана неверно: нужны enabled, from, to '
                '(ЧЧ:ММ), roles (список ролей), days (1–7) и timezone.'
                USING ERRCODE = 'check_violation';
        END;
    ELSIF NEW.key = 'login_lockout' THEN
        IF jsonb_typeof(v) <> 'object'
           OR NOT coalesce((v->>'max_failures') ~ '^[1-9][0-9]*$', false)
           OR NOT coalesce((v->>'window_minutes') ~ '^[1-9][0-9]*$', false)
           OR NOT coalesce((v->>'lock_minutes') ~ '^[0-9]+$', false) THEN
            RAISE EXCEPTION 'Настройка блокировки входа задана неверно: нужны max_failures, '
                'window_minutes и lock_minutes (целые числа).' USING ERRCODE = 'check_violation';
        END IF;
    ELSIF NEW.key = 'reason_after_days' THEN
        IF NOT coalesce(v::text ~ '^[0-9]+$', false) THEN
            RAISE EXCEPTION 'Срок, после которого исправление требует причины, — целое число дней.'
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END $$;
ALTER FUNCTION journal.check_security_setting() OWNER TO ej_owner;
CREATE TRIGGER security_setting_shape BEFORE INSERT OR UPDATE ON journal.setting
    FOR EACH ROW EXECUTE FUNCTION journal.check_security_setting();

-- Working hours are compared in a fixed time zone, never the session's (a client chooses
-- its own TimeZone). The zone is the server's at the time of this migration.
UPDATE journal.setting
   SET value = value || jsonb_build_object('timezone', current_setting('TimeZone'),
                                           'days', jsonb_build_array(1, 2, 3, 4, 5, 6))
 WHERE key = 'working_hours' AND NOT value ? 'timezone';

-- True when the working-hours policy (R19) refuses this person now.
CREATE FUNCTION journal.outside_working_hours(p_person bigint, p_at timestamptz DEFAULT now())
RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE
    w jsonb;
    v_local timestamp;
    v_from time;
    v_to time;
    v_time time;
BEGIN
    SELECT value INTO w FROM journal.setting WHERE key = 'working_hours';
    IF w IS NULL OR NOT coalesce((w->>'enabled')::boolean, false) THEN
        RETURN false;
    END IF;
    IF NOT EXISTS (SELECT FROM journal.person_role r
                    WHERE r.person_id = p_person
                      AND r.role IN (SELECT jsonb_array_elements_text(w->'roles'))) THEN
        RETURN false;
    END IF;
    v_local := p_at AT TIME ZONE coalesce(w->>'timezone', 'UTC');
    IF w ? 'days' AND NOT (w->'days') @> to_jsonb(extract(isodow FROM v_local)::int) THEN
        RETURN true;
    END IF;
    v_from := (w->>'from')::time;
    v_to := (w->>'to')::time;
    v_time := v_local::time;
    IF v_from <= v_to THEN
        RETURN NOT (v_time >= v_from AND v_time < v_to);
    END IF;
    RETURN NOT (v_time >= v_from OR v_time < v_to);   -- a night shift across midnight
END $$;

-- The person behind session_user, or NULL when the session may do nothing.
CREATE FUNCTION journal.my_person_id() RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT a.person_id FROM journal.account a
     WHERE a.login = session_user::text
       AND NOT a.must_change_password
       AND NOT a.blocked
       AND NOT journal.outside_working_hours(a.person_id)
$$;

CREATE FUNCTION journal.my_roles() RETURNS text[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce(array_agg(r.role ORDER BY r.role), '{}')
      FROM journal.person_role r WHERE r.person_id = journal.my_person_id()
$$;

CREATE FUNCTION journal.has_any_role(p_roles text[]) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT journal.my_roles() && p_roles
$$;

CREATE FUNCTION journal.is_admin() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT journal.has_any_role('{admin}')
$$;

-- admin, director, deputies, office, methodologist: read everything.
CREATE FUNCTION journal.reads_all() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT journal.has_any_role('{admin,director,deputy,office,methodologist}')
$$;

-- ... and support staff, for marks, attendance, lessons, statements and students.
CREATE FUNCTION journal.reads_all_marks() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT journal.has_any_role('{admin,director,deputy,office,methodologist,support}')
$$;

-- admin and office: bulk entry of marks, attendance and statements for any group.
CREATE FUNCTION journal.writes_all() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT journal.has_any_role('{admin,office}')
$$;

CREATE FUNCTION journal.is_staff() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT journal.has_any_role(
        '{admin,director,deputy,office,methodologist,teacher,curator,support}')
$$;

-- Everyone but a person who is only a student may write messages.
CREATE FUNCTION journal.may_write_messages() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT journal.has_any_role(
        '{admin,director,deputy,office,methodologist,teacher,curator,support,parent}')
$$;

-- People who hold a staff role (their names are visible to every staff member).
CREATE FUNCTION journal.staff_ids() RETURNS bigint[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce(array_agg(DISTINCT r.person_id), '{}') FROM journal.person_role r
     WHERE journal.my_person_id() IS NOT NULL
       AND r.role NOT IN ('student', 'parent')
$$;

-- Teaching loads of a teacher (all years: a teacher reads the history of their own load).
CREATE FUNCTION journal.my_load_ids() RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    WITH me AS (SELECT journal.my_person_id() AS id)
    SELECT coalesce(array_agg(t.id), '{}') FROM journal.teaching_load t, me
     WHERE t.teacher_id = me.id
       AND EXISTS (SELECT FROM journal.person_role r WHERE r.person_id = me.id AND r.role = 'teacher')
$$;

-- Lessons of someone else's load that this teacher is recorded as having taught (R17).
CREATE FUNCTION journal.my_sub_lesson_ids() RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    WITH me AS (SELECT journal.my_person_id() AS id)
    SELECT coalesce(array_agg(l.id), '{}')
      FROM journal.lesson l JOIN journal.teaching_load t ON t.id = l.load_id, me
     WHERE l.taught_by = me.id AND t.teacher_id <> me.id
       AND EXISTS (SELECT FROM journal.person_role r WHERE r.person_id = me.id AND r.role = 'teacher')
$$;

-- Statements of my loads, and those where I am the examiner.
CREATE FUNCTION journal.my_statement_ids() RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    WITH me AS (SELECT journal.my_person_id() AS id)
    SELECT coalesce(array_agg(s.id), '{}')
      FROM journal.statement s JOIN journal.teaching_load t ON t.id = s.load_id, me
     WHERE (t.teacher_id = me.id OR s.examiner_id = me.id)
       AND EXISTS (SELECT FROM journal.person_role r WHERE r.person_id = me.id AND r.role = 'teacher')
$$;

CREATE FUNCTION journal.my_curated_group_ids() RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    WITH me AS (SELECT journal.my_person_id() AS id)
    SELECT coalesce(array_agg(g.id), '{}') FROM journal.study_group g, me
     WHERE g.curator_id = me.id
       AND EXISTS (SELECT FROM journal.person_role r WHERE r.person_id = me.id AND r.role = 'curator')
$$;

CREATE FUNCTION journal.my_curated_load_ids() RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce(array_agg(t.id), '{}') FROM journal.teaching_load t
     WHERE t.group_id = ANY (journal.my_curated_group_ids())
$$;

CREATE FUNCTION journal.my_curated_student_ids() RETURNS bigint[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce(array_agg(s.person_id), '{}') FROM journal.student s
     WHERE s.group_id = ANY (journal.my_curated_group_ids())
$$;

-- Students of my curated groups and their parents: whose contact data I keep.
CREATE FUNCTION journal.my_curated_person_ids() RETURNS bigint[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    WITH s AS (SELECT unnest(journal.my_curated_student_ids()) AS id)
    SELECT coalesce(array_agg(DISTINCT x.id), '{}') FROM (
        SELECT id FROM s
        UNION ALL
        SELECT g.parent_id FROM journal.guardian g JOIN s ON s.id = g.student_id) x
$$;

CREATE FUNCTION journal.my_child_ids() RETURNS bigint[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    WITH me AS (SELECT journal.my_person_id() AS id)
    SELECT coalesce(array_agg(g.student_id), '{}') FROM journal.guardian g, me
     WHERE g.parent_id = me.id
       AND EXISTS (SELECT FROM journal.person_role r WHERE r.person_id = me.id AND r.role = 'parent')
$$;

-- Students whose whole record I read: myself, my children, my curated groups' students.
CREATE FUNCTION journal.my_ward_ids() RETURNS bigint[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    WITH me AS (SELECT journal.my_person_id() AS id)
    SELECT coalesce(array_agg(DISTINCT x.id), '{}') FROM (
        SELECT s.person_id AS id FROM journal.student s, me
         WHERE s.person_id = me.id
           AND EXISTS (SELECT FROM journal.person_role r
                        WHERE r.person_id = me.id AND r.role = 'student')
        UNION ALL SELECT unnest(journal.my_child_ids())
        UNION ALL SELECT unnest(journal.my_curated_student_ids())) x
$$;

CREATE FUNCTION journal.my_ward_group_ids() RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce(array_agg(DISTINCT s.group_id), '{}') FROM journal.student s
     WHERE s.person_id = ANY (journal.my_ward_ids())
$$;

-- Loads of my wards' groups: their lessons, homework, timetable, КТП and statements.
CREATE FUNCTION journal.my_ward_load_ids() RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce(array_agg(t.id), '{}') FROM journal.teaching_load t
     WHERE t.group_id = ANY (journal.my_ward_group_ids())
$$;

-- Students whose names and records I may see: wards, and the students of the groups I teach
-- (or substituted in) in a year that is not archived.
CREATE FUNCTION journal.my_student_ids() RETURNS bigint[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    WITH taught AS (
        SELECT t.group_id FROM journal.teaching_load t
          JOIN journal.period p ON p.id = t.period_id
          JOIN journal.academic_year y ON y.id = p.year_id
         WHERE y.archived_at IS NULL
           AND (t.id = ANY (journal.my_load_ids())
                OR t.id IN (SELECT l.load_id FROM journal.lesson l
                             WHERE l.id = ANY (journal.my_sub_lesson_ids())))
    )
    SELECT coalesce(array_agg(DISTINCT x.id), '{}') FROM (
        SELECT unnest(journal.my_ward_ids()) AS id
        UNION ALL
        SELECT s.person_id FROM journal.student s WHERE s.group_id IN (SELECT group_id FROM taught)) x
$$;

-- Staff of my wards' groups: the teachers of their loads (and substitutes), the curators.
CREATE FUNCTION journal.my_group_staff_ids() RETURNS bigint[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    WITH loads AS (SELECT unnest(journal.my_ward_load_ids()) AS id)
    SELECT coalesce(array_agg(DISTINCT x.id), '{}') FROM (
        SELECT t.teacher_id AS id FROM journal.teaching_load t JOIN loads ON loads.id = t.id
        UNION ALL
        SELECT l.taught_by FROM journal.lesson l JOIN loads ON loads.id = l.load_id
        UNION ALL
        SELECT g.curator_id FROM journal.study_group g
         WHERE g.id = ANY (journal.my_ward_group_ids()) AND g.curator_id IS NOT NULL) x
$$;

-- Threads I am a member of or started.
CREATE FUNCTION journal.my_thread_ids() RETURNS bigint[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    WITH me AS (SELECT journal.my_person_id() AS id)
    SELECT coalesce(array_agg(DISTINCT x.id), '{}') FROM (
        SELECT m.thread_id AS id FROM journal.thread_member m, me WHERE m.person_id = me.id
        UNION ALL
        SELECT t.id FROM journal.thread t, me WHERE t.created_by = me.id) x
$$;

CREATE FUNCTION journal.my_created_thread_ids() RETURNS bigint[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce(array_agg(t.id), '{}') FROM journal.thread t
     WHERE t.created_by = journal.my_person_id()
$$;

-- Whom I may add to a thread (besides myself; the readers of everything may add anyone):
-- staff reach all staff; a curator also the students and parents of the group; a parent
-- reaches the staff of the children's groups.
CREATE FUNCTION journal.my_correspondent_ids() RETURNS bigint[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce(array_agg(DISTINCT x.id), '{}') FROM (
        SELECT unnest(journal.staff_ids()) AS id WHERE journal.is_staff()
        UNION ALL SELECT unnest(journal.my_curated_person_ids())
        UNION ALL SELECT unnest(journal.my_group_staff_ids()) WHERE journal.has_any_role('{parent}')
    ) x
$$;

-- Everyone whose name I may read (readers of everything and support staff read all).
CREATE FUNCTION journal.my_person_ids() RETURNS bigint[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    WITH me AS (SELECT journal.my_person_id() AS id)
    SELECT coalesce(array_agg(DISTINCT x.id), '{}') FROM (
        SELECT me.id FROM me WHERE me.id IS NOT NULL
        UNION ALL SELECT unnest(journal.my_student_ids())
        UNION ALL SELECT unnest(journal.staff_ids()) WHERE journal.is_staff()
        UNION ALL SELECT unnest(journal.my_curated_person_ids())
        UNION ALL SELECT unnest(journal.my_group_staff_ids())
        UNION ALL SELECT m.person_id FROM journal.thread_member m
                   WHERE m.thread_id = ANY (journal.my_thread_ids())) x
$$;

-- The teacher of a load (a curator creating a lesson for attendance must name them).
CREATE FUNCTION journal.load_teacher(p_load integer) RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT t.teacher_id FROM journal.teaching_load t
     WHERE t.id = p_load AND journal.my_person_id() IS NOT NULL
$$;

-- Who this session is: one row for session_user (person_id NULL when it has no account).
-- A session that must change its password still learns who it is, to show the form.
CREATE FUNCTION journal.whoami()
RETURNS TABLE (person_id bigint, login text, full_name text, roles text[],
               must_change_password boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT CASE WHEN a.blocked THEN NULL ELSE a.person_id END,
           session_user::text,
           coalesce(btrim(p.surname || ' ' || p.name || ' ' || p.patronymic), ''),
           coalesce((SELECT array_agg(r.role ORDER BY r.role) FROM journal.person_role r
                      WHERE r.person_id = a.person_id AND NOT a.blocked), '{}'),
           coalesce(a.must_change_password, false)
      FROM (SELECT 1) one
      LEFT JOIN journal.account a ON a.login = session_user::text
      LEFT JOIN journal.person p ON p.id = a.person_id
$$;

-- Why this session sees nothing, in Russian; NULL when it may work.
CREATE FUNCTION journal.access_refusal() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT CASE
        WHEN a.person_id IS NULL THEN 'Учётная запись не связана с человеком в журнале.'
        WHEN a.blocked THEN 'Учётная запись заблокирована.'
        WHEN a.must_change_password THEN 'Нужно сменить пароль: до смены доступ к журналу закрыт.'
        WHEN journal.outside_working_hours(a.person_id)
            THEN 'Доступ к журналу открыт только в рабочее время.'
        END
      FROM (SELECT 1) one LEFT JOIN journal.account a ON a.login = session_user::text
$$;

DO $$
DECLARE f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
              WHERE p.pronamespace = 'journal'::regnamespace AND p.prosecdef
                AND p.proowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO ej_security', f);
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO ej_login, ej_owner', f);
    END LOOP;
END $$;

-- Indexes on the columns the helpers and policies filter by that 0001 left without one.
CREATE INDEX statement_examiner_idx ON journal.statement (examiner_id);
CREATE INDEX thread_created_by_idx ON journal.thread (created_by);
