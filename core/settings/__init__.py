"""The college's settings kept in the database (``journal.setting``), as the settings screen
and ``ejournal settings`` show and change them."""
