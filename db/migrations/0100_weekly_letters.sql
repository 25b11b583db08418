-- 0100: the weekly letter to parents (issue 16, item 2; R20, clauses 2.1, 5.1, 5.2).
--
-- * journal.letter_consent: a parent agreed (or stopped agreeing) to receive the letter; set
--   by the curator of a group of one of their children, or by the office and the admin. Who
--   set it and when stay on the row; every change leaves a change_log row (table
--   'letter_consent'), with the reason of the transaction.
-- * journal.letter_log: every letter sent or failed (parent, week, when, message id, status,
--   error). A unique index allows one ordinary 'sent' letter per parent and week; a deliberate
--   resend carries a reason (forced_reason) and is logged as its own row.
-- * ej_mail (NOLOGIN) and its login ejournal_mail: the scheduled sender. It holds no table
--   privilege at all; it reads and logs only through the SECURITY DEFINER functions below,
--   which give it the consenting parents, their children's week (marks, absences, homework)
--   and the log. A curator calls the same functions for their own groups (on demand).

SET LOCAL search_path = pg_catalog, journal;

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ej_mail') THEN
        CREATE ROLE ej_mail NOLOGIN;
    END IF;
    ALTER ROLE ej_mail NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
        INHERIT PASSWORD NULL;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ejournal_mail') THEN
        CREATE ROLE ejournal_mail LOGIN;
    END IF;
    -- Its password is set by «ejournal mail setup» (like the backup role's), never here.
    ALTER ROLE ejournal_mail LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
        INHERIT;
    GRANT ej_mail TO ejournal_mail;
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO ej_mail', current_database());
END $$;
GRANT USAGE ON SCHEMA journal TO ej_mail;

SET LOCAL ROLE ej_owner;

CREATE TABLE journal.letter_consent (
    parent_id   bigint PRIMARY KEY REFERENCES journal.person ON DELETE CASCADE,
    agreed      boolean NOT NULL,
    changed_at  timestamptz NOT NULL DEFAULT now(),
    changed_by  text NOT NULL DEFAULT session_user
);

CREATE TABLE journal.letter_log (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parent_id      bigint NOT NULL REFERENCES journal.person ON DELETE CASCADE,
    week_start     date NOT NULL CHECK (extract(isodow FROM week_start) = 1),
    email          text NOT NULL,
    status         text NOT NULL CHECK (status IN ('sent', 'failed')),
    message_id     text NOT NULL DEFAULT '',
    error          text NOT NULL DEFAULT '',
    forced_reason  text NOT NULL DEFAULT '',
    sent_at        timestamptz NOT NULL DEFAULT now(),
    sent_by        text NOT NULL DEFAULT session_user
);
CREATE INDEX letter_log_parent_idx ON journal.letter_log (parent_id, week_start);
-- The same week is never sent twice to a parent by mistake.
CREATE UNIQUE INDEX letter_log_once_idx ON journal.letter_log (parent_id, week_start)
    WHERE status = 'sent' AND forced_reason = '';

ALTER TABLE journal.letter_consent ENABLE ROW LEVEL SECURITY;
ALTER TABLE journal.letter_consent FORCE ROW LEVEL SECURITY;
ALTER TABLE journal.letter_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE journal.letter_log FORCE ROW LEVEL SECURITY;
RESET ROLE;

GRANT SELECT ON journal.letter_consent, journal.letter_log TO ej_login;
GRANT INSERT, UPDATE ON journal.letter_consent TO ej_curator, ej_office, ej_admin;
-- Only the functions below (owned by ej_security) write the log.
GRANT INSERT, UPDATE ON journal.letter_log TO ej_security;

-- Staff who read everything, the curator of the parent's children, the parent themself.
CREATE POLICY letter_consent_select ON journal.letter_consent FOR SELECT
    USING ((SELECT journal.reads_all_marks()) OR parent_id = (SELECT journal.my_person_id())
           OR parent_id = ANY ((SELECT journal.my_curated_person_ids())::bigint[]));
-- Written by the office, the admin and the curator of one of the parent's children; only for
-- a person who is a parent, and stamped with the writer and the time.
CREATE POLICY letter_consent_insert ON journal.letter_consent FOR INSERT
    WITH CHECK (((SELECT journal.writes_all())
                 OR parent_id = ANY ((SELECT journal.my_curated_person_ids())::bigint[]))
                AND EXISTS (SELECT FROM journal.guardian g WHERE g.parent_id = letter_consent.parent_id)
                AND changed_by = session_user);
CREATE POLICY letter_consent_update ON journal.letter_consent FOR UPDATE
    USING ((SELECT journal.writes_all())
           OR parent_id = ANY ((SELECT journal.my_curated_person_ids())::bigint[]))
    WITH CHECK (((SELECT journal.writes_all())
                 OR parent_id = ANY ((SELECT journal.my_curated_person_ids())::bigint[]))
                AND changed_by = session_user);
CREATE POLICY letter_log_select ON journal.letter_log FOR SELECT
    USING ((SELECT journal.reads_all()) OR parent_id = (SELECT journal.my_person_id())
           OR parent_id = ANY ((SELECT journal.my_curated_person_ids())::bigint[]));

-- History of consents: one change_log row per changed row, in the same transaction.
CREATE FUNCTION journal.record_consent_history() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
BEGIN
    INSERT INTO journal.change_log (table_name, action, row_key, old_value, new_value, reason,
                                    changed_by, person_id)
    VALUES ('letter_consent', TG_OP, jsonb_build_object('parent_id', NEW.parent_id),
            CASE WHEN TG_OP = 'UPDATE' THEN to_jsonb(OLD) END, to_jsonb(NEW),
            journal.current_reason(), session_user, journal.session_person_id());
    RETURN NULL;
END $$;
CREATE TRIGGER letter_consent_history AFTER INSERT OR UPDATE ON journal.letter_consent
    FOR EACH ROW EXECUTE FUNCTION journal.record_consent_history();

-- Groups whose letters the caller may send: every current group for the mail role, the office
-- and the admin; a curator's own groups; nothing for anyone else.
CREATE FUNCTION journal.mail_group_ids() RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT CASE WHEN pg_has_role(session_user, 'ej_mail', 'USAGE') OR journal.writes_all()
                THEN (SELECT coalesce(array_agg(g.id), '{}') FROM journal.study_group g
                       WHERE g.graduated_at IS NULL)
                ELSE journal.my_curated_group_ids() END
$$;

-- Parents who agreed and have an e-mail, each with their children studying in those groups.
CREATE FUNCTION journal.mail_recipients(p_group text DEFAULT NULL)
RETURNS TABLE (parent_id bigint, parent_name text, email text, student_id bigint,
               student_name text, group_name text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT p.id, concat_ws(' ', p.surname, p.name, nullif(p.patronymic, '')), p.email,
           s.person_id, concat_ws(' ', c.surname, c.name, nullif(c.patronymic, '')), g.name
      FROM journal.letter_consent lc
      JOIN journal.person p ON p.id = lc.parent_id
      JOIN journal.guardian gu ON gu.parent_id = p.id
      JOIN journal.student s ON s.person_id = gu.student_id AND s.status = 'обучается'
      JOIN journal.person c ON c.id = s.person_id
      JOIN journal.study_group g ON g.id = s.group_id
     WHERE lc.agreed AND p.email IS NOT NULL
       AND g.id = ANY (journal.mail_group_ids())
       AND (p_group IS NULL OR g.name = p_group)
     ORDER BY p.surname, p.name, p.id, c.surname, c.name, c.id
$$;

-- The week of those children: 'mark' (value, work kind's short name and title), 'absence' (НУ/НН, hours)
-- and 'homework' (text, pages, tasks, practical), lesson by lesson.
CREATE FUNCTION journal.mail_week(p_week date, p_group text DEFAULT NULL)
RETURNS TABLE (student_id bigint, kind text, lesson_date date, pair_no smallint,
               discipline text, value text, hours smallint, extra text[])
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    WITH kids AS (SELECT DISTINCT r.student_id FROM journal.mail_recipients(p_group) r),
    lessons AS (
        SELECT s.person_id AS student_id, l.*, d.title AS discipline
          FROM kids k
          JOIN journal.student s ON s.person_id = k.student_id
          JOIN journal.teaching_load t ON t.group_id = s.group_id
               AND (t.subgroup_id IS NULL OR t.subgroup_id = s.subgroup_id)
          JOIN journal.discipline d ON d.id = t.discipline_id
          JOIN journal.lesson l ON l.load_id = t.id
               AND l.lesson_date BETWEEN p_week AND p_week + 6)
    SELECT l.student_id, 'mark', l.lesson_date, l.pair_no, l.discipline, m.value, l.hours,
           ARRAY[wk.short, wk.title]
      FROM lessons l JOIN journal.mark m ON m.lesson_id = l.id AND m.student_id = l.student_id
      JOIN journal.work_kind wk ON wk.code = m.work_kind
    UNION ALL
    SELECT l.student_id, 'absence', l.lesson_date, l.pair_no, l.discipline, a.code, l.hours, '{}'
      FROM lessons l JOIN journal.attendance a ON a.lesson_id = l.id AND a.student_id = l.student_id
     WHERE a.code IN ('НУ', 'НН')
    UNION ALL
    SELECT l.student_id, 'homework', l.lesson_date, l.pair_no, l.discipline, l.homework, l.hours,
           ARRAY[l.homework_pages, l.homework_tasks, l.homework_practical]
      FROM lessons l
     WHERE btrim(l.homework || l.homework_pages || l.homework_tasks || l.homework_practical) <> ''
     ORDER BY 1, 3, 4, 5, 2
$$;

-- Take the week's letter for a parent before sending it: the id of a new 'sent' row, or NULL
-- when that week has already gone to that parent (and no reason to resend was given).
CREATE FUNCTION journal.mail_claim(p_parent bigint, p_week date, p_email text,
                                   p_forced_reason text DEFAULT '')
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE v_id bigint;
BEGIN
    IF NOT EXISTS (SELECT FROM journal.mail_recipients() r WHERE r.parent_id = p_parent) THEN
        RAISE EXCEPTION 'Письмо этому родителю отправить нельзя: нет согласия, адреса или права.'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO journal.letter_log (parent_id, week_start, email, status, forced_reason)
    VALUES (p_parent, p_week, p_email, 'sent', btrim(coalesce(p_forced_reason, '')))
    ON CONFLICT (parent_id, week_start) WHERE status = 'sent' AND forced_reason = '' DO NOTHING
    RETURNING id INTO v_id;
    RETURN v_id;
END $$;

-- Close a claimed letter: its message id, or the failure and its error.
CREATE FUNCTION journal.mail_finish(p_id bigint, p_message_id text, p_error text DEFAULT '')
RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, journal, pg_temp AS $$
    UPDATE journal.letter_log
       SET message_id = coalesce(p_message_id, ''), error = coalesce(p_error, ''),
           status = CASE WHEN coalesce(p_error, '') = '' THEN 'sent' ELSE 'failed' END
     WHERE id = p_id AND sent_by = session_user AND message_id = '' AND error = ''
$$;

DO $$
DECLARE f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
              WHERE p.pronamespace = 'journal'::regnamespace AND p.prosecdef
                AND p.proowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO ej_security', f);
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
END $$;
REVOKE EXECUTE ON FUNCTION journal.mail_group_ids(), journal.mail_recipients(text),
    journal.mail_week(date, text), journal.mail_claim(bigint, date, text, text),
    journal.mail_finish(bigint, text, text) FROM ej_login;
GRANT EXECUTE ON FUNCTION journal.mail_group_ids(), journal.mail_recipients(text),
    journal.mail_week(date, text), journal.mail_claim(bigint, date, text, text),
    journal.mail_finish(bigint, text, text) TO ej_mail, ej_curator, ej_office, ej_admin;
REVOKE EXECUTE ON FUNCTION journal.record_consent_history() FROM ej_login;
