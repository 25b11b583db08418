"""Statements, the family view and correspondence (issue 5, parts 3–6)."""
