#!/usr/bin/env bash
# Set up the autograder.
#
#   Developer machine (no /autograder): ./setup.sh
#     creates .venv/ here and installs the package with its test extras.
#   Gradescope image build (root, /autograder/source is this folder):
#     installs Python 3.11 and a virtual environment here (never the system python3),
#     a CPU-only torch, the unprivileged sandbox user, locks the reference and the
#     checks away from it, and grades the reference solution: the build fails
#     loudly unless that scores full marks.
#   ./setup.sh --self-test: only that last step, with the virtual environment already built.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

# Grade the reference through run_autograder and insist on full marks. Its results and log
# hold the answer key, and student code (the sandbox user) can read /tmp: so they live in a
# private folder (mktemp -d makes it 0700) that is removed whatever happens.
self_test_reference() {
  local assignment
  assignment="$(.venv/bin/python -c 'from autograder.config import DEFAULT_ASSIGNMENT, load_settings; print(load_settings().assignment or DEFAULT_ASSIGNMENT)')"
  reference_scratch="$(mktemp -d -t ag-reference.XXXXXXXX)"  # global: the EXIT trap outlives this function
  trap 'rm -rf "$reference_scratch"' EXIT
  (umask 077 && "$here/run_autograder" --submission "$here/reference/$assignment" \
    --results "$reference_scratch/results.json" >"$reference_scratch/grading.log" 2>&1)  # the log too
  if ! .venv/bin/python -m autograder verify "$reference_scratch/results.json" --assignment "$assignment"; then
    cat "$reference_scratch/grading.log"
    echo "setup.sh: the reference solution does not score full marks" >&2
    return 1
  fi
}

if [ "${1-}" = "--self-test" ]; then
  self_test_reference
  exit
fi

# The sandbox runs student code as another user with this venv's interpreter, so under root
# the interpreter must be one that user can execute (not, say, a pyenv build under /root).
usable_by_sandbox() {
  [ "$(id -u)" != 0 ] && return 0
  command -v runuser >/dev/null 2>&1 || return 0
  local real
  real="$("$1" -c 'import sys; print(sys.executable)')" || return 1
  runuser -u nobody -- "$real" -c 'pass' >/dev/null 2>&1
}

find_python() {
  for candidate in /usr/bin/python3.13 /usr/bin/python3.12 /usr/bin/python3.11 /usr/bin/python3 \
    python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null &&
      usable_by_sandbox "$candidate"; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

if [ -d /autograder ] && [ "$(id -u)" = 0 ] && [ "$here" = "/autograder/source" ]; then
  mode=gradescope
else
  mode=dev
fi

# What holds answers, and pip's metadata of this package: closed to every other user (student code may
# read anything that is not), first thing and again once pip has written its metadata.
lock_private() {
  local private
  for private in reference problems tests submissions_examples bench settings.toml README.md "$here"/*.egg-info; do
    case "$private" in /*) ;; *) private="$here/$private" ;; esac
    if [ -e "$private" ]; then chmod -R go-rwx "$private"; fi
  done
}

if [ "$mode" = gradescope ]; then
  lock_private
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -y
  if ! apt-get install -y python3.11 python3.11-venv; then
    apt-get install -y software-properties-common
    add-apt-repository -y ppa:deadsnakes/ppa
    apt-get update -y
    apt-get install -y python3.11 python3.11-venv
  fi
fi

python="$(find_python)" || {
  echo "setup.sh: need Python 3.11 or newer with the venv module (as root: one that other users can run)" >&2
  exit 1
}
echo "setup.sh ($mode): using $python ($("$python" --version))"
"$python" -m venv --clear .venv
.venv/bin/python -m pip install --upgrade --quiet pip

if [ "$mode" = gradescope ]; then
  # CPU-only torch (the default index's build carries CUDA and is several GB). An empty
  # AUTOGRADER_TORCH_INDEX_URL uses pip's configured index instead (for rehearsing the build offline).
  torch_index="${AUTOGRADER_TORCH_INDEX_URL-https://download.pytorch.org/whl/cpu}"
  .venv/bin/python -m pip install --quiet "torch==$(sed -n 's/.*"torch==\([^"]*\)".*/\1/p' pyproject.toml)" \
    ${torch_index:+--index-url "$torch_index"}
  .venv/bin/python -m pip install --quiet -e .
  # Problem 6's curve tables (the validation accuracy after every epoch of the common answers), built
  # once with the image's own torch so that gradings look answers up instead of training: about 7
  # CPU-minutes, shared over the image's cores. Private to root (the store makes itself 0700).
  if [ -f "$here/problems/hw4/p6_inductive_bias/tables.py" ]; then
    .venv/bin/python -m problems.hw4.p6_inductive_bias.tables build
  fi
  id ag-sandbox >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin ag-sandbox
  # Byte code now, readable by all: run_autograder's umask 077 would make later caches private.
  .venv/bin/python -m compileall -q "$here/autograder" >/dev/null
  chmod 755 "$here" && chmod -R a+rX "$here/.venv" "$here/autograder"
  lock_private
  self_test_reference
else
  .venv/bin/python -m pip install --quiet -e '.[test]'
fi
echo "setup.sh: done"
