-- 0001: the journal's tables for the whole regulation (R1–R24), their constraints and the
-- invariants that live in the database. Security (roles' grants, RLS, history, locks) is in
-- later migrations. Runs as a superuser inside one transaction; tables are owned by the
-- NOLOGIN role ej_owner.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ej_owner') THEN
        CREATE ROLE ej_owner NOLOGIN;
    END IF;
END $$;

CREATE SCHEMA IF NOT EXISTS journal AUTHORIZATION ej_owner;
REVOKE ALL ON SCHEMA journal FROM PUBLIC;
SET LOCAL ROLE ej_owner;
SET LOCAL search_path = journal, pg_catalog;

-- Settings kept in the database (college name, rounding rule, reason-after-days, ...).
CREATE TABLE journal.setting (
    key   text PRIMARY KEY,
    value jsonb NOT NULL,
    title text NOT NULL DEFAULT ''
);

-- People: staff, students and parents. Personal data (152-ФЗ).
CREATE TABLE journal.person (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    surname     text NOT NULL CHECK (btrim(surname) <> ''),
    name        text NOT NULL CHECK (btrim(name) <> ''),
    patronymic  text NOT NULL DEFAULT '',
    birth_date  date CHECK (birth_date > DATE '1900-01-01'),
    phone       text CHECK (phone ~ '^\+7[0-9]{10}$'),
    email       text CHECK (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX person_surname_idx ON journal.person (surname, name);

-- What a person is in the college; a person may hold several roles.
CREATE TABLE journal.person_role (
    person_id bigint NOT NULL REFERENCES journal.person ON DELETE CASCADE,
    role      text NOT NULL CHECK (role IN ('admin', 'director', 'deputy', 'office',
                  'methodologist', 'teacher', 'curator', 'support', 'parent', 'student')),
    PRIMARY KEY (person_id, role)
);
CREATE INDEX person_role_role_idx ON journal.person_role (role, person_id);

-- Staff position as written in documents (преподаватель, мастер п/о, педагог-психолог, ...).
CREATE TABLE journal.staff (
    person_id  bigint PRIMARY KEY REFERENCES journal.person ON DELETE CASCADE,
    position   text NOT NULL,
    part_time  boolean NOT NULL DEFAULT false
);

-- A person's PostgreSQL login role: login = role name.
CREATE TABLE journal.account (
    person_id            bigint PRIMARY KEY REFERENCES journal.person ON DELETE CASCADE,
    login                text NOT NULL UNIQUE CHECK (login ~ '^[a-z][a-z0-9_.-]{2,62}$'),
    must_change_password boolean NOT NULL DEFAULT true,
    blocked              boolean NOT NULL DEFAULT false,
    created_at           timestamptz NOT NULL DEFAULT now(),
    created_by           text NOT NULL DEFAULT session_user,
    password_changed_at  timestamptz
);

-- Logins and failed logins (R13).
CREATE TABLE journal.login_event (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    login      text NOT NULL,
    success    boolean NOT NULL,
    at         timestamptz NOT NULL DEFAULT now(),
    detail     text NOT NULL DEFAULT ''
);
CREATE INDEX login_event_login_idx ON journal.login_event (login, at DESC);

-- Academic calendar (R12).
CREATE TABLE journal.academic_year (
    id           integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title        text NOT NULL UNIQUE CHECK (title ~ '^[0-9]{4}/[0-9]{4}$'),
    starts_on    date NOT NULL,
    ends_on      date NOT NULL,
    archived_at  timestamptz,
    archived_by  text,
    CHECK (ends_on > starts_on)
);

CREATE TABLE journal.period (
    id         integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    year_id    integer NOT NULL REFERENCES journal.academic_year,
    number     smallint NOT NULL CHECK (number BETWEEN 1 AND 4),
    title      text NOT NULL,
    starts_on  date NOT NULL,
    ends_on    date NOT NULL,
    closed_at  timestamptz,
    closed_by  text,
    UNIQUE (year_id, number),
    CHECK (ends_on > starts_on)
);

CREATE TABLE journal.holiday (
    id         integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    year_id    integer NOT NULL REFERENCES journal.academic_year,
    starts_on  date NOT NULL,
    ends_on    date NOT NULL,
    title      text NOT NULL,
    kind       text NOT NULL DEFAULT 'каникулы' CHECK (kind IN ('каникулы', 'праздник', 'практика')),
    CHECK (ends_on >= starts_on)
);

-- Bell schedule: пары and their academic hours.
CREATE TABLE journal.bell (
    year_id    integer NOT NULL REFERENCES journal.academic_year,
    pair_no    smallint NOT NULL CHECK (pair_no BETWEEN 1 AND 8),
    starts_at  time NOT NULL,
    ends_at    time NOT NULL,
    hours      smallint NOT NULL DEFAULT 2 CHECK (hours BETWEEN 1 AND 4),
    PRIMARY KEY (year_id, pair_no),
    CHECK (ends_at > starts_at)
);

-- Specialties, curricula and disciplines.
CREATE TABLE journal.specialty (
    id             integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code           text NOT NULL UNIQUE CHECK (code ~ '^[0-9]{2}\.[0-9]{2}\.[0-9]{2}$'),
    title          text NOT NULL,
    qualification  text NOT NULL DEFAULT '',
    group_prefix   text NOT NULL
);

CREATE TABLE journal.curriculum (
    id              integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    specialty_id    integer NOT NULL REFERENCES journal.specialty,
    admission_year  smallint NOT NULL CHECK (admission_year BETWEEN 2000 AND 2100),
    title           text NOT NULL,
    UNIQUE (specialty_id, admission_year)
);

CREATE TABLE journal.discipline (
    id           integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code         text NOT NULL DEFAULT '',
    title        text NOT NULL UNIQUE,
    short_title  text NOT NULL
);

CREATE TABLE journal.curriculum_item (
    id             integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    curriculum_id  integer NOT NULL REFERENCES journal.curriculum ON DELETE CASCADE,
    discipline_id  integer NOT NULL REFERENCES journal.discipline,
    semester_no    smallint NOT NULL CHECK (semester_no BETWEEN 1 AND 8),
    hours_total    smallint NOT NULL CHECK (hours_total > 0),
    hours_practical smallint NOT NULL DEFAULT 0 CHECK (hours_practical >= 0),
    hours_lab      smallint NOT NULL DEFAULT 0 CHECK (hours_lab >= 0),
    attestation    text NOT NULL CHECK (attestation IN ('экзамен', 'дифференцированный зачёт',
                       'зачёт', 'курсовая работа', 'другая форма', 'нет')),
    pass_fail      boolean NOT NULL DEFAULT false,
    UNIQUE (curriculum_id, discipline_id, semester_no),
    CHECK (hours_practical + hours_lab <= hours_total)
);

-- Groups, subgroups, students, parents.
CREATE TABLE journal.study_group (
    id              integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name            text NOT NULL UNIQUE CHECK (name ~ '^[А-ЯЁA-Z]{1,6}-[0-9]{2}-[0-9]{1,2}[а-яё]?$'),
    specialty_id    integer NOT NULL REFERENCES journal.specialty,
    curriculum_id   integer NOT NULL REFERENCES journal.curriculum,
    admission_year  smallint NOT NULL,
    curator_id      bigint REFERENCES journal.person,
    graduated_at    date
);
CREATE INDEX study_group_curator_idx ON journal.study_group (curator_id);

CREATE TABLE journal.subgroup (
    id        integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    group_id  integer NOT NULL REFERENCES journal.study_group ON DELETE CASCADE,
    name      text NOT NULL,
    UNIQUE (group_id, name),
    UNIQUE (group_id, id)
);

CREATE TABLE journal.student (
    person_id       bigint PRIMARY KEY REFERENCES journal.person ON DELETE CASCADE,
    group_id        integer NOT NULL REFERENCES journal.study_group,
    subgroup_id     integer,
    record_book_no  text NOT NULL UNIQUE,
    status          text NOT NULL DEFAULT 'обучается' CHECK (status IN ('обучается',
                        'академический отпуск', 'отчислен', 'выпущен')),
    enrolled_on     date NOT NULL,
    left_on         date,
    FOREIGN KEY (group_id, subgroup_id) REFERENCES journal.subgroup (group_id, id),
    CHECK (left_on IS NULL OR left_on >= enrolled_on)
);
CREATE INDEX student_group_idx ON journal.student (group_id, person_id);

CREATE TABLE journal.guardian (
    parent_id   bigint NOT NULL REFERENCES journal.person ON DELETE CASCADE,
    student_id  bigint NOT NULL REFERENCES journal.student ON DELETE CASCADE,
    relation    text NOT NULL CHECK (relation IN ('мать', 'отец', 'опекун', 'попечитель',
                    'другой законный представитель')),
    PRIMARY KEY (parent_id, student_id),
    CHECK (parent_id <> student_id)
);
CREATE INDEX guardian_student_idx ON journal.guardian (student_id);

-- Teaching load: teacher × group (or subgroup) × discipline × period.
CREATE TABLE journal.teaching_load (
    id                  integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    period_id           integer NOT NULL REFERENCES journal.period,
    group_id            integer NOT NULL REFERENCES journal.study_group,
    subgroup_id         integer,
    discipline_id       integer NOT NULL REFERENCES journal.discipline,
    curriculum_item_id  integer REFERENCES journal.curriculum_item,
    teacher_id          bigint NOT NULL REFERENCES journal.person,
    planned_hours       smallint NOT NULL CHECK (planned_hours > 0),
    pass_fail           boolean NOT NULL DEFAULT false,
    FOREIGN KEY (group_id, subgroup_id) REFERENCES journal.subgroup (group_id, id),
    UNIQUE NULLS NOT DISTINCT (period_id, group_id, subgroup_id, discipline_id)
);
CREATE INDEX teaching_load_teacher_idx ON journal.teaching_load (teacher_id, period_id);
CREATE INDEX teaching_load_group_idx ON journal.teaching_load (group_id, period_id);

CREATE TABLE journal.lesson_type (
    code   text PRIMARY KEY,
    title  text NOT NULL UNIQUE,
    short  text NOT NULL
);
INSERT INTO journal.lesson_type VALUES
    ('theory', 'Теоретическое занятие', 'Т'),
    ('practical', 'Практическое занятие', 'П'),
    ('lab', 'Лабораторное занятие', 'Л'),
    ('seminar', 'Семинар', 'С'),
    ('control', 'Контрольная работа', 'К'),
    ('consultation', 'Консультация', 'Кн'),
    ('training', 'Учебная практика', 'У'),
    ('coursework', 'Курсовое проектирование', 'КП');

CREATE TABLE journal.work_kind (
    code   text PRIMARY KEY,
    title  text NOT NULL UNIQUE,
    short  text NOT NULL
);
INSERT INTO journal.work_kind VALUES
    ('oral', 'Устный ответ', 'УО'),
    ('written', 'Письменная работа', 'ПР'),
    ('control', 'Контрольная работа', 'КР'),
    ('practical', 'Практическая работа', 'Пр'),
    ('lab', 'Лабораторная работа', 'ЛР'),
    ('independent', 'Самостоятельная работа', 'СР'),
    ('test', 'Тест', 'Т'),
    ('homework', 'Домашнее задание', 'ДЗ'),
    ('report', 'Доклад, реферат', 'Д');

-- Calendar-thematic plan (КТП) of a load.
CREATE TABLE journal.ktp_topic (
    id           integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    load_id      integer NOT NULL REFERENCES journal.teaching_load ON DELETE CASCADE,
    position     smallint NOT NULL CHECK (position > 0),
    title        text NOT NULL CHECK (btrim(title) <> ''),
    lesson_type  text NOT NULL REFERENCES journal.lesson_type,
    hours        smallint NOT NULL DEFAULT 2 CHECK (hours BETWEEN 1 AND 8),
    homework     text NOT NULL DEFAULT '',
    UNIQUE (load_id, position)
);

-- Timetable: weekday × пара × числитель/знаменатель.
CREATE TABLE journal.timetable_slot (
    id           integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    load_id      integer NOT NULL REFERENCES journal.teaching_load ON DELETE CASCADE,
    weekday      smallint NOT NULL CHECK (weekday BETWEEN 1 AND 6),
    pair_no      smallint NOT NULL CHECK (pair_no BETWEEN 1 AND 8),
    week_parity  text NOT NULL DEFAULT 'all' CHECK (week_parity IN ('all', 'odd', 'even')),
    room         text NOT NULL DEFAULT '',
    UNIQUE (load_id, weekday, pair_no, week_parity)
);

-- A lesson held (or planned from the timetable and then filled).
CREATE TABLE journal.lesson (
    id                integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    load_id           integer NOT NULL REFERENCES journal.teaching_load,
    lesson_date       date NOT NULL,
    pair_no           smallint NOT NULL CHECK (pair_no BETWEEN 1 AND 8),
    taught_by         bigint NOT NULL REFERENCES journal.person,
    lesson_type       text NOT NULL DEFAULT 'theory' REFERENCES journal.lesson_type,
    hours             smallint NOT NULL DEFAULT 2 CHECK (hours BETWEEN 1 AND 8),
    ktp_topic_id      integer REFERENCES journal.ktp_topic,
    topic             text NOT NULL DEFAULT '',
    work_kind         text NOT NULL DEFAULT 'oral' REFERENCES journal.work_kind,
    homework          text NOT NULL DEFAULT '',
    homework_pages    text NOT NULL DEFAULT '',
    homework_tasks    text NOT NULL DEFAULT '',
    homework_practical text NOT NULL DEFAULT '',
    unscheduled       boolean NOT NULL DEFAULT false,
    created_at        timestamptz NOT NULL DEFAULT now(),
    filled_at         timestamptz,
    UNIQUE (load_id, lesson_date, pair_no),
    UNIQUE (id, load_id)
);
CREATE INDEX lesson_load_date_idx ON journal.lesson (load_id, lesson_date);
CREATE INDEX lesson_taught_by_idx ON journal.lesson (taught_by);
CREATE INDEX lesson_date_idx ON journal.lesson (lesson_date);

-- Attendance: one row per student per lesson once taken; П present, НУ, НН.
CREATE TABLE journal.attendance (
    lesson_id   integer NOT NULL,
    load_id     integer NOT NULL,
    student_id  bigint NOT NULL REFERENCES journal.student,
    code        text NOT NULL CHECK (code IN ('П', 'НУ', 'НН')),
    changed_at  timestamptz NOT NULL DEFAULT now(),
    changed_by  text NOT NULL DEFAULT session_user,
    PRIMARY KEY (lesson_id, student_id),
    FOREIGN KEY (lesson_id, load_id) REFERENCES journal.lesson (id, load_id) ON DELETE CASCADE
);
CREATE INDEX attendance_student_idx ON journal.attendance (student_id);
CREATE INDEX attendance_load_idx ON journal.attendance (load_id);

-- Current marks (R4): several per student per lesson when for different kinds of work.
CREATE TABLE journal.mark (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lesson_id   integer NOT NULL,
    load_id     integer NOT NULL,
    student_id  bigint NOT NULL REFERENCES journal.student,
    work_kind   text NOT NULL REFERENCES journal.work_kind,
    value       text NOT NULL CHECK (value IN ('5', '4', '3', '2', 'зачёт', 'незачёт')),
    changed_at  timestamptz NOT NULL DEFAULT now(),
    changed_by  text NOT NULL DEFAULT session_user,
    UNIQUE (lesson_id, student_id, work_kind),
    FOREIGN KEY (lesson_id, load_id) REFERENCES journal.lesson (id, load_id) ON DELETE CASCADE
);
CREATE INDEX mark_student_idx ON journal.mark (student_id);
CREATE INDEX mark_load_idx ON journal.mark (load_id);

-- Attestation statements (ведомости, R6).
CREATE TABLE journal.statement (
    id             integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    load_id        integer NOT NULL REFERENCES journal.teaching_load,
    form           text NOT NULL CHECK (form IN ('экзамен', 'дифференцированный зачёт', 'зачёт',
                       'курсовая работа')),
    number         text NOT NULL DEFAULT '',
    held_on        date,
    examiner_id    bigint REFERENCES journal.person,
    created_at     timestamptz NOT NULL DEFAULT now(),
    created_by     text NOT NULL DEFAULT session_user,
    closed_at      timestamptz,
    closed_by      text,
    UNIQUE (load_id, form)
);

CREATE TABLE journal.statement_mark (
    statement_id  integer NOT NULL REFERENCES journal.statement ON DELETE CASCADE,
    student_id    bigint NOT NULL REFERENCES journal.student,
    value         text NOT NULL CHECK (value IN ('5', '4', '3', '2', 'зачёт', 'незачёт', 'неявка')),
    changed_at    timestamptz NOT NULL DEFAULT now(),
    changed_by    text NOT NULL DEFAULT session_user,
    PRIMARY KEY (statement_id, student_id)
);
CREATE INDEX statement_mark_student_idx ON journal.statement_mark (student_id);

-- Semester final marks (R7), fixed when a period is closed; live values come from core rules.
CREATE TABLE journal.final_mark (
    load_id     integer NOT NULL REFERENCES journal.teaching_load,
    student_id  bigint NOT NULL REFERENCES journal.student,
    value       text NOT NULL CHECK (value IN ('5', '4', '3', '2', 'зачёт', 'незачёт', 'неявка',
                    'н/а')),
    mean        numeric(4, 2),
    source      text NOT NULL CHECK (source IN ('ведомость', 'среднее', 'вручную')),
    fixed_at    timestamptz NOT NULL DEFAULT now(),
    fixed_by    text NOT NULL DEFAULT session_user,
    PRIMARY KEY (load_id, student_id)
);
CREATE INDEX final_mark_student_idx ON journal.final_mark (student_id);

-- Correspondence (R21).
CREATE TABLE journal.thread (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject     text NOT NULL CHECK (btrim(subject) <> ''),
    student_id  bigint REFERENCES journal.student,
    year_id     integer REFERENCES journal.academic_year,
    created_by  bigint NOT NULL REFERENCES journal.person,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE journal.thread_member (
    thread_id    bigint NOT NULL REFERENCES journal.thread ON DELETE CASCADE,
    person_id    bigint NOT NULL REFERENCES journal.person,
    last_read_at timestamptz,
    PRIMARY KEY (thread_id, person_id)
);
CREATE INDEX thread_member_person_idx ON journal.thread_member (person_id);

CREATE TABLE journal.message (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    thread_id  bigint NOT NULL REFERENCES journal.thread ON DELETE CASCADE,
    author_id  bigint NOT NULL REFERENCES journal.person,
    body       text NOT NULL CHECK (btrim(body) <> '' AND length(body) <= 4000),
    sent_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX message_thread_idx ON journal.message (thread_id, sent_at);

-- History of every correction (R14): written by triggers only.
CREATE TABLE journal.change_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    table_name  text NOT NULL,
    action      text NOT NULL CHECK (action IN ('INSERT', 'UPDATE', 'DELETE')),
    row_key     jsonb NOT NULL,
    old_value   jsonb,
    new_value   jsonb,
    reason      text NOT NULL DEFAULT '',
    changed_by  text NOT NULL DEFAULT session_user,
    person_id   bigint,
    changed_at  timestamptz NOT NULL DEFAULT now(),
    load_id     integer,
    student_id  bigint
);
CREATE INDEX change_log_row_idx ON journal.change_log (table_name, row_key);
CREATE INDEX change_log_load_idx ON journal.change_log (load_id);
CREATE INDEX change_log_student_idx ON journal.change_log (student_id);
