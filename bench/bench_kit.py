"""Cost of the student kit's one command, as a new student meets it.

Builds the kit, unpacks it into a fresh folder and runs its documented command
(`python3 check.py`) with the system Python and only the system's PATH, twice:
the first run makes `.venv/` and installs the pinned packages with a CPU-only
torch, the second reuses it. Prints both runs' wall seconds, the size of the
packages pip fetched (the wheels it reported downloading or reading from the
machine's index: what a student downloads), the size of `.venv/` on disk, and
whether anything was left in the temp folder.

    .venv/bin/python bench/bench_kit.py [--python /usr/bin/python3] [--keep DIR]

torch comes from pip's configured index (KIT_TORCH_INDEX=pip), as in the tests:
PyTorch's own CPU index may be out of reach; its wheel is the same size.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.staff.kit import build_student_kit  # noqa: E402

_DOWNLOADED = re.compile(r"Downloading \S+ \(([\d.]+) (kB|MB|GB)\)")
_LOCAL = re.compile(r"Processing (/\S+\.whl)")
_UNITS = {"kB": 1e3, "MB": 1e6, "GB": 1e9}


def fetched_bytes(pip_output: str) -> int:
    """Bytes of the wheels pip downloaded or read from a local index, from its own log lines."""
    total = sum(float(size) * _UNITS[unit] for size, unit in _DOWNLOADED.findall(pip_output))
    total += sum(Path(path).stat().st_size for path in _LOCAL.findall(pip_output) if Path(path).is_file())
    return int(total)


def tree_bytes(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default="/usr/bin/python3", help="the system Python a student would use")
    parser.add_argument("--keep", help="unpack the kit here and keep it (default: a temporary folder, removed)")
    args = parser.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-kit-"))
    work.mkdir(parents=True, exist_ok=True)
    work.chmod(0o755)
    try:
        kit_zip = build_student_kit(out=work / "student-kit.zip", stream=open(os.devnull, "w"), prove=False)
        folder, temp = work / "kit", work / "temp"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(mode=0o755)
        temp.mkdir(exist_ok=True)
        with zipfile.ZipFile(kit_zip) as archive:
            archive.extractall(folder)
        for item in [folder, *folder.rglob("*")]:
            item.chmod(0o755 if item.is_dir() else 0o644)
        environment = {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/root"), "TMPDIR": str(temp), "KIT_TORCH_INDEX": "pip"}
        environment.update({k: v for k, v in os.environ.items() if k.startswith("PIP_")})
        runs = []
        for _ in range(2):
            started = time.perf_counter()
            run = subprocess.run([args.python, "check.py"], cwd=folder, env=environment, capture_output=True, text=True)
            runs.append((time.perf_counter() - started, run))
        (first_seconds, first), (second_seconds, second) = runs
        version = subprocess.run([args.python, "--version"], capture_output=True, text=True).stdout.strip()
        print(f"student kit, {version}, {os.cpu_count()} CPUs (machine shared: figures vary with load)")
        print(f"  first run (makes .venv, installs, checks the templates): {first_seconds:7.1f} s wall, exit {first.returncode}")
        print(f"  packages fetched on the first run:                        {fetched_bytes(first.stdout + first.stderr) / 1e6:7.0f} MB")
        print(f"  .venv on disk:                                             {tree_bytes(folder / '.venv') / 1e9:7.2f} GB")
        print(f"  second run (reuses .venv, checks the templates):          {second_seconds:7.1f} s wall, exit {second.returncode}")
        print(f"  files left in the temp folder:                             {len(list(temp.iterdir())):7d}")
        return 0 if first.returncode == second.returncode == 1 else 1
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
