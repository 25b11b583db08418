"""Screen tests driven through Textual's Pilot."""
