#!/usr/bin/env python3
"""Check your answers before you upload them: one command, in this folder.

    python3 check.py              Linux, macOS      (Windows: py check.py)
    python3 check.py FOLDER       check the answer files in FOLDER instead of this folder
    python3 check.py --assignment hw4   check only Homework 4 (or disc4)
    python3 check.py --jupyter    also install Jupyter, to open the notebooks (then: see README.md)
    python3 check.py --reinstall  throw the environment away and make it again

The first run makes a virtual environment in `.venv/` inside this folder and
installs the packages of requirements.txt into it, with the CPU-only build of
torch (no CUDA; nothing is installed outside this folder, and nothing is left in
your temp folder). Later runs reuse it and start in seconds. If the Python that
runs this file already has every package of requirements.txt, `.venv/` only
points at it and nothing is downloaded.

Then it runs your hw4.py / disc4.py and the notebooks' graded cells the way
Gradescope does (in a separate, limited process), and says for every public part
whether the answer is there and readable, and whether your functions run on
small public inputs and return the right type and shape. It does not know the
answers: whether they are right, Gradescope tells you after you submit.

On Windows the separate process has time limits only (no memory, CPU-time,
file-size or process limits: Windows lacks the system calls the sandbox uses);
the check says so in one line. No WSL needed.

Environment variables: KIT_TORCH_INDEX=pip takes torch from pip's configured
index instead of PyTorch's CPU index (any other value is used as the index URL).

This file uses only Python's standard library until it runs inside `.venv/`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import site
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

KIT = Path(__file__).resolve().parent
ENV = KIT / ".venv"
MARKER = ENV / "kit-environment.json"
#: Where ensurepip and pip put their temporary files during set-up (removed afterwards), not the system's temp folder.
SETUP_TEMP = KIT / ".setup-tmp"
TEMP_VARIABLES = ("TMPDIR", "TEMP", "TMP")
REQUIREMENTS = KIT / "requirements.txt"
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"
JUPYTER = ("jupyterlab", "ipykernel")
#: Rough figures for the message of the first run (the README has the measured ones).
FIRST_RUN = "about 290 MB to download, 1.2 GB on disk, 2 to 3 minutes"
WINDOWS = os.name == "nt"
COMMAND = "py check.py" if WINDOWS else "python3 check.py"


class SetupError(Exception):
    """The environment could not be made; the message says what to do."""


# ------------------------------------------------------------------ the environment
def env_python() -> Path:
    """The environment's interpreter: `.venv\\Scripts\\python.exe` on Windows, `.venv/bin/python` elsewhere."""
    return ENV / "Scripts" / "python.exe" if WINDOWS else ENV / "bin" / "python"


def _requirements_key() -> str:
    return hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()[:16]


def _pinned() -> dict[str, str]:
    """name -> version of every `name==version` line of requirements.txt."""
    pins = {}
    for line in REQUIREMENTS.read_text(encoding="utf-8").splitlines():
        name, _, version = line.split("#", 1)[0].strip().partition("==")
        if name and version:
            pins[name.strip().lower()] = version.strip()
    return pins


