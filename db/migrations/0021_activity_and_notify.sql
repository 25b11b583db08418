-- 0021: who is online, forged change notifications, a teacher's new statement (issue 10,
-- item 11).
--
-- * pg_stat_activity showed every connected role's name and application_name to any person,
--   so a student saw who of the staff (and, by login, which accounts) were online. Persons no
--   longer read it (nor pg_stat_get_activity(), pg_stat_get_backend_userid() behind it) in
--   this database; ej_security still does, to end sessions.
-- * Anyone could `SELECT pg_notify('journal_changes', '37')` (or NOTIFY, which checks no
--   privilege at all) and make every open page of load 37 reload. A notification now carries
--   "load:stamp:mac", the mac made with a key only ej_security reads (ej_guard.notify_key);
--   journal.verified_changes(notes) tells a listener which notes are genuine and recent, and
--   the listener ignores a note it has seen before (a replay). The triggers notify once per
--   statement and load (transition tables), not once per row.
-- * A teacher's `INSERT INTO journal.statement … RETURNING id` failed with an RLS violation:
--   the new row had to pass statement_select, whose my_statement_ids() was computed before
--   the row existed. Statements of one's own loads are now readable by the load directly.

SET LOCAL search_path = pg_catalog, journal;

REVOKE SELECT ON pg_catalog.pg_stat_activity FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pg_catalog.pg_stat_get_activity(integer),
    pg_catalog.pg_stat_get_backend_userid(integer) FROM PUBLIC;
GRANT SELECT ON pg_catalog.pg_stat_activity TO ej_security;
GRANT EXECUTE ON FUNCTION pg_catalog.pg_stat_get_activity(integer),
    pg_catalog.pg_stat_get_backend_userid(integer) TO ej_security;

SET LOCAL ROLE ej_security;
CREATE TABLE ej_guard.notify_key (
    id   boolean PRIMARY KEY DEFAULT true CHECK (id),
    key  bytea NOT NULL CHECK (length(key) = 32)
);
INSERT INTO ej_guard.notify_key (key)
VALUES (sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text
                          || gen_random_uuid()::text || clock_timestamp()::text, 'UTF8')));
RESET ROLE;

-- "load:stamp:mac" — stamp: the transaction's start in microseconds (identical notes of one
-- transaction are delivered once); mac: 128 bits of sha256(key ‖ sha256(key ‖ "load:stamp")).
CREATE FUNCTION journal._change_note(p_load integer, p_stamp bigint) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT format('%s:%s:%s', p_load, p_stamp,
                  left(encode(sha256(k.key || sha256(k.key || convert_to(
                      format('%s:%s', p_load, p_stamp), 'UTF8'))), 'hex'), 32))
      FROM ej_guard.notify_key k
$$;

CREATE FUNCTION journal.notify_load_changes() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE
    v_stamp bigint := (extract(epoch FROM now()) * 1000000)::bigint;
    v_load integer;
BEGIN
    FOR v_load IN EXECUTE format('SELECT DISTINCT load_id FROM %I',
                                 CASE TG_OP WHEN 'DELETE' THEN 'old_rows' ELSE 'new_rows' END)
    LOOP
        PERFORM pg_notify('journal_changes', journal._change_note(v_load, v_stamp));
    END LOOP;
    RETURN NULL;
END $$;

DROP TRIGGER mark_notify ON journal.mark;
DROP TRIGGER attendance_notify ON journal.attendance;
DROP TRIGGER lesson_notify ON journal.lesson;
DROP FUNCTION journal.notify_load_change();

DO $$
DECLARE v_table text;
BEGIN
    FOREACH v_table IN ARRAY ARRAY['mark', 'attendance', 'lesson'] LOOP
        EXECUTE format('CREATE TRIGGER ej3_notify_ins AFTER INSERT ON journal.%I '
            'REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT '
            'EXECUTE FUNCTION journal.notify_load_changes()', v_table);
        EXECUTE format('CREATE TRIGGER ej3_notify_upd AFTER UPDATE ON journal.%I '
            'REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT '
            'EXECUTE FUNCTION journal.notify_load_changes()', v_table);
        EXECUTE format('CREATE TRIGGER ej3_notify_del AFTER DELETE ON journal.%I '
            'REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT '
            'EXECUTE FUNCTION journal.notify_load_changes()', v_table);
    END LOOP;
END $$;

-- The loads of the genuine notes among p_notes that are less than an hour old.
CREATE FUNCTION journal.verified_changes(p_notes text[]) RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce(array_agg(DISTINCT split_part(n.note, ':', 1)::int), '{}')
      FROM unnest(p_notes[1:1000]) n(note)
     WHERE n.note ~ '^[0-9]{1,9}:[0-9]{1,18}:[0-9a-f]{32}$'
       AND to_timestamp(split_part(n.note, ':', 2)::bigint / 1000000.0)
           > now() - interval '1 hour'
       AND journal._change_note(split_part(n.note, ':', 1)::int,
                                split_part(n.note, ':', 2)::bigint) = n.note
$$;

DROP POLICY statement_select ON journal.statement;
CREATE POLICY statement_select ON journal.statement FOR SELECT
    USING ((SELECT journal.reads_all_marks())
           OR load_id = ANY ((SELECT journal.my_load_ids())::int[])
           OR id = ANY ((SELECT journal.my_statement_ids())::int[])
           OR load_id = ANY ((SELECT journal.my_ward_load_ids())::int[]));

DO $$
DECLARE f record;
BEGIN
    FOR f IN SELECT p.oid::regprocedure AS sig, p.proname, p.prosecdef FROM pg_proc p
              WHERE p.pronamespace = 'journal'::regnamespace
                AND p.proowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO ej_security', f.sig);
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f.sig);
        IF f.proname = 'verified_changes' THEN
            EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO ej_login', f.sig);
        END IF;
    END LOOP;
END $$;
