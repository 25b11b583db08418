-- 0012: a curator keeps the data of their group's students and parents (issue 5, R13):
-- names, birth date, record-book number, status, subgroup, dates and contacts. Which rows:
-- the existing policies on person (my curated people) and a new one on student (my
-- curated groups); which columns: the grants below. Moving a student to another group
-- (group_id) and creating or deleting students stay with the office and the admin.

GRANT UPDATE (surname, name, patronymic, birth_date, phone, email) ON journal.person
    TO ej_curator;
GRANT UPDATE (record_book_no, status, subgroup_id, enrolled_on, left_on) ON journal.student
    TO ej_curator;

CREATE POLICY student_update_by_curator ON journal.student FOR UPDATE
    USING (group_id = ANY ((SELECT journal.my_curated_group_ids())::int[]))
    WITH CHECK (group_id = ANY ((SELECT journal.my_curated_group_ids())::int[]));
