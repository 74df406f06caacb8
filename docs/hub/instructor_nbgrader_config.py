"""The instructor's ~/.jupyter/nbgrader_config.py: Formgrader in their own server.

JupyterHub starts each server in the user's home, and nbgrader reads nbgrader_config.py
from the folder it runs in: without this file, the instructor's Formgrader would look
for ~/source/ and make a stray ~/gradebook.db. This names the course directory and loads
the course's own settings (folders, grading, feedback) from it.
"""

c = get_config()  # noqa: F821  (injected by traitlets when nbgrader loads this file)

c.CourseDirectory.root = "/home/instructor/pigs-to-backprop"
load_subconfig("nbgrader_config.py", path=c.CourseDirectory.root)  # noqa: F821
