#!/usr/bin/env bash
# What each action.yml runs: `release-actions GROUP action`, in the locked environment.
#
# Fast and traceless by design:
# - the environment is keyed by the hash of locked-requirements.txt under RUNNER_TOOL_CACHE, so
#   only the first use on a runner installs anything, and later uses start Python at once;
# - the locked wheels come from the uv cache when it holds them all, without asking the index;
# - a uv already on PATH is used when it is recent enough; otherwise the pinned uv is installed
#   with pip, hash-checked, into the tool cache (PyPI or the runner's mirror: no github.com);
# - a package-index mirror the runner sets (UV_DEFAULT_INDEX, UV_INDEX_URL, PIP_INDEX_URL) is
#   honoured, and every other uv or Python setting of the job is ignored;
# - nothing is written to GITHUB_PATH or GITHUB_ENV and no problem matcher is registered, so the
#   caller's later steps see the job as it was.
set -Eeuo pipefail

group="$1"
shared_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
step="starting"

# Python writes the summary of every run; a failure before Python starts writes this one.
bootstrap_failed() {
  local status=$?
  echo "::error::release-actions could not start: $step failed (exit $status)"
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    {
      echo "### release-actions: failed"
      echo
      echo "- **Attempted:** \`release-actions $group action\`: $step"
      echo "- **Failed:** exit status $status; the error is in the log above"
      echo "- **What to do:** check that the runner reaches the package index (PyPI, or the"
      echo "  mirror in UV_DEFAULT_INDEX, UV_INDEX_URL or PIP_INDEX_URL), then re-run the job."
    } >> "$GITHUB_STEP_SUMMARY"
  fi
  exit "$status"
}
trap bootstrap_failed ERR
requirements="$shared_dir/locked-requirements.txt"
uv_requirements="$shared_dir/uv-requirements.txt"
uv_minimum="0.5.0"
uv_pinned="$(sed -n 's/^uv==\([0-9.]*\).*/\1/p' "$uv_requirements")"

# The job's own Python and uv settings must not leak into our locked environment.
unset VIRTUAL_ENV PYTHONPATH PYTHONHOME PYTHONSTARTUP PYTHONUSERBASE
# Our environment is ours to keep: its bytecode cache is what makes a later use start fast.
unset PYTHONDONTWRITEBYTECODE
for name in $(compgen -e | grep '^UV_' || true); do
  case "$name" in
    UV_CACHE_DIR | UV_PYTHON_INSTALL_DIR | UV_PYTHON_INSTALL_MIRROR | UV_DEFAULT_INDEX | \
      UV_INDEX_URL | UV_NATIVE_TLS | UV_OFFLINE | UV_HTTP_TIMEOUT) ;;
    *) unset "$name" ;;
  esac
done
index="${UV_DEFAULT_INDEX:-${UV_INDEX_URL:-${PIP_INDEX_URL:-}}}"
if [ -n "$index" ]; then
  export UV_DEFAULT_INDEX="$index" PIP_INDEX_URL="$index"
  unset UV_INDEX_URL
fi

cache="${RUNNER_TOOL_CACHE:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}}/release-actions"
sha256() { sha256sum "$1" 2>/dev/null || shasum -a 256 "$1"; }
key="$(sha256 "$requirements" | cut -c1-16)"
env_dir="$cache/env-$key"

python_of() {
  if [ -x "$1/bin/python" ]; then echo "$1/bin/python"; else echo "$1/Scripts/python.exe"; fi
}

at_least() { # version $1 >= version $2
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -t. -k1,1n -k2,2n -k3,3n | head -n1)" = "$2" ]
}

find_uv() {
  local candidate version
  for candidate in "$(command -v uv || true)" "$cache/uv-$uv_pinned/bin/uv"; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    version="$("$candidate" --version 2>/dev/null | cut -d' ' -f2)" || continue
    if at_least "$version" "$uv_minimum"; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

# Staged in a sibling directory and renamed into place, so a cancelled job leaves nothing half-made.
publish_dir() { # staging target
  rm -rf "$2.old"
  if [ -e "$2" ]; then mv "$2" "$2.old"; fi
  mv "$1" "$2"
  rm -rf "$2.old"
}

install_uv() { # sets uv
  local target="$cache/uv-$uv_pinned" staging
  echo "::debug::no uv >= $uv_minimum on PATH: installing uv $uv_pinned into $target"
  staging="$(mktemp -d "$target.XXXXXX")"
  python3 -m venv "$staging"
  "$(python_of "$staging")" -m pip install --quiet --disable-pip-version-check --no-input \
    --require-hashes --only-binary :all: -r "$uv_requirements" >&2
  publish_dir "$staging" "$target"
  uv="$target/bin/uv"
}

install_locked() { # environment [uv option...]
  local environment="$1" base target
  shift
  target=(--python "$(python_of "$environment")")
  # uv asks each interpreter path it has not seen for its version (0.04 s), and a new venv is
  # always one: install through the venv's base interpreter (which created it, so uv knows it)
  # into the venv's prefix, the same site-packages.
  base="$(readlink "$environment/bin/python" 2>/dev/null || true)"
  if [[ "$base" == /* ]]; then
    target=(--python "$base" --prefix "$environment")
  fi
  "$uv" pip install --no-config --quiet "${target[@]}" \
    --require-hashes --no-deps -r "$requirements" "$@" >&2
}

if [ ! -f "$env_dir/.complete" ]; then
  mkdir -p "$cache"
  # Outside any condition, so that errexit (and the ERR trap) stop at the first failure.
  if ! uv="$(find_uv)"; then
    step="installing uv $uv_pinned with pip (no uv >= $uv_minimum on PATH)"
    install_uv
  fi
  step="installing the locked environment into $env_dir"
  staging="$(mktemp -d "$env_dir.XXXXXX")"
  "$uv" venv --no-config --quiet --python ">=3.11" "$staging" >&2
  # When the uv cache holds every locked wheel, asking the index whether its pages are still
  # fresh costs more than the install itself (0.06-0.13 s against 0.01 s): try the cache alone.
  if ! install_locked "$staging" --offline 2>/dev/null; then
    install_locked "$staging"
  fi
  touch "$staging/.complete"
  publish_dir "$staging" "$env_dir"
fi

# -P: the caller's working directory must not shadow our modules.
trap - ERR
PYTHONPATH="$shared_dir" exec "$(python_of "$env_dir")" -P -m release_actions "$group" action
