"""The guides per role: every role has one, the person's own come first."""

from __future__ import annotations

from core.guides import GUIDES, ROLE_GUIDE, guides_for


def test_every_role_reads_a_guide() -> None:
    assert set(GUIDES) == {"teacher", "curator", "office", "admin", "parent", "student"}
    assert set(ROLE_GUIDE.values()) <= set(GUIDES)
    for guide in GUIDES.values():
        assert guide.text.lstrip().startswith("# ") and "F1" in guide.text


def test_own_guides_first_then_the_rest() -> None:
    roles = [g.role for g in guides_for({"curator", "teacher"})]
    assert roles[:2] == ["teacher", "curator"] and sorted(roles) == sorted(GUIDES)
    assert guides_for({"director"})[0].role == "office"
