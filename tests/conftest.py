"""Test-session settings shared by every test module."""

import os

import pytest

# Figures render without a display in every test process and kernel.
os.environ.setdefault("MPLBACKEND", "Agg")


def pytest_collection_modifyitems(items):
    # nbval runs a notebook's cells as separate items in one kernel: with pytest-xdist
    # they must stay together on one worker (`--dist loadgroup`).
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.xdist_group(str(item.path)))
