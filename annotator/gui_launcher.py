"""Entry point of the `annotator-gui` launcher.

The window, with the same options as `annotator gui`.
"""

from __future__ import annotations

import sys


def main() -> int:
    from annotator.cli import main as cli_main

    return cli_main(["gui", *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
