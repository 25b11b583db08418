"""New people of an imported sheet are written in one statement (issue 13: the college's 3,000
parents took seconds one statement each): every student's card and every parent's link points
at the person of the same row, whatever the order of the names in the file."""

from __future__ import annotations

from pathlib import Path

from core.catalogue.importer import import_file
from core.catalogue.registry import find_list

STUDENTS = ("Фамилия;Имя;Отчество;Дата рождения;Группа;Номер зачётной книжки;Дата зачисления\n"
            "Яковлева;Анна;Игоревна;12.03.2008;ИС-24-1;Н-301;01.09.2024\n"
            "Абрамов;Иван;;05.11.2007;ИС-24-2;Н-302;01.09.2024\n"
            "Михайлов;Пётр;Олегович;31.01.2008;ИС-24-1;Н-303;01.09.2024\n")
PARENTS = ("Фамилия;Имя;Отчество;Телефон;Номер зачётной книжки студента;Кем приходится\n"
           "Яковлев;Игорь;Петрович;+7 900 000-00-01;Н-301;отец\n"
           "Абрамова;Ольга;;+7 900 000-00-02;Н-302;мать\n"
           "Михайлова;Елена;Ивановна;;Н-303;мать\n"
           "Яковлева;Мария;Сергеевна;+7 900 000-00-03;Н-301;мать\n")
CARDS = """
SELECT s.record_book_no, p.surname, p.name, p.patronymic, p.birth_date::text
  FROM journal.student s JOIN journal.person p ON p.id = s.person_id
 WHERE s.record_book_no LIKE 'Н-3%' ORDER BY 1
"""
LINKS = """
SELECT s.record_book_no, p.surname, p.name, p.phone, g.relation,
       EXISTS (SELECT FROM journal.person_role r WHERE r.person_id = p.id AND r.role = 'parent')
  FROM journal.guardian g JOIN journal.person p ON p.id = g.parent_id
  JOIN journal.student s ON s.person_id = g.student_id
 WHERE s.record_book_no LIKE 'Н-3%' ORDER BY 1, 2
"""


def test_each_new_person_is_the_one_of_its_row(tmp_path: Path, login_as, su) -> None:
    office = login_as("office")
    for name, text, spec in (("студенты.csv", STUDENTS, "студенты"),
                             ("родители.csv", PARENTS, "родители")):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        result = import_file(office, find_list(spec), path)
        assert result.written, [str(p) for p in result.preview.problems]
    assert su.execute(CARDS).fetchall() == [
        ("Н-301", "Яковлева", "Анна", "Игоревна", "2008-03-12"),
        ("Н-302", "Абрамов", "Иван", "", "2007-11-05"),
        ("Н-303", "Михайлов", "Пётр", "Олегович", "2008-01-31")]
    links = su.execute(LINKS).fetchall()
    assert [r[:3] + r[4:] for r in links] == [
        ("Н-301", "Яковлев", "Игорь", "отец", True),
        ("Н-301", "Яковлева", "Мария", "мать", True),
        ("Н-302", "Абрамова", "Ольга", "мать", True),
        ("Н-303", "Михайлова", "Елена", "мать", True)]
    assert links[0][3] and links[0][3] != links[1][3]
