-- 0075: the backup role reads the sequences of the report tables (0070 created them as the
-- migration's superuser, so ej_owner's default privileges did not reach them; pg_dump
-- refused the backup).

SET LOCAL search_path = pg_catalog, journal;

GRANT SELECT ON SEQUENCE journal.remark_id_seq, journal.control_check_id_seq TO ej_backup;
