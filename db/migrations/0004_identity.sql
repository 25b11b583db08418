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
            IF jsonb_typeof(v) IS DISTINCT FROM 'object'
               OR jsonb_typeof(v->'enabled') IS DISTINCT FROM 'boolean'
               OR jsonb_typeof(v->'roles') IS DISTINCT FROM 'array'
               OR jsonb_typeof(v->'from') IS DISTINCT FROM 'string'
               OR jsonb_typeof(v->'to') IS DISTINCT FROM 'string'
               OR jsonb_typeof(v->'timezone') IS DISTINCT FROM 'string'
               OR (v ? 'days' AND jsonb_typeof(v->'days') IS DISTINCT FROM 'array')
               OR v->>'from' !~ '^[0-2][0-9]:[0-5][0-9]$' OR v->>'to' !~ '^[0-2][0-9]:[0-5][0-9]$' THEN
                RAISE EXCEPTION 'shape';
            END IF;
            PERFORM (v->>'from')::time, (v->>'to')::time, now() AT TIME ZONE (v->>'timezone');
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

-- The person behind session_user and their roles; no row when the session may do nothing.
-- Every helper starts here. Invoker rights, not executable by anyone but its owner, so the
-- helpers (running as ej_security) can inline it: one query per helper call.
CREATE FUNCTION journal._me() RETURNS TABLE (person_id bigint, roles text[])
LANGUAGE sql STABLE AS $$
    SELECT a.person_id,
           coalesce((SELECT array_agg(r.role ORDER BY r.role) FROM journal.person_role r
                      WHERE r.person_id = a.person_id), '{}')
      FROM journal.account a
     WHERE a.login = session_user::text
       AND NOT a.must_change_password
       AND NOT a.blocked
       AND NOT (EXISTS (SELECT FROM journal.setting w WHERE w.key = 'working_hours'
                          AND w.value->>'enabled' = 'true')
                AND journal.outside_working_hours(a.person_id))
$$;

CREATE FUNCTION journal.me(OUT person_id bigint, OUT roles text[])
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT m.person_id, m.roles FROM journal._me() m
$$;

-- Internal: the sets behind the helpers, for a given person and roles. Invoker rights and no
-- EXECUTE for anyone: only the helpers below (running as ej_security) call them. Were they
-- ever called by a person, row-level security would still apply to them.
CREATE FUNCTION journal._staff_ids() RETURNS bigint[] LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(DISTINCT r.person_id), '{}') FROM journal.person_role r
     WHERE r.role NOT IN ('student', 'parent')
$$;

CREATE FUNCTION journal._load_ids(p_me bigint, p_roles text[]) RETURNS integer[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(t.id), '{}') FROM journal.teaching_load t
     WHERE t.teacher_id = p_me AND 'teacher' = ANY (p_roles)
$$;

CREATE FUNCTION journal._sub_lesson_ids(p_me bigint, p_roles text[]) RETURNS integer[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(l.id), '{}')
      FROM journal.lesson l JOIN journal.teaching_load t ON t.id = l.load_id
     WHERE l.taught_by = p_me AND t.teacher_id <> p_me AND 'teacher' = ANY (p_roles)
$$;

CREATE FUNCTION journal._statement_ids(p_me bigint, p_roles text[]) RETURNS integer[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(DISTINCT x.id), '{}') FROM (
        SELECT s.id FROM journal.statement s JOIN journal.teaching_load t ON t.id = s.load_id
         WHERE t.teacher_id = p_me
        UNION ALL
        SELECT s.id FROM journal.statement s WHERE s.examiner_id = p_me) x
     WHERE 'teacher' = ANY (p_roles)
$$;

CREATE FUNCTION journal._curated_group_ids(p_me bigint, p_roles text[]) RETURNS integer[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(g.id), '{}') FROM journal.study_group g
     WHERE g.curator_id = p_me AND 'curator' = ANY (p_roles)
$$;

CREATE FUNCTION journal._curated_student_ids(p_me bigint, p_roles text[]) RETURNS bigint[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(s.person_id), '{}')
      FROM journal.study_group g JOIN journal.student s ON s.group_id = g.id
     WHERE g.curator_id = p_me AND 'curator' = ANY (p_roles)
$$;

CREATE FUNCTION journal._curated_person_ids(p_me bigint, p_roles text[]) RETURNS bigint[]
LANGUAGE sql STABLE AS $$
    WITH s AS (SELECT s.person_id FROM journal.study_group g
                 JOIN journal.student s ON s.group_id = g.id
                WHERE g.curator_id = p_me AND 'curator' = ANY (p_roles))
    SELECT coalesce(array_agg(DISTINCT x.id), '{}') FROM (
        SELECT person_id AS id FROM s
        UNION ALL
        SELECT g.parent_id FROM journal.guardian g JOIN s ON s.person_id = g.student_id) x
