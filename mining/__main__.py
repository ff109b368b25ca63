"""``python -m mining``: the same as the ``mining`` command (as ``python -m spacy`` is spaCy's)."""

import sys

from mining.cli import main

if __name__ == "__main__":  # importing the module (pkgutil.walk_packages in the tests) must not run the command
    sys.exit(main())
