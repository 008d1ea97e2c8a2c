"""Who a child process runs as: the grader's own user, or an unprivileged uid of the sandbox pool.

Kept apart from `limits` (which sets POSIX resource limits) so that code running on
any platform, the student kit's format check on Windows among it, can name an
identity without importing a POSIX-only module.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Set by the batch runner (as root) to lend each parallel worker the uid it claimed for the worker's slot (see `pool`).
SLOT_UID_VARIABLE = "AUTOGRADER_SANDBOX_UID"


@dataclass(frozen=True)
class Identity:
    """Who the child runs as: a different user only when the grader is root."""

    uid: int | None
    gid: int | None
    name: str
    #: The uid exists only to run student code (a uid of the sandbox pool), so whatever it still
    #: runs or owns after grading may be killed and deleted; a shared user such as `nobody` is not.
    dedicated: bool = False

    @classmethod
    def slot(cls, uid: int) -> "Identity":
        """A pool uid without an account (see `pool`): unused by anyone else, dedicated to student code."""
        return cls(uid, uid, f"uid {uid}", dedicated=True)

    @property
    def switches_user(self) -> bool:
        return self.uid is not None
