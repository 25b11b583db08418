-- 0013: what the saving pipeline needs from the database (issue «saving that never lies»).
--
-- * journal.database_id(): an identity of this database: a random value made once, and the
--   database's oid. A program's outbox is keyed by it, so changes typed into one database are
--   never replayed into another — a database rebuilt (`ejournal demo --reset`), copied or
--   restored from a copy gets a new identity.
-- * typed_at: when the person typed a change, as their program recorded it (a change sent
--   after an outage reaches the server later). Marks and attendance keep it beside the
--   server's changed_at (statements' marks too); every history row keeps it beside its own
--   changed_at: from the new
--   row for inserts and updates, from the transaction setting journal.typed_at for deletes.
--   A typed time is never ahead of the server's clock.

SET LOCAL search_path = pg_catalog, journal;

INSERT INTO journal.setting (key, value, title)
VALUES ('database_id', to_jsonb(gen_random_uuid()::text),
        'Идентификатор этой базы (не меняется; копия или новая база получают другой)')
ON CONFLICT (key) DO NOTHING;

-- The random part survives a copy made with CREATE DATABASE … TEMPLATE (the tests' copies,
-- a year's archive) and a restore; the database's oid does not, so each gets its own identity.
CREATE FUNCTION journal.database_id() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT (SELECT value #>> '{}' FROM journal.setting WHERE key = 'database_id') || '-'
        || (SELECT oid::text FROM pg_database WHERE datname = current_database())
$$;
ALTER FUNCTION journal.database_id() OWNER TO ej_security;
REVOKE EXECUTE ON FUNCTION journal.database_id() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION journal.database_id() TO ej_login;

-- The identity is not a setting anyone edits.
CREATE FUNCTION journal.keep_database_id() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, journal, pg_temp AS $$
BEGIN
    IF (TG_OP = 'DELETE' AND OLD.key = 'database_id')
       OR (TG_OP = 'UPDATE' AND (OLD.key = 'database_id' OR NEW.key = 'database_id')
           AND OLD IS DISTINCT FROM NEW) THEN
        RAISE EXCEPTION 'Идентификатор базы не изменяется.' USING ERRCODE = 'check_violation';
    END IF;
    RETURN coalesce(NEW, OLD);
END $$;
ALTER FUNCTION journal.keep_database_id() OWNER TO ej_owner;
CREATE TRIGGER setting_database_id BEFORE UPDATE OR DELETE ON journal.setting
    FOR EACH ROW EXECUTE FUNCTION journal.keep_database_id();

ALTER TABLE journal.mark ADD COLUMN typed_at timestamptz;
ALTER TABLE journal.attendance ADD COLUMN typed_at timestamptz;
ALTER TABLE journal.change_log ADD COLUMN typed_at timestamptz;

-- A typed time is never ahead of the server (a few minutes of clock skew allowed); the
-- program clamps it to the server's now() when it writes.
ALTER TABLE journal.mark ADD CONSTRAINT mark_typed_at_past
    CHECK (typed_at <= now() + interval '5 minutes');
ALTER TABLE journal.attendance ADD CONSTRAINT attendance_typed_at_past
    CHECK (typed_at <= now() + interval '5 minutes');

-- History: the typed time of the row written, or the transaction's (for a deletion).
-- (No exception block: it would cost a subtransaction per history row. The client's setting
-- is written by the program; a session that sets nonsense only fails its own write.)
CREATE FUNCTION journal.history_typed_at() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, journal, pg_temp AS $$
BEGIN
    NEW.typed_at := least(coalesce((NEW.new_value ->> 'typed_at')::timestamptz,
                                   nullif(current_setting('journal.typed_at', true), '')::timestamptz),
                          now());
    RETURN NEW;
END $$;
ALTER FUNCTION journal.history_typed_at() OWNER TO ej_owner;
CREATE TRIGGER change_log_typed_at BEFORE INSERT ON journal.change_log
    FOR EACH ROW WHEN (NEW.table_name IN ('mark', 'attendance', 'statement_mark')
                       AND (NEW.new_value ->> 'typed_at' IS NOT NULL
                            OR current_setting('journal.typed_at', true) <> ''))
    EXECUTE FUNCTION journal.history_typed_at();

-- Statements' marks go through the same outbox and saver as the journal page's cells.
ALTER TABLE journal.statement_mark ADD COLUMN typed_at timestamptz;
ALTER TABLE journal.statement_mark ADD CONSTRAINT statement_mark_typed_at_past
    CHECK (typed_at <= now() + interval '5 minutes');
