-- The curator of a group marks the attendance of a student transferred out of it on the days
-- before the transfer (the curator's day lists them there; migration 0032 lets the curator
-- read the student's row). The curator's usual rights name the students in the group now
-- (my_ward_ids to read, my_curated_student_ids to write), so a former student's attendance in
-- another teacher's load was neither seen nor written. These permissive policies add: a
-- former member of a group I curate (my_former_student_ids, 0032), in a load of that group
-- (my_curated_load_ids). The dates stay checked by journal.check_rows_studying (0030): after
-- the transfer the rows are refused with «переведён». Their marks in the group's loads are
-- read too (to find the subgroup they studied in); they are not written by the curator.
CREATE POLICY attendance_select_former ON journal.attendance FOR SELECT
    USING (student_id = ANY ((SELECT journal.my_former_student_ids())::bigint[])
           AND load_id = ANY ((SELECT journal.my_curated_load_ids())::int[]));
CREATE POLICY attendance_insert_former ON journal.attendance FOR INSERT
    WITH CHECK (student_id = ANY ((SELECT journal.my_former_student_ids())::bigint[])
                AND load_id = ANY ((SELECT journal.my_curated_load_ids())::int[]));
CREATE POLICY attendance_update_former ON journal.attendance FOR UPDATE
    USING (student_id = ANY ((SELECT journal.my_former_student_ids())::bigint[])
           AND load_id = ANY ((SELECT journal.my_curated_load_ids())::int[]))
    WITH CHECK (student_id = ANY ((SELECT journal.my_former_student_ids())::bigint[])
                AND load_id = ANY ((SELECT journal.my_curated_load_ids())::int[]));
CREATE POLICY attendance_delete_former ON journal.attendance FOR DELETE
    USING (student_id = ANY ((SELECT journal.my_former_student_ids())::bigint[])
           AND load_id = ANY ((SELECT journal.my_curated_load_ids())::int[]));
CREATE POLICY mark_select_former ON journal.mark FOR SELECT
    USING (student_id = ANY ((SELECT journal.my_former_student_ids())::bigint[])
           AND load_id = ANY ((SELECT journal.my_curated_load_ids())::int[]));
