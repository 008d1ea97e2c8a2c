"""Which uid a grading runs student code as: one of a pool, claimed for that grading alone.

Why a pool: two gradings at once on one machine (two `autograder grade`, a
regrade beside a batch run) must never share a uid, or one student's kill(-1)
kills the other's child and one can read the other's files through /proc. So
under root each grading claims the first free uid of the pool (see
`reclaim.try_claim`): the configured sandbox user (`ag-sandbox`, which setup.sh
creates) when it exists, then uids that no account uses, above the range
useradd hands out. Like a batch slot's, such a uid needs no passwd entry: the
child only needs a number no one else runs as. Nothing is created on the
machine.

A batch scheduler claims one uid per slot for the whole run and lends it to each
worker through `SLOT_UID_VARIABLE`; the worker's grading then uses it as it is.

Without root there is no one to switch to: the child runs as us, and nothing is claimed.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import time
from collections.abc import Iterator

from autograder.config import SandboxSettings
from autograder.sandbox.identity import SLOT_UID_VARIABLE, Identity
from autograder.sandbox.reclaim import LOCK_FOLDER, UidClaim, adopt_orphans, locks_usable, try_claim

#: First uid of the pool without accounts: above useradd's UID_MAX (60000), below nobody (65534).
FIRST_FREE_UID = 64000
POOL_SIZE = 512
CLAIM_WAIT_SECONDS = 60.0


def members(user: str) -> Iterator[Identity]:
    """The pool in order: the configured user if it exists (and is not root), then uids without an account."""
    try:
        entry = pwd.getpwnam(user)
    except KeyError:
        entry = None
    if entry is not None and entry.pw_uid != 0:
        yield Identity(entry.pw_uid, entry.pw_gid, user, dedicated=True)
    for uid in range(FIRST_FREE_UID, FIRST_FREE_UID + POOL_SIZE):
        try:
            pwd.getpwuid(uid)
        except KeyError:
            yield Identity.slot(uid)


def own_identity() -> Identity:
    """Ourselves: what the child runs as when we are not root."""
    return Identity(None, None, pwd.getpwuid(os.geteuid()).pw_name)


def claim(settings: SandboxSettings, *, wait: float = CLAIM_WAIT_SECONDS) -> UidClaim:
    """The uid this grading's children run as, held until `release` (see `claimed`).

    As root: the uid a batch scheduler lent us, else the first free uid of the pool (waiting
    while every one is busy). Without root: ourselves, with nothing to hold.
    """
    if os.geteuid() != 0:
        return UidClaim(own_identity(), None)
    lent = os.environ.get(SLOT_UID_VARIABLE)
    if lent:
        uid = int(lent)
        if uid <= 0:
            raise RuntimeError(f"{SLOT_UID_VARIABLE} must be a positive uid, got {lent}")
        adopt_orphans()  # so that our sweeps reap what escaped our children
        return UidClaim(_lent_identity(uid, settings.user), None)  # the scheduler holds the claim for us
    return claim_free(settings, wait=wait)


def _lent_identity(uid: int, user: str) -> Identity:
    """The configured user when that is the uid lent (with its own group), else a uid without an account."""
    try:
        entry = pwd.getpwuid(uid)
    except KeyError:
        return Identity.slot(uid)
    if entry.pw_name != user:
        raise RuntimeError(f"{SLOT_UID_VARIABLE}={uid} names {entry.pw_name}, not a uid of the sandbox pool")
    return Identity(uid, entry.pw_gid, user, dedicated=True)


def claim_free(settings: SandboxSettings, *, wait: float = CLAIM_WAIT_SECONDS) -> UidClaim:
    """As root, the first uid of the pool that no one holds (waiting while every one is busy)."""
    if os.geteuid() != 0:
        return UidClaim(own_identity(), None)
    if not locks_usable():
        raise RuntimeError(f"running as root but {LOCK_FOLDER} cannot hold the sandbox's uid claims (it must be a folder only root can reach)")
    end = time.monotonic() + wait
    while True:
        for identity in members(settings.user):
            held = try_claim(identity)
            if held is not None:
                return held
        if time.monotonic() > end:
            raise RuntimeError(
                f"running as root but no sandbox uid came free within {wait:g} seconds: all {POOL_SIZE} of the pool are in use"
            )
        time.sleep(0.2)


def claim_slots(count: int, settings: SandboxSettings) -> list[UidClaim]:
    """One claim per parallel slot of a batch run (all different uids), held by the scheduler for the run."""
    claims: list[UidClaim] = []
    try:
        for _ in range(count):
            claims.append(claim_free(settings))
    except BaseException:
        for held in claims:
            held.release()
        raise
    return claims


@contextlib.contextmanager
def claimed(settings: SandboxSettings) -> Iterator[UidClaim]:
    """A uid held for the time of the `with` block (the holder sweeps it when it likes: `UidClaim.sweep`)."""
    held = claim(settings)
    try:
        yield held
    finally:
        held.release()

