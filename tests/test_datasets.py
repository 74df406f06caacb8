"""Every data file is exactly what datasets/make_datasets.py makes, documented, and
loadable from anywhere the course is installed."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.course_under_test import REPO

DATASETS = REPO / "datasets"
CSV_FILES = sorted(p.name for p in DATASETS.glob("*.csv"))


def test_the_script_reproduces_every_file_byte_for_byte(tmp_path):
    subprocess.run([sys.executable, str(DATASETS / "make_datasets.py"), "--out", str(tmp_path)],
                   check=True, capture_output=True)
    made = sorted(p.name for p in tmp_path.glob("*.csv"))
    assert made == CSV_FILES, "a CSV in datasets/ is not made by make_datasets.py (or vice versa)"
    for name in made:
        assert (tmp_path / name).read_bytes() == (DATASETS / name).read_bytes(), name


@pytest.mark.parametrize("name", CSV_FILES)
def test_every_dataset_is_documented(name):
    assert f"## `{name}`" in (DATASETS / "README.md").read_text()


def test_datasets_load_from_any_working_directory(tmp_path):
    code = ("import course; d = course.load_dataset('pig_sales'); "
            "print(list(d), int(d['pigs_sold'][0]), d['year'].dtype.kind)")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, check=True,
                          capture_output=True, text=True)
    assert done.stdout.strip() == "['year', 'pigs_sold'] 33 i"


def test_an_unknown_dataset_names_the_known_ones():
    import course

    with pytest.raises(FileNotFoundError, match="pig_sales"):
        course.load_dataset("pig_sale")
