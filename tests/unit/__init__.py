"""Unit tests of the pure rules in core/ (no database, no terminal)."""
