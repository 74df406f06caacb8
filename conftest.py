"""Test-session settings for everything pytest runs: tests/ and the solutions/ notebooks.

It lives at the repository root so that it also applies when only `solutions/` is run.
"""

import os

# Figures render without a display in every test process and kernel.
os.environ.setdefault("MPLBACKEND", "Agg")
