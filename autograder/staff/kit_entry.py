#!/usr/bin/env python3
"""Check that Gradescope can read your answers: `python check.py` in this folder, before you upload.

It runs your hw4.py / disc4.py / notebooks the way the autograder does (in a
separate, limited process) and tells you, for every public part, whether the
answer is there and readable: formulas parse, numbers are numbers, arrays have
the stated shape, functions are functions. It does not know the answers:
whether they are right, Gradescope tells you after you submit.

Needs Python 3.11+ and the packages in requirements.txt; Linux or macOS
(on Windows, use WSL). This file is copied into the student kit as check.py.
"""

from __future__ import annotations

import hashlib
import os
import site
import subprocess
import sys
import sysconfig
import tempfile
import venv
from pathlib import Path

KIT = Path(__file__).resolve().parent
REEXEC = "AUTOGRADER_KIT_PYTHON"


def _child_sees_kit(python: str) -> bool:
    """The graded code runs in `python -I` (isolated): can it import this kit's autograder package?"""
    probe = subprocess.run([python, "-I", "-c", "import autograder; print(autograder.__file__)"], capture_output=True, text=True, cwd="/")
    return probe.returncode == 0 and Path(probe.stdout.strip()).resolve().is_relative_to(KIT)


def _private_python() -> Path:
    """A tiny virtual environment (no packages of its own) that sees this kit first, then your packages."""
    base = os.path.realpath(getattr(sys, "_base_executable", sys.executable))
    key = hashlib.sha1(f"{KIT}\n{base}\n{sys.prefix}".encode()).hexdigest()[:12]
    target = Path(tempfile.gettempdir()) / f"autograder-kit-{key}"
    python = target / "bin" / "python"
    if not python.exists():
        venv.EnvBuilder(with_pip=False, symlinks=True, clear=True).create(target)
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    user_site = site.getusersitepackages() if site.ENABLE_USER_SITE else None
    paths = [str(KIT), *site.getsitepackages(), sysconfig.get_paths()["purelib"], *([user_site] if user_site else [])]
    lines = [p for p in dict.fromkeys(paths) if Path(p).is_dir()]
    (target / "lib" / version / "site-packages" / "autograder_kit.pth").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return python


def main() -> int:
    if sys.version_info < (3, 11):
        print("check.py needs Python 3.11 or newer", file=sys.stderr)
        return 2
    if not _child_sees_kit(sys.executable):
        if os.environ.get(REEXEC):
            print("check.py: cannot set up the checker's Python; is this folder readable?", file=sys.stderr)
            return 2
        python = _private_python()
        os.environ[REEXEC] = "1"
        os.execv(str(python), [str(python), str(Path(__file__).resolve()), *sys.argv[1:]])
    os.environ["AUTOGRADER_ROOT"] = str(KIT)
    os.environ.pop("AUTOGRADER_SETTINGS", None)
    sys.path.insert(0, str(KIT))
    try:
        from autograder.formatcheck import main as format_check
    except ImportError as error:
        print(f"check.py: a package is missing ({error}); run: python -m pip install -r requirements.txt", file=sys.stderr)
        return 2
    return format_check(sys.argv[1:], default_folder=str(KIT))  # default: the kit folder, where hw4.py is


if __name__ == "__main__":
    sys.exit(main())
