-- 0005: row-level security on every table of schema journal, per command, with USING and
-- WITH CHECK. The access matrix these policies implement is docs/security.md; the tests in
-- tests/security check it cell by cell. Table privileges (0003) say which group roles may
-- run a command at all; the policies say on which rows. Policies apply TO PUBLIC and key on
-- session_user through the helpers of 0004, so a function owned by ej_owner still runs
-- with the rights of the person who called it.

SET LOCAL search_path = pg_catalog, journal;

DO $$
DECLARE v_table text;
BEGIN
    FOR v_table IN SELECT c.relname FROM pg_class c
                    WHERE c.relnamespace = 'journal'::regnamespace AND c.relkind IN ('r', 'p')
    LOOP
        EXECUTE format('ALTER TABLE journal.%I ENABLE ROW LEVEL SECURITY', v_table);
        EXECUTE format('ALTER TABLE journal.%I FORCE ROW LEVEL SECURITY', v_table);
    END LOOP;

    -- Calendar and catalogs: every active person reads them, only the admin writes.
    FOREACH v_table IN ARRAY ARRAY['setting', 'academic_year', 'period', 'holiday', 'bell',
        'specialty', 'curriculum', 'discipline', 'curriculum_item', 'lesson_type', 'work_kind']
    LOOP
        EXECUTE format($f$CREATE POLICY %1$s_select ON journal.%1$I FOR SELECT
            USING ((SELECT journal.my_person_id()) IS NOT NULL)$f$, v_table);
        EXECUTE format($f$CREATE POLICY %1$s_insert ON journal.%1$I FOR INSERT
            WITH CHECK ((SELECT journal.is_admin()))$f$, v_table);
        EXECUTE format($f$CREATE POLICY %1$s_update ON journal.%1$I FOR UPDATE
            USING ((SELECT journal.is_admin())) WITH CHECK ((SELECT journal.is_admin()))$f$, v_table);
        EXECUTE format($f$CREATE POLICY %1$s_delete ON journal.%1$I FOR DELETE
            USING ((SELECT journal.is_admin()))$f$, v_table);
    END LOOP;

    -- Groups, loads, timetable: staff read all; students and parents their groups' only.
    -- Only the admin writes them.
    FOREACH v_table IN ARRAY ARRAY['study_group', 'subgroup', 'teaching_load', 'timetable_slot',
        'staff']
    LOOP
        EXECUTE format($f$CREATE POLICY %1$s_insert ON journal.%1$I FOR INSERT
            WITH CHECK ((SELECT journal.is_admin()))$f$, v_table);
        EXECUTE format($f$CREATE POLICY %1$s_update ON journal.%1$I FOR UPDATE
            USING ((SELECT journal.is_admin())) WITH CHECK ((SELECT journal.is_admin()))$f$, v_table);
        EXECUTE format($f$CREATE POLICY %1$s_delete ON journal.%1$I FOR DELETE
            USING ((SELECT journal.is_admin()))$f$, v_table);
    END LOOP;
END $$;

CREATE POLICY study_group_select ON journal.study_group FOR SELECT
    USING ((SELECT journal.is_staff()) OR id = ANY ((SELECT journal.my_ward_group_ids())::int[]));
CREATE POLICY subgroup_select ON journal.subgroup FOR SELECT
    USING ((SELECT journal.is_staff()) OR group_id = ANY ((SELECT journal.my_ward_group_ids())::int[]));
CREATE POLICY teaching_load_select ON journal.teaching_load FOR SELECT
    USING ((SELECT journal.is_staff()) OR id = ANY ((SELECT journal.my_ward_load_ids())::int[]));
CREATE POLICY timetable_slot_select ON journal.timetable_slot FOR SELECT
    USING ((SELECT journal.is_staff()) OR load_id = ANY ((SELECT journal.my_ward_load_ids())::int[]));
CREATE POLICY staff_select ON journal.staff FOR SELECT
    USING ((SELECT journal.is_staff()));

-- КТП: staff and the load's group read; the admin and the load's teacher write.
CREATE POLICY ktp_topic_select ON journal.ktp_topic FOR SELECT
    USING ((SELECT journal.is_staff()) OR load_id = ANY ((SELECT journal.my_ward_load_ids())::int[]));
CREATE POLICY ktp_topic_insert ON journal.ktp_topic FOR INSERT
    WITH CHECK ((SELECT journal.is_admin()) OR load_id = ANY ((SELECT journal.my_load_ids())::int[]));
