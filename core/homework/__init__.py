"""Files attached to a lesson's homework (issue 16, item 3)."""
