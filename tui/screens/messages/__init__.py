"""Correspondence inside the journal (R21)."""
