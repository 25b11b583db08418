"""Every style sheet of the program read at once, while the person types the password.

Textual reads a screen's CSS file the first time that screen is shown, and then parses every
style sheet of the program again, its own widgets' included (``Stylesheet.reparse``): three
times more on the way from the login to a journal page, a tenth of a second of processor
each, on the college server where thirty teachers log in at the start of a lesson. Read
together once the login screen is drawn, the later screens find theirs read and parse nothing.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import App


def preload_styles(app: App[object]) -> None:
    """Read every ``.tcss`` file of the program not read yet, and parse once (UI thread).

    The paths are resolved as Textual resolves a screen's ``CSS_PATH``, so that a screen shown
    later finds its file among those read."""
    root = Path(__file__).resolve().parent
    fresh = [path for path in sorted(root.rglob("*.tcss"))
             if not app.stylesheet.has_source(str(path), "")]
    for path in fresh:
        app.stylesheet.read(path)
    if fresh:
        app.stylesheet.reparse()
        app.stylesheet.update(app)
