-- 0041: messages live (issue 11, item 10): open message screens and home menus hear of new
-- messages the way open journal pages hear of changed cells (0010, 0021, 0022).
--
-- The same channel (journal_changes), the same signed notes, the same listener: a new message
-- (or a member reading a thread, for the «прочитано» receipt and the unread count) notifies
-- "m<thread>:stamp:mac", the mac made with the key only ej_security reads, like a load's
-- note. The payload names a thread number only, never who wrote what; the listener asks
-- journal.verified_message_notes(), which keeps the genuine recent notes of the threads the
-- caller belongs to, and re-reads through its own row-level security. The triggers stop
-- notifying while the queue is more than half full (0022).

SET LOCAL search_path = pg_catalog, journal;

CREATE FUNCTION journal._message_note(p_thread bigint, p_stamp bigint) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT format('m%s:%s:%s', p_thread, p_stamp,
                  left(encode(sha256(k.key || sha256(k.key || convert_to(
                      format('m%s:%s', p_thread, p_stamp), 'UTF8'))), 'hex'), 32))
      FROM ej_guard.notify_key k
$$;

CREATE FUNCTION journal.notify_message_changes() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE
    v_stamp bigint := (extract(epoch FROM now()) * 1000000)::bigint;
    v_thread bigint;
BEGIN
    IF pg_notification_queue_usage() > 0.5 THEN
        RETURN NULL;
    END IF;
    -- a read that moved nobody's mark (nothing new to read) tells nobody anything
    FOR v_thread IN EXECUTE CASE TG_OP WHEN 'INSERT' THEN
            'SELECT DISTINCT thread_id FROM new_rows'
        ELSE 'SELECT DISTINCT n.thread_id FROM new_rows n JOIN old_rows o USING (thread_id, person_id)
               WHERE n.last_read_at IS DISTINCT FROM o.last_read_at' END LOOP
        PERFORM pg_notify('journal_changes', journal._message_note(v_thread, v_stamp));
    END LOOP;
    RETURN NULL;
END $$;

CREATE TRIGGER ej3_notify_ins AFTER INSERT ON journal.message
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION journal.notify_message_changes();
CREATE TRIGGER ej3_notify_read AFTER UPDATE ON journal.thread_member
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION journal.notify_message_changes();

-- The threads of the genuine message notes among p_notes, less than an hour old, that the
-- caller belongs to (nothing for anyone else).
CREATE FUNCTION journal.verified_message_notes(p_notes text[]) RETURNS bigint[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT coalesce(array_agg(DISTINCT substr(split_part(n.note, ':', 1), 2)::bigint), '{}')
      FROM unnest(p_notes[1:1000]) n(note)
     WHERE n.note ~ '^m[0-9]{1,18}:[0-9]{1,18}:[0-9a-f]{32}$'
       AND to_timestamp(split_part(n.note, ':', 2)::bigint / 1000000.0)
           > now() - interval '1 hour'
       AND journal._message_note(substr(split_part(n.note, ':', 1), 2)::bigint,
                                 split_part(n.note, ':', 2)::bigint) = n.note
       AND substr(split_part(n.note, ':', 1), 2)::bigint
           = ANY ((SELECT journal.my_thread_ids())::bigint[])
$$;

ALTER FUNCTION journal._message_note(bigint, bigint) OWNER TO ej_security;
ALTER FUNCTION journal.notify_message_changes() OWNER TO ej_security;
ALTER FUNCTION journal.verified_message_notes(text[]) OWNER TO ej_security;
REVOKE EXECUTE ON FUNCTION journal._message_note(bigint, bigint),
    journal.notify_message_changes(), journal.verified_message_notes(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION journal.verified_message_notes(text[]) TO ej_login;
