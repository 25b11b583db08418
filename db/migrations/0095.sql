-- 0095: a timetable slot's correction is written to history once. 0050 (the catalogue) and
-- 0060 (the year) each added statement-level history triggers for updates and deletes of
-- journal.timetable_slot, so one correction left two change_log rows. The catalogue's
-- triggers stay (they name the load); 0060's remain for inserts and on its own tables.

SET LOCAL search_path = pg_catalog, journal;

DROP TRIGGER ej2_history_upd ON journal.timetable_slot;
DROP TRIGGER ej2_history_del ON journal.timetable_slot;
