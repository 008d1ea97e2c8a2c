"""Where the project lies on disk: the one folder that holds autograder/, problems/ and reference/.

Its own module because everything needs it (the assignment data, the settings file,
the engine, the staff tools) and it needs nothing: a module this low cannot be part
of an import cycle.
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """The folder holding autograder/, problems/ and reference/ (the zip root on Gradescope).

    `AUTOGRADER_ROOT` points elsewhere: a copy of the project whose problems and
    reference the engine should grade with.
    """
    override = os.environ.get("AUTOGRADER_ROOT")
    return Path(override).resolve() if override else Path(__file__).resolve().parent.parent
