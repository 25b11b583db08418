"""``ejournal server install|uninstall``: one college server where every OS account just types
``ejournal`` (issue 15). See docs/server.md, «Install on a college server»."""