$$;

CREATE FUNCTION journal._child_ids(p_me bigint, p_roles text[]) RETURNS bigint[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(g.student_id), '{}') FROM journal.guardian g
     WHERE g.parent_id = p_me AND 'parent' = ANY (p_roles)
$$;

CREATE FUNCTION journal._ward_ids(p_me bigint, p_roles text[]) RETURNS bigint[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(DISTINCT x.id), '{}') FROM (
        SELECT s.person_id AS id FROM journal.student s
         WHERE s.person_id = p_me AND 'student' = ANY (p_roles)
        UNION ALL
        SELECT g.student_id FROM journal.guardian g
         WHERE g.parent_id = p_me AND 'parent' = ANY (p_roles)
        UNION ALL
        SELECT s.person_id FROM journal.study_group g JOIN journal.student s ON s.group_id = g.id
         WHERE g.curator_id = p_me AND 'curator' = ANY (p_roles)) x
$$;

CREATE FUNCTION journal._ward_group_ids(p_me bigint, p_roles text[]) RETURNS integer[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(DISTINCT x.id), '{}') FROM (
        SELECT s.group_id AS id FROM journal.student s
         WHERE s.person_id = p_me AND 'student' = ANY (p_roles)
        UNION ALL
        SELECT s.group_id FROM journal.guardian g JOIN journal.student s ON s.person_id = g.student_id
         WHERE g.parent_id = p_me AND 'parent' = ANY (p_roles)
        UNION ALL
        SELECT g.id FROM journal.study_group g
         WHERE g.curator_id = p_me AND 'curator' = ANY (p_roles)) x
$$;

CREATE FUNCTION journal._ward_load_ids(p_me bigint, p_roles text[]) RETURNS integer[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(t.id), '{}') FROM journal.teaching_load t
     WHERE t.group_id = ANY ((SELECT journal._ward_group_ids(p_me, p_roles))::int[])
$$;

-- Groups a teacher teaches (or substituted in) in a year that is not archived.
CREATE FUNCTION journal._taught_group_ids(p_me bigint, p_roles text[]) RETURNS integer[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(DISTINCT t.group_id), '{}')
      FROM journal.teaching_load t
      JOIN journal.period p ON p.id = t.period_id
      JOIN journal.academic_year y ON y.id = p.year_id
     WHERE y.archived_at IS NULL AND 'teacher' = ANY (p_roles)
       AND t.id IN (SELECT o.id FROM journal.teaching_load o WHERE o.teacher_id = p_me
                    UNION
                    SELECT l.load_id FROM journal.lesson l WHERE l.taught_by = p_me)
$$;

CREATE FUNCTION journal._student_ids(p_me bigint, p_roles text[]) RETURNS bigint[]
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
                               SELECT l.load_id FROM journal.lesson l WHERE l.taught_by = p_me))) x
$$;

CREATE FUNCTION journal._group_staff_ids(p_me bigint, p_roles text[]) RETURNS bigint[]
LANGUAGE sql STABLE AS $$
    WITH w AS (SELECT journal._ward_load_ids(p_me, p_roles) AS loads,
                      journal._ward_group_ids(p_me, p_roles) AS groups)
    SELECT coalesce(array_agg(DISTINCT x.id), '{}') FROM (
        SELECT t.teacher_id AS id FROM journal.teaching_load t, w WHERE t.id = ANY (w.loads)
        UNION ALL
        SELECT l.taught_by FROM journal.lesson l, w WHERE l.load_id = ANY (w.loads)
        UNION ALL
        SELECT g.curator_id FROM journal.study_group g, w
         WHERE g.id = ANY (w.groups) AND g.curator_id IS NOT NULL) x
$$;

CREATE FUNCTION journal._thread_ids(p_me bigint) RETURNS bigint[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(DISTINCT x.id), '{}') FROM (
        SELECT m.thread_id AS id FROM journal.thread_member m WHERE m.person_id = p_me
        UNION ALL
        SELECT t.id FROM journal.thread t WHERE t.created_by = p_me) x
$$;

