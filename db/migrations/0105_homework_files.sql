-- 0105: files attached to a lesson's homework (issue 16, item 3): a PDF, a DOCX or a picture
-- a teacher gives with the homework, kept in the database (so every backup holds them).
--
-- Who does what (docs/security.md, row «homework files»):
--   * read: whoever reads the lesson (the policy asks journal.lesson under the reader's own
--     rights), exactly as the homework text: the teacher and substitutes of the lesson, the
--     group's curator, readers of everything, the group's students and their parents;
--   * attach and remove: the teacher of the lesson's load, the substitute who taught the
--     lesson (R17), the office and the admin (journal.writes_all());
--   * nobody deletes a row or changes a file: removing sets removed_at/removed_by (server
--     stamped), so what was given and who took it away stays on record.
-- The database checks what the program checks: the size against the setting
-- 'homework_file_max_mb' and the kind by the file's first bytes, not by its name.

SET LOCAL search_path = pg_catalog, journal;

INSERT INTO journal.setting (key, value, title)
VALUES ('homework_file_max_mb', '10', 'Наибольший размер файла к домашнему заданию, МБ')
ON CONFLICT (key) DO NOTHING;

SET LOCAL ROLE ej_owner;

CREATE TABLE journal.homework_file (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lesson_id   integer NOT NULL REFERENCES journal.lesson,
    load_id     integer NOT NULL REFERENCES journal.teaching_load,
    file_name   text NOT NULL CHECK (file_name <> '' AND length(file_name) <= 200
                                     AND strpos(file_name, '/') = 0 AND strpos(file_name, '\') = 0),
    kind        text NOT NULL CHECK (kind IN ('pdf', 'docx', 'png', 'jpeg', 'gif')),
    size_bytes  integer NOT NULL CHECK (size_bytes > 0),
    content     bytea NOT NULL,
    added_at    timestamptz NOT NULL DEFAULT now(),
    added_by    text NOT NULL DEFAULT session_user,
    removed_at  timestamptz,
    removed_by  text,
    CHECK (size_bytes = octet_length(content)),
    CHECK ((removed_at IS NULL) = (removed_by IS NULL))
);
CREATE INDEX homework_file_lesson_idx ON journal.homework_file (lesson_id);
CREATE INDEX homework_file_load_idx ON journal.homework_file (load_id);
ALTER TABLE journal.homework_file ALTER COLUMN content SET STORAGE EXTERNAL;  -- PDFs, images: already compressed

-- The kind the first bytes say (NULL: none of the allowed kinds). A DOCX is a ZIP archive
-- holding word/document.xml; the program checks that entry, the database the name.
CREATE FUNCTION journal.homework_file_kind(p_content bytea, p_name text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, journal, pg_temp AS $$
    SELECT CASE
        WHEN substr(p_content, 1, 5) = '\x255044462d'::bytea THEN 'pdf'
        WHEN substr(p_content, 1, 8) = '\x89504e470d0a1a0a'::bytea THEN 'png'
        WHEN substr(p_content, 1, 3) = '\xffd8ff'::bytea THEN 'jpeg'
        WHEN substr(p_content, 1, 6) IN ('\x474946383761'::bytea, '\x474946383961'::bytea) THEN 'gif'
        WHEN substr(p_content, 1, 4) = '\x504b0304'::bytea AND lower(p_name) LIKE '%.docx'
             AND position('word/'::bytea IN p_content) > 0 THEN 'docx'
    END
$$;

-- A new file: stamped by the server, its load taken from the lesson, its size and kind checked.
CREATE FUNCTION journal.homework_file_added() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, journal, pg_temp AS $$
DECLARE
    v_limit numeric := coalesce((SELECT (value #>> '{}')::numeric FROM journal.setting
                                  WHERE key = 'homework_file_max_mb'), 10);
BEGIN
    NEW.load_id := (SELECT l.load_id FROM journal.lesson l WHERE l.id = NEW.lesson_id);
    IF NEW.load_id IS NULL THEN
        RAISE EXCEPTION 'Занятие не найдено или недоступно: прикрепить файл нельзя.'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF octet_length(NEW.content) > v_limit * 1048576 THEN
        RAISE EXCEPTION 'Файл больше % МБ: прикрепите файл поменьше (ограничение задаёт заведующий учебной частью).',
            v_limit USING ERRCODE = 'check_violation';
    END IF;
    NEW.kind := journal.homework_file_kind(NEW.content, NEW.file_name);
    IF NEW.kind IS NULL THEN
        RAISE EXCEPTION 'Можно прикрепить только PDF, DOCX или картинку (PNG, JPEG, GIF): содержимое файла «%» не такое.',
            NEW.file_name USING ERRCODE = 'check_violation';
    END IF;
    NEW.size_bytes := octet_length(NEW.content);
    NEW.added_at := now();
    NEW.added_by := session_user;
    NEW.removed_at := NULL;
    NEW.removed_by := NULL;
    RETURN NEW;
END $$;
CREATE TRIGGER homework_file_added BEFORE INSERT ON journal.homework_file
    FOR EACH ROW EXECUTE FUNCTION journal.homework_file_added();

-- The only change: removal, once, stamped by the server. The file itself never changes.
CREATE FUNCTION journal.homework_file_removed() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, journal, pg_temp AS $$
BEGIN
    IF OLD.removed_at IS NOT NULL THEN
        RAISE EXCEPTION 'Файл «%» уже убран из задания.', OLD.file_name
            USING ERRCODE = 'check_violation';
    END IF;
    IF (NEW.id, NEW.lesson_id, NEW.load_id, NEW.file_name, NEW.kind, NEW.size_bytes, NEW.added_at,
        NEW.added_by) IS DISTINCT FROM (OLD.id, OLD.lesson_id, OLD.load_id, OLD.file_name,
        OLD.kind, OLD.size_bytes, OLD.added_at, OLD.added_by) OR NEW.content <> OLD.content THEN
        RAISE EXCEPTION 'Прикреплённый файл не меняется: уберите его и прикрепите новый.'
            USING ERRCODE = 'check_violation';
    END IF;
    NEW.removed_at := now();
    NEW.removed_by := session_user;
    RETURN NEW;
END $$;
CREATE TRIGGER homework_file_removed BEFORE UPDATE ON journal.homework_file
    FOR EACH ROW EXECUTE FUNCTION journal.homework_file_removed();

CREATE TRIGGER homework_file_no_truncate BEFORE TRUNCATE ON journal.homework_file
    FOR EACH STATEMENT EXECUTE FUNCTION journal.refuse_key_change('файлы заданий');

ALTER TABLE journal.homework_file ENABLE ROW LEVEL SECURITY;
ALTER TABLE journal.homework_file FORCE ROW LEVEL SECURITY;

-- Readers of the lesson read its files: the sub-select on journal.lesson runs under the
-- reader's own policies.
CREATE POLICY homework_file_select ON journal.homework_file FOR SELECT
    USING (EXISTS (SELECT FROM journal.lesson l WHERE l.id = lesson_id));
CREATE POLICY homework_file_insert ON journal.homework_file FOR INSERT
    WITH CHECK ((SELECT journal.writes_all())
                OR load_id = ANY ((SELECT journal.my_load_ids())::int[])
                OR lesson_id = ANY ((SELECT journal.my_sub_lesson_ids())::int[]));
CREATE POLICY homework_file_update ON journal.homework_file FOR UPDATE
    USING ((SELECT journal.writes_all())
           OR load_id = ANY ((SELECT journal.my_load_ids())::int[])
           OR lesson_id = ANY ((SELECT journal.my_sub_lesson_ids())::int[]))
    WITH CHECK ((SELECT journal.writes_all())
                OR load_id = ANY ((SELECT journal.my_load_ids())::int[])
                OR lesson_id = ANY ((SELECT journal.my_sub_lesson_ids())::int[]));

-- The limit the settings screen changes: a whole number of megabytes, 1 to 100.
CREATE FUNCTION journal.check_homework_file_setting() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, journal, pg_temp AS $$
BEGIN
    IF NEW.key = 'homework_file_max_mb' AND NOT coalesce(jsonb_typeof(NEW.value) = 'number'
            AND (NEW.value #>> '{}')::numeric BETWEEN 1 AND 100, false) THEN
        RAISE EXCEPTION 'Наибольший размер файла к заданию — от 1 до 100 МБ.'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER homework_file_setting_shape BEFORE INSERT OR UPDATE ON journal.setting
    FOR EACH ROW EXECUTE FUNCTION journal.check_homework_file_setting();

RESET ROLE;

GRANT SELECT ON journal.homework_file TO ej_login;
GRANT SELECT ON journal.homework_file TO ej_backup, ej_security;
GRANT INSERT (lesson_id, file_name, content) ON journal.homework_file TO ej_teacher, ej_office, ej_admin;
GRANT UPDATE (removed_at) ON journal.homework_file TO ej_teacher, ej_office, ej_admin;
