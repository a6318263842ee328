"""The class tests share ``hubclass.py`` (a real class on loopback, its members, their kernels)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
