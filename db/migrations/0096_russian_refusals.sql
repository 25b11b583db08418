-- 0096: the reports' and remarks' refusals in Russian. 0070 raised them in English ('no
-- access', 'reports are for staff', …); the program showed its own Russian words for them,
-- but a person's raw SQL session (`ejournal dsn`) read the English. Each function is
-- re-created from its own current definition with only the message changed, so nothing else
-- of it (body, owner, grants, settings) can drift.

SET LOCAL search_path = pg_catalog, journal;

DO $$
DECLARE
    v_fn regprocedure;
    v_def text;
    v_from text;
    v_to text;
    v_words constant text[][] := ARRAY[
        ['''no access''', '''Нет прав: эта учётная запись не связана с человеком колледжа.'''],
        ['''reports are for staff''', '''Отчёты доступны только сотрудникам колледжа.'''],
        ['''only the office raises remarks''',
         '''Замечания по заполнению журнала выставляет только учебная часть.'''],
        ['''only the office records the control''',
         '''Проверку журналов записывает только учебная часть.''']];
BEGIN
    FOR v_fn IN SELECT p.oid::regprocedure FROM pg_proc p
                 WHERE p.pronamespace = 'journal'::regnamespace
                   AND p.proname IN ('_report_scope', 'raise_remarks', 'my_open_remarks',
                                     'record_control')
    LOOP
        v_def := pg_get_functiondef(v_fn);
        FOR i IN 1 .. array_length(v_words, 1) LOOP
            v_from := v_words[i][1];
            v_to := v_words[i][2];
            v_def := replace(v_def, 'RAISE EXCEPTION ' || v_from, 'RAISE EXCEPTION ' || v_to);
        END LOOP;
        EXECUTE v_def;
    END LOOP;
END $$;
