-- 0022: limits a person cannot outrun by chaining statements, and a NOTIFY queue a person
-- cannot fill for everyone (issue 10, items 5 and 11, second look).
--
-- * A transaction made of statements each shorter than statement_timeout (BEGIN; LOCK TABLE
--   journal.mark …; SELECT pg_sleep(290); SELECT pg_sleep(290); …) was never idle long
--   enough for idle_in_transaction_session_timeout nor busy in one statement long enough for
--   journal.end_stuck_sessions(): it held its locks as long as it liked. Person transactions
--   older than 10 minutes are now ended by end_stuck_sessions(), and on PostgreSQL 17+ the
--   login roles carry transaction_timeout = 10min too (the server ends them itself).
-- * A listener whose client stops reading pins the NOTIFY queue: its backend waits to send
--   (wait event ClientWrite) and the queue cannot be freed past it. A flood of NOTIFY (or one
--   huge aborted transaction of pg_notify) by the same person then fills the queue and every
--   journal write failed at commit ("too many notifications in the NOTIFY queue"), because
--   the journal's triggers notify. end_stuck_sessions() now ends a person's session that sits
--   idle while blocked writing to its client for over a minute, and the journal's triggers
--   stop notifying while the queue is more than half full: open pages then miss live
--   refreshes until it drains (they re-read on the next change), but no write fails.

SET LOCAL search_path = pg_catalog, journal;

CREATE OR REPLACE FUNCTION journal._session_limits(OUT name text, OUT value text, OUT ms bigint)
RETURNS SETOF record LANGUAGE sql STABLE AS $$
    SELECT v.name, v.value, v.ms
      FROM (VALUES ('idle_in_transaction_session_timeout', '2min', 120000::bigint),
                   ('lock_timeout', '5s', 5000),
                   ('statement_timeout', '5min', 300000),
                   ('idle_session_timeout', '30min', 1800000),
                   ('transaction_timeout', '10min', 600000)) v(name, value, ms)
     WHERE v.name <> 'transaction_timeout'
        OR current_setting('server_version_num')::int >= 170000
$$;

DROP FUNCTION journal._end_stuck_sessions(interval, interval, interval);
CREATE FUNCTION journal._end_stuck_sessions(p_idle_in_transaction interval,
                                            p_statement interval, p_idle interval,
                                            p_transaction interval DEFAULT '10 min',
                                            p_stalled interval DEFAULT '1 min')
RETURNS integer LANGUAGE sql AS $$
    SELECT count(pg_terminate_backend(a.pid))::int
      FROM pg_catalog.pg_stat_activity a
     WHERE a.pid <> pg_backend_pid() AND a.backend_type = 'client backend'
       AND a.usesysid IN (SELECT m.member FROM pg_catalog.pg_auth_members m
                           WHERE m.roleid = 'ej_login'::regrole)
       AND NOT coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r
                          WHERE r.oid = a.usesysid), true)
       AND ((a.state LIKE 'idle in transaction%'
             AND a.state_change < clock_timestamp() - p_idle_in_transaction)
            OR (a.state = 'active' AND a.query_start < clock_timestamp() - p_statement)
            OR (a.state = 'idle' AND a.state_change < clock_timestamp() - p_idle)
            OR a.xact_start < clock_timestamp() - p_transaction
            OR (a.state = 'idle' AND a.wait_event = 'ClientWrite'
                AND a.state_change < clock_timestamp() - p_stalled))
$$;
ALTER FUNCTION journal._end_stuck_sessions(interval, interval, interval, interval, interval)
    OWNER TO ej_security;
REVOKE EXECUTE ON FUNCTION journal._end_stuck_sessions(interval, interval, interval, interval,
                                                       interval) FROM PUBLIC;

CREATE OR REPLACE FUNCTION journal.end_stuck_sessions() RETURNS integer
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT journal._end_stuck_sessions(
        (SELECT make_interval(secs => x.ms / 1000.0) FROM journal._session_limits() x
          WHERE x.name = 'idle_in_transaction_session_timeout') + interval '30 s',
        (SELECT make_interval(secs => x.ms / 1000.0) FROM journal._session_limits() x
          WHERE x.name = 'statement_timeout') + interval '30 s',
        (SELECT make_interval(secs => x.ms / 1000.0) FROM journal._session_limits() x
          WHERE x.name = 'idle_session_timeout') + interval '30 s',
        interval '10 min 30 s',
        interval '1 min')
$$;

CREATE OR REPLACE FUNCTION journal.notify_load_changes() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE
    v_stamp bigint := (extract(epoch FROM now()) * 1000000)::bigint;
    v_load integer;
BEGIN
    -- A queue that somebody is filling must not make the journal's own writes fail.
    IF pg_notification_queue_usage() > 0.5 THEN
        RETURN NULL;
    END IF;
    FOR v_load IN EXECUTE format('SELECT DISTINCT load_id FROM %I',
                                 CASE TG_OP WHEN 'DELETE' THEN 'old_rows' ELSE 'new_rows' END)
    LOOP
        PERFORM pg_notify('journal_changes', journal._change_note(v_load, v_stamp));
    END LOOP;
    RETURN NULL;
END $$;

-- The accounts that exist get transaction_timeout (PostgreSQL 17+) now, not at their next
-- login.
DO $$
DECLARE v_login text;
BEGIN
    FOR v_login IN SELECT a.login FROM journal.account a
                     JOIN pg_roles r ON r.rolname = a.login ORDER BY a.login LOOP
        PERFORM journal._secure_login_role(v_login, false);
    END LOOP;
END $$;
