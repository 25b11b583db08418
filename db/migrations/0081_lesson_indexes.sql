-- The indexes of journal.lesson, for writing a year's lessons at once (issue 13).
--
-- Generating a college's year inserts ~50,000 lessons in one statement; every index of the
-- table costs an insertion per lesson (and per lesson recorded later, when its topic is
-- filled). Two of the seven were prefixes of another and answer nothing the other does not:
--   lesson_load_date_idx (load_id, lesson_date) — of the unique (load_id, lesson_date, pair_no);
--   lesson_taught_by_idx (taught_by)            — of lesson_taught_by_load_idx (taught_by, load_id).
-- The foreign key to the КТП topic had no index on the referencing side: deleting or
-- re-keying a topic read every lesson of every year, and the generator's "topics of these
-- loads not used by a lesson yet" read the whole table, growing with each year kept.
-- All foreign keys and unique constraints stay as they are.

SET LOCAL search_path = pg_catalog, journal;

DROP INDEX journal.lesson_load_date_idx;
DROP INDEX journal.lesson_taught_by_idx;
CREATE INDEX lesson_ktp_topic_idx ON journal.lesson (ktp_topic_id);
