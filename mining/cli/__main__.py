"""``python -m mining.cli``: the same as the ``mining`` command."""

import sys

from mining.cli import main

sys.exit(main())
