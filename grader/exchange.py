"""nbgrader's exchange on a shared server: a submission only its student can change.

nbgrader's `ExchangeSubmit` makes each submission's folder in `inbound/` writable by
everyone (`drwxrwxrwx`, "so the instructor can delete later"): another student who
learns its name could add or replace files in it before the instructor collects.
`PrivateExchangeSubmit` leaves it `drwxr-xr-x` (files `-rw-r--r--`, as nbgrader makes
them): the instructor can still read and collect it, nobody but its student can change
it. The price: the instructor cannot delete submission folders from the exchange (root
can). docs/hub/nbgrader_config.py selects it for every user of a hub:

    c.ExchangeFactory.submit = "grader.exchange.PrivateExchangeSubmit"
"""

from __future__ import annotations

import os
import stat

from nbgrader.exchange.default import ExchangeSubmit

SUBMISSION_FOLDER_MODE = 0o755


class PrivateExchangeSubmit(ExchangeSubmit):
    """`nbgrader submit` whose submission folder is not writable by other users."""

    def copy_files(self):
        super().copy_files()
        # nbgrader has set every file and subfolder in it to 644 / 755, then the folder
        # itself to 777: only the folder needs changing back.
        dest = os.path.join(self.inbound_path, self.assignment_filename)
        os.chmod(dest, SUBMISSION_FOLDER_MODE)
        self.log.info("Submission folder %s is %s", dest, stat.filemode(os.stat(dest).st_mode))
