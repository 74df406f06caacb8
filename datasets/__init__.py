"""The course's data files, installed as the package `course.datasets`.

Load them with `course.load_dataset(name)`; remake them with
`python datasets/make_datasets.py` (see README.md in this folder).
"""
