-- 0019: the server stamps when and by whom; an update that changes nothing stamps nothing
-- (issue 10, items 6 and 7).
--
-- Before:
--   * `UPDATE journal.mark SET value = value` re-stamped changed_at (the stamp triggers set it
--     on every UPDATE) and wrote no history (nothing but the stamp changed); a second UPDATE
--     in the same transaction then changed a mark older than reason_after_days without a
--     reason (R14), because the mark now looked fresh;
--   * final_mark.fixed_at / fixed_by were whatever the client wrote: fixed_by = '<the admin>'
--     was accepted, and fixed_at = '2099-01-01' switched the reason rule off for that mark;
--   * lesson.filled_at (R8: "filled late") and created_at were client-writable and their
--     change left no history.
--
-- Now the stamp columns of mark, attendance, statement_mark (changed_at, changed_by),
-- final_mark (fixed_at, fixed_by) and lesson (created_at, filled_at) are set by BEFORE
-- triggers from now() and session_user, whatever the client sent; an UPDATE that changes no
-- other column keeps the old stamps. filled_at is set once, when the lesson first gets a
-- topic. (typed_at, the person's own time of typing, is not a change either: 0013.) A
-- superuser's explicit lesson stamps stand (the demo builder writes a past year,
-- restores keep theirs); everyone else's are ignored.

SET LOCAL search_path = pg_catalog, journal;

CREATE OR REPLACE FUNCTION journal.check_mark_scale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.value IN ('зачёт', 'незачёт') AND NOT EXISTS (
        SELECT FROM journal.teaching_load WHERE id = NEW.load_id AND pass_fail) THEN
        RAISE EXCEPTION 'По этой дисциплине зачёт/незачёт в текущих отметках не ставится.'
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'UPDATE'
       AND (NEW.id, NEW.lesson_id, NEW.load_id, NEW.student_id, NEW.work_kind, NEW.value)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.lesson_id, OLD.load_id, OLD.student_id, OLD.work_kind, OLD.value) THEN
        NEW.changed_at := OLD.changed_at;
        NEW.changed_by := OLD.changed_by;
    ELSE
        NEW.changed_at := now();
        NEW.changed_by := session_user;
    END IF;
    RETURN NEW;
END $$;

-- attendance, statement_mark (and final_mark with its own stamp columns). When the person
-- typed it (typed_at, 0013) is not a change of the row either.
CREATE OR REPLACE FUNCTION journal.stamp_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_at text := coalesce(TG_ARGV[0], 'changed_at');
    v_by text := coalesce(TG_ARGV[1], 'changed_by');
    v_stamp jsonb;
BEGIN
    IF TG_OP = 'UPDATE'
       AND (to_jsonb(NEW) - v_at - v_by - 'typed_at')
           = (to_jsonb(OLD) - v_at - v_by - 'typed_at') THEN
        v_stamp := jsonb_build_object(v_at, to_jsonb(OLD) -> v_at, v_by, to_jsonb(OLD) -> v_by);
    ELSE
        v_stamp := jsonb_build_object(v_at, now(), v_by, session_user);
    END IF;
    NEW := jsonb_populate_record(NEW, v_stamp);
    RETURN NEW;
END $$;

CREATE TRIGGER final_mark_stamp BEFORE INSERT OR UPDATE ON journal.final_mark
    FOR EACH ROW EXECUTE FUNCTION journal.stamp_change('fixed_at', 'fixed_by');

CREATE OR REPLACE FUNCTION journal.stamp_lesson_filled() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_superuser boolean := coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r
                                      WHERE r.rolname = session_user), false);
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NOT v_superuser THEN
            NEW.created_at := now();
            NEW.filled_at := NULL;
        END IF;
    ELSIF NOT v_superuser THEN
        NEW.created_at := OLD.created_at;
        NEW.filled_at := OLD.filled_at;
    END IF;
    IF NEW.topic <> '' AND NEW.filled_at IS NULL THEN
        NEW.filled_at := now();
    END IF;
    RETURN NEW;
END $$;

DROP TRIGGER lesson_filled ON journal.lesson;
CREATE TRIGGER lesson_filled BEFORE INSERT OR UPDATE ON journal.lesson
    FOR EACH ROW EXECUTE FUNCTION journal.stamp_lesson_filled();