CREATE POLICY ktp_topic_update ON journal.ktp_topic FOR UPDATE
    USING ((SELECT journal.is_admin()) OR load_id = ANY ((SELECT journal.my_load_ids())::int[]))
    WITH CHECK ((SELECT journal.is_admin()) OR load_id = ANY ((SELECT journal.my_load_ids())::int[]));
CREATE POLICY ktp_topic_delete ON journal.ktp_topic FOR DELETE
    USING ((SELECT journal.is_admin()) OR load_id = ANY ((SELECT journal.my_load_ids())::int[]));

-- People. Personal data: readers of everything and support staff read all people; others
-- read the people journal.my_person_ids() names. The admin writes anyone; the office writes
-- people who are not staff (students, parents); a curator keeps the contact data (column
-- privilege: phone, email) of the group's students and their parents.
-- (Initplans run lazily and OR stops at the first true term: the cheap, common cases come
-- first, so a teacher's page rarely computes the whole my_person_ids().)
CREATE POLICY person_select ON journal.person FOR SELECT
    USING ((SELECT journal.reads_all_marks()) OR id = (SELECT journal.my_person_id())
           OR id = ANY ((SELECT journal.staff_ids())::bigint[])
           OR id = ANY ((SELECT journal.my_student_ids())::bigint[])
           OR id = ANY ((SELECT journal.my_person_ids())::bigint[]));
CREATE POLICY person_insert ON journal.person FOR INSERT
    WITH CHECK ((SELECT journal.writes_all()));
CREATE POLICY person_update ON journal.person FOR UPDATE
    USING ((SELECT journal.is_admin())
           OR ((SELECT journal.writes_all()) AND NOT id = ANY ((SELECT journal.staff_ids())::bigint[]))
           OR id = ANY ((SELECT journal.my_curated_person_ids())::bigint[]))
    WITH CHECK ((SELECT journal.is_admin())
           OR ((SELECT journal.writes_all()) AND NOT id = ANY ((SELECT journal.staff_ids())::bigint[]))
           OR id = ANY ((SELECT journal.my_curated_person_ids())::bigint[]));
CREATE POLICY person_delete ON journal.person FOR DELETE
    USING ((SELECT journal.is_admin()));

CREATE POLICY person_role_select ON journal.person_role FOR SELECT
    USING ((SELECT journal.reads_all_marks()) OR person_id = (SELECT journal.my_person_id())
           OR person_id = ANY ((SELECT journal.staff_ids())::bigint[])
           OR person_id = ANY ((SELECT journal.my_person_ids())::bigint[]));
CREATE POLICY person_role_insert ON journal.person_role FOR INSERT
    WITH CHECK ((SELECT journal.is_admin())
                OR ((SELECT journal.writes_all()) AND role IN ('student', 'parent')
                    AND NOT person_id = ANY ((SELECT journal.staff_ids())::bigint[])));
CREATE POLICY person_role_delete ON journal.person_role FOR DELETE
    USING ((SELECT journal.is_admin())
           OR ((SELECT journal.writes_all()) AND role IN ('student', 'parent')
               AND NOT person_id = ANY ((SELECT journal.staff_ids())::bigint[])));

CREATE POLICY student_select ON journal.student FOR SELECT
    USING ((SELECT journal.reads_all_marks())
           OR group_id = ANY ((SELECT journal.my_taught_group_ids())::int[])
           OR person_id = ANY ((SELECT journal.my_ward_ids())::bigint[]));
CREATE POLICY student_insert ON journal.student FOR INSERT
    WITH CHECK ((SELECT journal.writes_all()));
CREATE POLICY student_update ON journal.student FOR UPDATE
    USING ((SELECT journal.writes_all())) WITH CHECK ((SELECT journal.writes_all()));
CREATE POLICY student_delete ON journal.student FOR DELETE
    USING ((SELECT journal.writes_all()));

CREATE POLICY guardian_select ON journal.guardian FOR SELECT
    USING ((SELECT journal.reads_all_marks()) OR student_id = ANY ((SELECT journal.my_ward_ids())::bigint[])
           OR parent_id = (SELECT journal.my_person_id()));
CREATE POLICY guardian_insert ON journal.guardian FOR INSERT
    WITH CHECK ((SELECT journal.writes_all())
                OR student_id = ANY ((SELECT journal.my_curated_student_ids())::bigint[]));
CREATE POLICY guardian_update ON journal.guardian FOR UPDATE
    USING ((SELECT journal.writes_all())
           OR student_id = ANY ((SELECT journal.my_curated_student_ids())::bigint[]))
    WITH CHECK ((SELECT journal.writes_all())
                OR student_id = ANY ((SELECT journal.my_curated_student_ids())::bigint[]));
CREATE POLICY guardian_delete ON journal.guardian FOR DELETE
    USING ((SELECT journal.writes_all())
           OR student_id = ANY ((SELECT journal.my_curated_student_ids())::bigint[]));

-- Accounts and logins: written only by ej_security's functions (no write privilege).
CREATE POLICY account_select ON journal.account FOR SELECT
    USING ((SELECT journal.reads_all()) OR person_id = (SELECT journal.my_person_id())
           OR person_id = ANY ((SELECT journal.my_curated_person_ids())::bigint[]));
CREATE POLICY login_event_select ON journal.login_event FOR SELECT
    USING ((SELECT journal.is_admin())
           OR ((SELECT journal.my_person_id()) IS NOT NULL AND login = session_user::text));

-- Lessons (records, homework). A teacher writes the lessons of their own load, and the
-- lessons of another load they are recorded as having taught (taught_by, R17) — but cannot
-- hand such a lesson to someone else. A curator may create a lesson of the group's load for
-- attendance, taught by the load's own teacher.
CREATE POLICY lesson_select ON journal.lesson FOR SELECT
    USING ((SELECT journal.reads_all_marks())
           OR load_id = ANY ((SELECT journal.my_load_ids())::int[])
           OR id = ANY ((SELECT journal.my_sub_lesson_ids())::int[])
           OR load_id = ANY ((SELECT journal.my_ward_load_ids())::int[]));
CREATE POLICY lesson_insert ON journal.lesson FOR INSERT
    WITH CHECK ((SELECT journal.writes_all())
                OR load_id = ANY ((SELECT journal.my_load_ids())::int[])
                OR (load_id = ANY ((SELECT journal.my_curated_load_ids())::int[])
                    AND taught_by = journal.load_teacher(load_id)));
CREATE POLICY lesson_update ON journal.lesson FOR UPDATE
    USING ((SELECT journal.writes_all())
           OR load_id = ANY ((SELECT journal.my_load_ids())::int[])
           OR id = ANY ((SELECT journal.my_sub_lesson_ids())::int[]))
    WITH CHECK ((SELECT journal.writes_all())
                OR load_id = ANY ((SELECT journal.my_load_ids())::int[])
                OR (id = ANY ((SELECT journal.my_sub_lesson_ids())::int[])
                    AND taught_by = (SELECT journal.my_person_id())));
CREATE POLICY lesson_delete ON journal.lesson FOR DELETE
    USING ((SELECT journal.writes_all()) OR load_id = ANY ((SELECT journal.my_load_ids())::int[]));

-- Attendance: the curator writes the group's attendance; teachers correct their lessons'.
CREATE POLICY attendance_select ON journal.attendance FOR SELECT
    USING ((SELECT journal.reads_all_marks())
           OR load_id = ANY ((SELECT journal.my_load_ids())::int[])
           OR lesson_id = ANY ((SELECT journal.my_sub_lesson_ids())::int[])
           OR student_id = ANY ((SELECT journal.my_ward_ids())::bigint[]));
CREATE POLICY attendance_insert ON journal.attendance FOR INSERT
    WITH CHECK ((SELECT journal.writes_all())
                OR load_id = ANY ((SELECT journal.my_load_ids())::int[])
                OR lesson_id = ANY ((SELECT journal.my_sub_lesson_ids())::int[])
                OR student_id = ANY ((SELECT journal.my_curated_student_ids())::bigint[]));
CREATE POLICY attendance_update ON journal.attendance FOR UPDATE
    USING ((SELECT journal.writes_all())
           OR load_id = ANY ((SELECT journal.my_load_ids())::int[])
           OR lesson_id = ANY ((SELECT journal.my_sub_lesson_ids())::int[])
           OR student_id = ANY ((SELECT journal.my_curated_student_ids())::bigint[]))
    WITH CHECK ((SELECT journal.writes_all())
                OR load_id = ANY ((SELECT journal.my_load_ids())::int[])
                OR lesson_id = ANY ((SELECT journal.my_sub_lesson_ids())::int[])
                OR student_id = ANY ((SELECT journal.my_curated_student_ids())::bigint[]));
CREATE POLICY attendance_delete ON journal.attendance FOR DELETE
    USING ((SELECT journal.writes_all())
           OR load_id = ANY ((SELECT journal.my_load_ids())::int[])
           OR lesson_id = ANY ((SELECT journal.my_sub_lesson_ids())::int[])
           OR student_id = ANY ((SELECT journal.my_curated_student_ids())::bigint[]));

-- Current marks.
CREATE POLICY mark_select ON journal.mark FOR SELECT
    USING ((SELECT journal.reads_all_marks())
           OR load_id = ANY ((SELECT journal.my_load_ids())::int[])
           OR lesson_id = ANY ((SELECT journal.my_sub_lesson_ids())::int[])
           OR student_id = ANY ((SELECT journal.my_ward_ids())::bigint[]));
CREATE POLICY mark_insert ON journal.mark FOR INSERT
    WITH CHECK ((SELECT journal.writes_all())
                OR load_id = ANY ((SELECT journal.my_load_ids())::int[])
                OR lesson_id = ANY ((SELECT journal.my_sub_lesson_ids())::int[]));
CREATE POLICY mark_update ON journal.mark FOR UPDATE
    USING ((SELECT journal.writes_all())
           OR load_id = ANY ((SELECT journal.my_load_ids())::int[])
           OR lesson_id = ANY ((SELECT journal.my_sub_lesson_ids())::int[]))
    WITH CHECK ((SELECT journal.writes_all())
                OR load_id = ANY ((SELECT journal.my_load_ids())::int[])
                OR lesson_id = ANY ((SELECT journal.my_sub_lesson_ids())::int[]));
CREATE POLICY mark_delete ON journal.mark FOR DELETE
    USING ((SELECT journal.writes_all())
           OR load_id = ANY ((SELECT journal.my_load_ids())::int[])
           OR lesson_id = ANY ((SELECT journal.my_sub_lesson_ids())::int[]));

-- Statements and their marks; final marks.
CREATE POLICY statement_select ON journal.statement FOR SELECT
    USING ((SELECT journal.reads_all_marks())
           OR id = ANY ((SELECT journal.my_statement_ids())::int[])
           OR load_id = ANY ((SELECT journal.my_ward_load_ids())::int[]));
CREATE POLICY statement_insert ON journal.statement FOR INSERT
    WITH CHECK ((SELECT journal.writes_all()) OR load_id = ANY ((SELECT journal.my_load_ids())::int[]));
CREATE POLICY statement_update ON journal.statement FOR UPDATE
    USING ((SELECT journal.writes_all()) OR load_id = ANY ((SELECT journal.my_load_ids())::int[]))
    WITH CHECK ((SELECT journal.writes_all()) OR load_id = ANY ((SELECT journal.my_load_ids())::int[]));
CREATE POLICY statement_delete ON journal.statement FOR DELETE
    USING ((SELECT journal.writes_all()) OR load_id = ANY ((SELECT journal.my_load_ids())::int[]));

CREATE POLICY statement_mark_select ON journal.statement_mark FOR SELECT
    USING ((SELECT journal.reads_all_marks())
           OR statement_id = ANY ((SELECT journal.my_statement_ids())::int[])
           OR student_id = ANY ((SELECT journal.my_ward_ids())::bigint[]));
CREATE POLICY statement_mark_insert ON journal.statement_mark FOR INSERT
    WITH CHECK ((SELECT journal.writes_all())
                OR statement_id = ANY ((SELECT journal.my_statement_ids())::int[]));
CREATE POLICY statement_mark_update ON journal.statement_mark FOR UPDATE
    USING ((SELECT journal.writes_all())
           OR statement_id = ANY ((SELECT journal.my_statement_ids())::int[]))
    WITH CHECK ((SELECT journal.writes_all())
                OR statement_id = ANY ((SELECT journal.my_statement_ids())::int[]));
CREATE POLICY statement_mark_delete ON journal.statement_mark FOR DELETE
    USING ((SELECT journal.writes_all())
           OR statement_id = ANY ((SELECT journal.my_statement_ids())::int[]));

CREATE POLICY final_mark_select ON journal.final_mark FOR SELECT
    USING ((SELECT journal.reads_all_marks())
           OR load_id = ANY ((SELECT journal.my_load_ids())::int[])
           OR student_id = ANY ((SELECT journal.my_ward_ids())::bigint[]));
CREATE POLICY final_mark_insert ON journal.final_mark FOR INSERT
    WITH CHECK ((SELECT journal.writes_all()) OR load_id = ANY ((SELECT journal.my_load_ids())::int[]));
CREATE POLICY final_mark_update ON journal.final_mark FOR UPDATE
    USING ((SELECT journal.writes_all()) OR load_id = ANY ((SELECT journal.my_load_ids())::int[]))
    WITH CHECK ((SELECT journal.writes_all()) OR load_id = ANY ((SELECT journal.my_load_ids())::int[]));
CREATE POLICY final_mark_delete ON journal.final_mark FOR DELETE
    USING ((SELECT journal.writes_all()) OR load_id = ANY ((SELECT journal.my_load_ids())::int[]));

-- Correspondence (R21): members read their threads; readers of everything read all. A
-- parent starts a thread about their own child with the staff of the child's groups; staff
-- start threads with staff, a curator also with the group's students and parents. A person
-- who is only a student writes nothing. Messages are never edited or deleted.
CREATE POLICY thread_select ON journal.thread FOR SELECT
    USING ((SELECT journal.reads_all()) OR id = ANY ((SELECT journal.my_thread_ids())::bigint[])
           OR created_by = (SELECT journal.my_person_id()));
CREATE POLICY thread_insert ON journal.thread FOR INSERT
    WITH CHECK (created_by = (SELECT journal.my_person_id())
                AND (((SELECT journal.is_staff())
                      AND (student_id IS NULL OR (SELECT journal.reads_all())
                           OR student_id = ANY ((SELECT journal.my_student_ids())::bigint[])))
                     OR ((SELECT journal.has_any_role('{parent}'))
                         AND student_id = ANY ((SELECT journal.my_child_ids())::bigint[]))));

CREATE POLICY thread_member_select ON journal.thread_member FOR SELECT
    USING ((SELECT journal.reads_all()) OR thread_id = ANY ((SELECT journal.my_thread_ids())::bigint[]));
CREATE POLICY thread_member_insert ON journal.thread_member FOR INSERT
    WITH CHECK (thread_id = ANY ((SELECT journal.my_created_thread_ids())::bigint[])
                AND (person_id = (SELECT journal.my_person_id())
                     OR (SELECT journal.reads_all())
                     OR person_id = ANY ((SELECT journal.my_correspondent_ids())::bigint[])));
CREATE POLICY thread_member_update ON journal.thread_member FOR UPDATE
    USING (person_id = (SELECT journal.my_person_id()))
    WITH CHECK (person_id = (SELECT journal.my_person_id()));
CREATE POLICY thread_member_delete ON journal.thread_member FOR DELETE
    USING (thread_id = ANY ((SELECT journal.my_created_thread_ids())::bigint[])
           OR person_id = (SELECT journal.my_person_id()));

CREATE POLICY message_select ON journal.message FOR SELECT
    USING ((SELECT journal.reads_all()) OR thread_id = ANY ((SELECT journal.my_thread_ids())::bigint[]));
CREATE POLICY message_insert ON journal.message FOR INSERT
    WITH CHECK (author_id = (SELECT journal.my_person_id())
                AND thread_id = ANY ((SELECT journal.my_thread_ids())::bigint[])
                AND (SELECT journal.may_write_messages()));

-- History (R14): whoever may read the underlying row reads its history; nobody writes it.
-- Support staff read the history of the journal tables, not of accounts or settings.
CREATE POLICY change_log_select ON journal.change_log FOR SELECT
    USING ((SELECT journal.reads_all())
           OR ((SELECT journal.reads_all_marks())
               AND table_name IN ('lesson', 'attendance', 'mark', 'statement', 'statement_mark',
                                  'final_mark'))
           OR load_id = ANY ((SELECT journal.my_load_ids())::int[])
           OR student_id = ANY ((SELECT journal.my_ward_ids())::bigint[])
           OR (student_id IS NULL AND load_id = ANY ((SELECT journal.my_ward_load_ids())::int[]))
           -- a substitute: the lessons they taught, with their marks and attendance
           OR (cardinality((SELECT journal.my_sub_lesson_ids())::int[]) > 0
               AND table_name IN ('lesson', 'mark', 'attendance')
               AND (coalesce(new_value, old_value)
                    ->> CASE table_name WHEN 'lesson' THEN 'id' ELSE 'lesson_id' END)::int
                   = ANY ((SELECT journal.my_sub_lesson_ids())::int[])));