def _ready() -> bool:
    """`.venv/` was made for this requirements.txt and its interpreter (and the one it borrows) still exist."""
    try:
        marker = json.loads(MARKER.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    borrowed = marker.get("borrowed_from")
    return marker.get("requirements") == _requirements_key() and env_python().exists() and (borrowed is None or Path(borrowed).exists())


def _current_python_suits() -> bool:
    """Whether this interpreter already has every pinned package, and a torch without CUDA (read from metadata only)."""
    from importlib import metadata

    for name, version in _pinned().items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            return False
        if installed.split("+")[0] != version:
            return False
    torch = metadata.version("torch")
    needs = metadata.requires("torch") or []
    return "+cu" not in torch and not any(r.lower().startswith("nvidia") for r in needs)


def _site_folder(python_root: Path) -> Path:
    if WINDOWS:
        return python_root / "Lib" / "site-packages"
    return python_root / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"


def _point_at_kit(extra: list[str]) -> None:
    """The graded code runs in `python -I`, which does not see this folder: a .pth file in .venv makes it see the kit."""
    lines = [str(KIT), *extra]
    _site_folder(ENV).mkdir(parents=True, exist_ok=True)
    (_site_folder(ENV) / "autograder_kit.pth").write_text("\n".join(dict.fromkeys(lines)) + "\n", encoding="utf-8")


def _write_marker(borrowed_from: str | None) -> None:
    data = {"requirements": _requirements_key(), "python": sys.version.split()[0], "borrowed_from": borrowed_from}
    MARKER.write_text(json.dumps(data) + "\n", encoding="utf-8")


def borrow_current_python() -> None:
    """A tiny `.venv/` without packages of its own that sees this kit, then this interpreter's packages."""
    venv.EnvBuilder(with_pip=False, symlinks=not WINDOWS, clear=True).create(ENV)
    user_site = site.getusersitepackages() if site.ENABLE_USER_SITE else None
    paths = [*site.getsitepackages(), sysconfig.get_paths()["purelib"], *([user_site] if user_site else [])]
    _point_at_kit([p for p in paths if Path(p).is_dir()])
    _write_marker(sys.executable)


def _pip(arguments: list[str], temp: Path) -> None:
    """Run pip in .venv with its temp files in `temp` (inside the kit), without a cache outside the kit."""
    environment = dict(os.environ, PIP_NO_CACHE_DIR="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    environment.update({name: str(temp) for name in TEMP_VARIABLES})
    command = [str(env_python()), "-m", "pip", "install", "--progress-bar", "off", *arguments]
    print("  " + " ".join(["pip install", *arguments]), flush=True)
    if subprocess.run(command, env=environment).returncode != 0:
        raise SetupError(f"pip could not install {' '.join(arguments)} (see pip's message above). Check your internet connection and run {COMMAND} again.")


def torch_index() -> str | None:
    """Where torch comes from: PyTorch's CPU-only index on Linux and Windows (PyPI's builds there carry CUDA);
    pip's own index on macOS, whose builds have no CUDA. KIT_TORCH_INDEX=pip or a URL overrides it."""
    chosen = os.environ.get("KIT_TORCH_INDEX", "").strip()
    if chosen:
        return None if chosen.lower() in ("pip", "default") else chosen
    return None if sys.platform == "darwin" else TORCH_CPU_INDEX


def install_environment(jupyter: bool) -> None:
    """Make `.venv/` and install requirements.txt into it, torch first from the CPU-only index."""
    print(f"Setting up {ENV} (first run only: {FIRST_RUN}).", flush=True)
    temp = SETUP_TEMP
    temp.mkdir(exist_ok=True)
    saved = {name: os.environ.get(name) for name in TEMP_VARIABLES}
    os.environ.update({name: str(temp) for name in TEMP_VARIABLES})  # ensurepip's and pip's temp files stay in the kit
    try:
        try:
            venv.EnvBuilder(with_pip=True, symlinks=not WINDOWS, clear=True).create(ENV)
        except (OSError, subprocess.CalledProcessError) as error:
            hint = " On Debian or Ubuntu, install it first: sudo apt install python3-venv" if sys.platform.startswith("linux") else ""
            raise SetupError(f"Python could not make a virtual environment ({error}).{hint}") from None
        torch = f"torch=={_pinned()['torch']}"
        index = torch_index()
        _pip([torch, *(["--index-url", index] if index else [])], temp)
        _pip(["-r", str(REQUIREMENTS)], temp)
        if jupyter:
            _pip(list(JUPYTER), temp)
    finally:
        shutil.rmtree(temp, ignore_errors=True)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    probe = subprocess.run([str(env_python()), "-c", "import torch; print(torch.version.cuda or '')"], capture_output=True, text=True)
    if probe.returncode != 0 or probe.stdout.strip():
        shutil.rmtree(ENV, ignore_errors=True)
        found = f"a CUDA build of torch (CUDA {probe.stdout.strip()})" if probe.returncode == 0 else f"a torch that does not load: {probe.stderr.strip()[-300:]}"
        raise SetupError(f"pip installed {found}; the check needs the CPU-only build. Unset KIT_TORCH_INDEX and run {COMMAND} again.")
    _point_at_kit([])
    _write_marker(None)


def add_jupyter() -> None:
    marker = json.loads(MARKER.read_text(encoding="utf-8"))
    if marker.get("borrowed_from"):
        print(f"check.py uses the packages of {marker['borrowed_from']}; install Jupyter there: {marker['borrowed_from']} -m pip install {' '.join(JUPYTER)}")
        return
    temp = SETUP_TEMP
    temp.mkdir(exist_ok=True)
    try:
        _pip(list(JUPYTER), temp)
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def prepare(jupyter: bool, reinstall: bool) -> None:
    """Make `.venv/` unless a suitable one is there: borrow this interpreter's packages if it has them all, else install."""
    if reinstall:
        shutil.rmtree(ENV, ignore_errors=True)
    if _ready():
        if jupyter:
            add_jupyter()
        return
    if not reinstall and not jupyter and _current_python_suits():
        borrow_current_python()
        return
    install_environment(jupyter)


# ------------------------------------------------------------------ the check
def inside_environment() -> bool:
    return Path(sys.prefix).resolve() == ENV.resolve()


def run_check(arguments: list[str]) -> int:
    """The format check, in .venv: the sandbox where the system has one, else (Windows) the portable runner, said once."""
    os.environ["AUTOGRADER_ROOT"] = str(KIT)
    os.environ.pop("AUTOGRADER_SETTINGS", None)
    sys.path.insert(0, str(KIT))
    for stream in (sys.stdout, sys.stderr):  # a Windows code page cannot print every formula: never crash on one
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    try:
        from autograder.formatcheck import main as format_check
    except ImportError as error:
        print(f"check.py: a package is missing ({error}); run {COMMAND} --reinstall", file=sys.stderr)
        return 2
    return format_check(arguments, default_folder=str(KIT), command=COMMAND)


def _own_options(arguments: list[str]) -> tuple[list[str], bool, bool]:
    rest = [a for a in arguments if a not in ("--jupyter", "--reinstall")]
    return rest, "--jupyter" in arguments, "--reinstall" in arguments


def main() -> int:
    if sys.version_info < (3, 11):
        print(f"check.py needs Python 3.11 or newer; this is {sys.version.split()[0]}. Install a newer Python (python.org) and run {COMMAND} again.", file=sys.stderr)
        return 2
    if {"-h", "--help"} & set(sys.argv[1:]):
        print(__doc__)  # before any set-up: asking for help must not start a download
        return 0
    arguments, jupyter, reinstall = _own_options(sys.argv[1:])
    if inside_environment() and not (jupyter or reinstall):
        return run_check(arguments)
    try:
        prepare(jupyter, reinstall)
    except SetupError as error:
        print(f"check.py: {error}", file=sys.stderr)
        return 2
    command = [str(env_python()), str(Path(__file__).resolve()), *arguments]
    if WINDOWS:  # os.exec* on Windows starts a new process and returns at once: wait for it instead
        return subprocess.run(command).returncode
    sys.stdout.flush()
    os.execv(command[0], command)


if __name__ == "__main__":
    sys.exit(main())
