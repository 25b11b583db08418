"""``python -m cli``: the same as the ``ejournal`` command."""

import sys

from cli import main

sys.exit(main())
