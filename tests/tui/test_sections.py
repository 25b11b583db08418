"""The home menu's sections: every entry opens a screen that exists, and the idle lock's
limit comes from the settings alone."""

from __future__ import annotations

import importlib
from dataclasses import replace

from kernel.settings import Settings
from tui.app import EJournalApp
from tui.sections import SECTIONS, sections_for


def test_every_section_names_an_existing_screen() -> None:
    for section in SECTIONS:
        module_name, class_name = section.screen.split(":")
        assert hasattr(importlib.import_module(module_name), class_name), section.key


def test_sections_follow_the_roles_only() -> None:
    keys = [s.key for s in sections_for(frozenset({"parent"}))]
    assert keys == ["my_marks", "messages", "password"]


def test_idle_lock_limit_is_the_settings_value() -> None:
    app = EJournalApp(replace(Settings(), idle_lock_minutes=7))
    assert app.idle_limit_s() == 7 * 60.0
    assert EJournalApp(replace(Settings(), idle_lock_minutes=0)).idle_limit_s() == 0.0