-- Everyone whose name I may read (readers of everything and support staff read all):
-- myself, the students I see, staff (if I am staff), my curated students' parents, the
-- staff of my (children's) groups (if I am a student or parent), my threads' members.
CREATE FUNCTION journal._person_ids(p_me bigint, p_roles text[]) RETURNS bigint[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(DISTINCT x.id), '{}') FROM (
        SELECT p_me AS id
        UNION ALL SELECT unnest(journal._student_ids(p_me, p_roles))
        UNION ALL SELECT unnest(journal._staff_ids())
                   WHERE p_roles && '{admin,director,deputy,office,methodologist,teacher,curator,support}'
        UNION ALL SELECT unnest(journal._curated_person_ids(p_me, p_roles))
        UNION ALL SELECT unnest(journal._group_staff_ids(p_me, p_roles))
                   WHERE p_roles && '{student,parent}'
        UNION ALL SELECT m.person_id FROM journal.thread_member m
                   WHERE m.thread_id = ANY ((SELECT journal._thread_ids(p_me))::bigint[]))  x
     WHERE p_me IS NOT NULL
$$;

-- Whom I may add to a thread (besides myself; the readers of everything may add anyone):
-- staff reach all staff; a curator also the students and parents of the group; a parent
-- reaches the staff of the children's groups.
CREATE FUNCTION journal._correspondent_ids(p_me bigint, p_roles text[]) RETURNS bigint[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(DISTINCT x.id), '{}') FROM (
        SELECT unnest(journal._staff_ids()) AS id
         WHERE p_roles && '{admin,director,deputy,office,methodologist,teacher,curator,support}'
        UNION ALL SELECT unnest(journal._curated_person_ids(p_me, p_roles))
        UNION ALL SELECT unnest(journal._group_staff_ids(p_me, p_roles))
                   WHERE 'parent' = ANY (p_roles)) x
     WHERE p_me IS NOT NULL
$$;

-- The helpers the policies call: SECURITY DEFINER, once per statement as (SELECT …).
CREATE FUNCTION journal.my_person_id() RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT m.person_id FROM journal._me() m
$$;

CREATE FUNCTION journal.my_roles() RETURNS text[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce((SELECT m.roles FROM journal._me() m), '{}')
$$;

CREATE FUNCTION journal.has_any_role(p_roles text[]) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce((SELECT m.roles && p_roles FROM journal._me() m), false)
$$;

CREATE FUNCTION journal.is_admin() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce((SELECT m.roles && '{admin}' FROM journal._me() m), false)
$$;

-- admin, director, deputies, office, methodologist: read everything.
CREATE FUNCTION journal.reads_all() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce((SELECT m.roles && '{admin,director,deputy,office,methodologist}' FROM journal._me() m), false)
$$;

-- ... and support staff, for marks, attendance, lessons, statements, students and people.
CREATE FUNCTION journal.reads_all_marks() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce((SELECT m.roles && '{admin,director,deputy,office,methodologist,support}' FROM journal._me() m), false)
$$;

-- admin and office: bulk entry of marks, attendance and statements for any group.
CREATE FUNCTION journal.writes_all() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce((SELECT m.roles && '{admin,office}' FROM journal._me() m), false)
$$;

CREATE FUNCTION journal.is_staff() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce((SELECT m.roles && '{admin,director,deputy,office,methodologist,teacher,curator,support}' FROM journal._me() m), false)
$$;

-- Everyone but a person who is only a student may write messages.
CREATE FUNCTION journal.may_write_messages() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce((SELECT m.roles && '{admin,director,deputy,office,methodologist,teacher,curator,support,parent}' FROM journal._me() m), false)
$$;

-- People who hold a staff role, for staff (their names are visible to every staff
-- member); empty for anyone else.
CREATE FUNCTION journal.staff_ids() RETURNS bigint[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce((SELECT CASE WHEN m.roles && '{admin,director,deputy,office,methodologist,teacher,curator,support}' THEN journal._staff_ids() ELSE '{}' END FROM journal._me() m), '{}')
$$;

-- Teaching loads of a teacher (all years: a teacher reads the history of their own load).
CREATE FUNCTION journal.my_load_ids() RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce((SELECT journal._load_ids(m.person_id, m.roles) FROM journal._me() m), '{}')
$$;

-- Lessons of someone else's load that this teacher is recorded as having taught (R17).
CREATE FUNCTION journal.my_sub_lesson_ids() RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce((SELECT journal._sub_lesson_ids(m.person_id, m.roles) FROM journal._me() m), '{}')
$$;

-- Statements of my loads, and those where I am the examiner.
CREATE FUNCTION journal.my_statement_ids() RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce((SELECT journal._statement_ids(m.person_id, m.roles) FROM journal._me() m), '{}')
$$;

CREATE FUNCTION journal.my_curated_group_ids() RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce((SELECT journal._curated_group_ids(m.person_id, m.roles) FROM journal._me() m), '{}')
$$;

CREATE FUNCTION journal.my_curated_load_ids() RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce((SELECT (SELECT coalesce(array_agg(t.id), '{}') FROM journal.teaching_load t
                      WHERE t.group_id = ANY (journal._curated_group_ids(m.person_id, m.roles))) FROM journal._me() m), '{}')
$$;

CREATE FUNCTION journal.my_curated_student_ids() RETURNS bigint[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce((SELECT journal._curated_student_ids(m.person_id, m.roles) FROM journal._me() m), '{}')
$$;

-- Students of my curated groups and their parents: whose contact data I keep.
CREATE FUNCTION journal.my_curated_person_ids() RETURNS bigint[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce((SELECT journal._curated_person_ids(m.person_id, m.roles) FROM journal._me() m), '{}')
$$;

CREATE FUNCTION journal.my_child_ids() RETURNS bigint[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce((SELECT journal._child_ids(m.person_id, m.roles) FROM journal._me() m), '{}')
$$;

-- Students whose whole record I read: myself, my children, my curated groups' students.
CREATE FUNCTION journal.my_ward_ids() RETURNS bigint[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce((SELECT journal._ward_ids(m.person_id, m.roles) FROM journal._me() m), '{}')
$$;

CREATE FUNCTION journal.my_ward_group_ids() RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce((SELECT journal._ward_group_ids(m.person_id, m.roles) FROM journal._me() m), '{}')
$$;

-- Loads of my wards' groups: their lessons, homework, timetable, КТП and statements.
CREATE FUNCTION journal.my_ward_load_ids() RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce((SELECT journal._ward_load_ids(m.person_id, m.roles) FROM journal._me() m), '{}')
$$;

-- Groups I teach (or substituted in) in a year that is not archived.
CREATE FUNCTION journal.my_taught_group_ids() RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce((SELECT journal._taught_group_ids(m.person_id, m.roles) FROM journal._me() m), '{}')
$$;

-- Students whose names and records I may see: wards, and the students of the groups I teach
-- (or substituted in) in a year that is not archived.
CREATE FUNCTION journal.my_student_ids() RETURNS bigint[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce((SELECT journal._student_ids(m.person_id, m.roles) FROM journal._me() m), '{}')
$$;

-- Staff of my wards' groups: the teachers of their loads (and substitutes), the curators.
CREATE FUNCTION journal.my_group_staff_ids() RETURNS bigint[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce((SELECT journal._group_staff_ids(m.person_id, m.roles) FROM journal._me() m), '{}')
$$;

-- Threads I am a member of or started.
CREATE FUNCTION journal.my_thread_ids() RETURNS bigint[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce((SELECT journal._thread_ids(m.person_id) FROM journal._me() m), '{}')
$$;

CREATE FUNCTION journal.my_created_thread_ids() RETURNS bigint[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce((SELECT (SELECT coalesce(array_agg(t.id), '{}') FROM journal.thread t
                      WHERE t.created_by = m.person_id) FROM journal._me() m), '{}')
$$;

CREATE FUNCTION journal.my_correspondent_ids() RETURNS bigint[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce((SELECT journal._correspondent_ids(m.person_id, m.roles) FROM journal._me() m), '{}')
$$;

CREATE FUNCTION journal.my_person_ids() RETURNS bigint[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce((SELECT journal._person_ids(m.person_id, m.roles) FROM journal._me() m), '{}')
$$;

-- The teacher of a load of my curated groups (a curator creating a lesson for attendance
-- must name them); NULL for any other load.
CREATE FUNCTION journal.load_teacher(p_load integer) RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT t.teacher_id FROM journal._me() m, journal.teaching_load t
     WHERE t.id = p_load
       AND t.group_id = ANY (journal._curated_group_ids(m.person_id, m.roles))
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
DECLARE f record;
BEGIN
    FOR f IN SELECT p.oid::regprocedure AS sig, p.proname FROM pg_proc p
              WHERE p.pronamespace = 'journal'::regnamespace
                AND (p.prosecdef OR p.proname LIKE '\_%')
                AND p.proowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO ej_security', f.sig);
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f.sig);
        IF f.proname NOT LIKE '\_%' AND f.proname <> 'outside_working_hours' THEN
            EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO ej_login, ej_owner', f.sig);
        END IF;
    END LOOP;
END $$;

-- Indexes on the columns the helpers and policies filter by that 0001 left without one.
CREATE INDEX statement_examiner_idx ON journal.statement (examiner_id);
CREATE INDEX thread_created_by_idx ON journal.thread (created_by);
-- A teacher's lessons by load (substitutions, taught groups): an index-only lookup.
CREATE INDEX lesson_taught_by_load_idx ON journal.lesson (taught_by, load_id);
CREATE INDEX thread_student_idx ON journal.thread (student_id);
