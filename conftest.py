"""Test-session settings for everything pytest runs: tests/ and the solutions/ notebooks.

It lives at the repository root so that it also applies when only `solutions/` is run.
"""

import os
import sys

import pytest

# Figures render without a display in every test process and kernel.
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(autouse=True)
def _close_figures():
    """Widget helpers draw figures in the test process; close them after each test."""
    yield
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
