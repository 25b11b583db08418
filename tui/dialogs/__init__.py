"""Modal dialogs shared by every screen: confirm, prompt, error, conflict, a cell's history."""
