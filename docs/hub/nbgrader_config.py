"""nbgrader settings for every user of the hub: /etc/jupyter/nbgrader_config.py.

Every user's server reads it (students' Assignments panel and Validate button, the
instructor's Formgrader), and so does every nbgrader command on the machine. The course's
own settings (grading, feedback) stay in the course directory's nbgrader_config.py.
"""

c = get_config()  # noqa: F821  (injected by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = "pigs-to-backprop"
c.Exchange.root = "/srv/nbgrader/exchange"
# A submission's folder in the exchange is writable by its student only (nbgrader makes
# it writable by everyone): grader/exchange.py.
c.ExchangeFactory.submit = "grader.exchange.PrivateExchangeSubmit"
