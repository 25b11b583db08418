-- 0010: tell open journal pages that a load's cells changed (LISTEN journal_changes).
-- The payload is only the load id; a listener re-reads the cells through its own
-- row-level security, so the notification reveals no marks. Identical payloads within one
-- transaction are delivered once, so a bulk fill sends one notification per load.

SET LOCAL ROLE ej_owner;
SET LOCAL search_path = journal, pg_catalog;

CREATE FUNCTION journal.notify_load_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('journal_changes', OLD.load_id::text);
    ELSE
        PERFORM pg_notify('journal_changes', NEW.load_id::text);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER mark_notify AFTER INSERT OR UPDATE OR DELETE ON journal.mark
    FOR EACH ROW EXECUTE FUNCTION journal.notify_load_change();
CREATE TRIGGER attendance_notify AFTER INSERT OR UPDATE OR DELETE ON journal.attendance
    FOR EACH ROW EXECUTE FUNCTION journal.notify_load_change();
CREATE TRIGGER lesson_notify AFTER INSERT OR UPDATE OR DELETE ON journal.lesson
    FOR EACH ROW EXECUTE FUNCTION journal.notify_load_change();
