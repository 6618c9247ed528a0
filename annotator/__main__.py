"""`python -m annotator`: the same as the `annotator` command."""

import sys

from annotator.cli import main

# Guarded: a spawned worker process (`annotator suggest --jobs N`) imports this module again.
if __name__ == "__main__":
    sys.exit(main())
