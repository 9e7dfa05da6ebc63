"""`python tools/grade SUBMISSIONS [options]`: see tools/grade/__init__.py."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from grade import main  # noqa: E402 (tools/ is not a package)

main()
