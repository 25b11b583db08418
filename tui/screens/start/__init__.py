"""Starting a session: the login, the home menu, the idle lock and the password change."""
