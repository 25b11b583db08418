-- 0015: persons connect only to the journal's database, and create nothing there (issue 10,
-- item 4).
--
-- A new cluster lets PUBLIC connect to `postgres` and `template1`. The login guard (0009)
-- lives in the journal's database only, so there a locked-out person could still try
-- passwords at auth_delay speed, log in unrecorded and ignore the working hours; they could
-- also create large objects and temporary objects there. This database admits only ej_login
-- and ej_backup (0003); here PUBLIC loses CONNECT and TEMPORARY on the two maintenance
-- databases every cluster has. Superusers keep reaching them (privileges do not bind them).
--
-- Other databases of a college's shared cluster are not touched here: revoking PUBLIC's
-- CONNECT there could lock out another application. `ejournal db check` lists every database
-- a person could connect to, and the embedded server's pg_hba.conf admits persons to the
-- journal's database only (db/server_files.py), so they are refused before any password
-- check — no guessing, no "right password" answer elsewhere.

-- And in the journal's database persons create no temporary objects any more: the program
-- uses none, a temporary table is disk space nobody limits (temp_file_limit does not cover
-- temporary tables), and pg_temp is the classic place to plant a function that shadows a
-- built-in one.

DO $$
DECLARE v_db text;
BEGIN
    EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM ej_login', current_database());
    FOR v_db IN SELECT datname FROM pg_catalog.pg_database
                 WHERE datname IN ('postgres', 'template1') AND datname <> current_database()
    LOOP
        EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', v_db);
    END LOOP;
END $$;
