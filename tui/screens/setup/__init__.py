"""Setup screens of the yearly setup (issue 13)."""
