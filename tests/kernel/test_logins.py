"""Login names: staff by name, students and parents opaque."""

from __future__ import annotations

import random

from kernel.logins import is_valid_login, opaque_login, propose_login


def test_staff_login_from_the_name() -> None:
    assert propose_login("Иванова", "Мария", "Алексеевна") == "ivanova.ma"
    assert propose_login("Щербаков", "Юрий", "") == "shcherbakov.iu"


def test_student_and_parent_logins_carry_no_name() -> None:
    student, parent = opaque_login("student"), opaque_login("parent")
    assert student.startswith("st-") and parent.startswith("rd-")
    assert is_valid_login(student) and is_valid_login(parent)
    assert opaque_login("student") != student


def test_seeded_opaque_login_is_repeatable() -> None:
    assert opaque_login("student", random.Random(7)) == opaque_login("student", random.Random(7))
