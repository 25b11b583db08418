"""The year-end archive (R16): closing an academic year and reopening it."""
