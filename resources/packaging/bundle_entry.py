"""Entry point of the PyInstaller bundle (resources/packaging/annotator.spec): the `annotator` command,
which opens the window when given no sub-command."""

import sys

from annotator.cli import main

if __name__ == "__main__":
    sys.exit(main())
