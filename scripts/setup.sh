#!/usr/bin/env bash
# Make the machine ready to run the notebooks: Jupyter (nbconvert/nbclient) and the two
# project-local kernels (tslab and Deno) under jupyter/kernels, used through JUPYTER_PATH.
# Safe to run again: it installs only what is missing and touches nothing global
# except Debian packages on Debian/Ubuntu.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES="jupyter-client python3-nbclient jupyter-nbconvert python3-nbformat python3-ipykernel"

has_jupyter() {
  command -v jupyter >/dev/null 2>&1 && jupyter nbconvert --version >/dev/null 2>&1
}

if ! has_jupyter; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "Installing Jupyter from Debian packages: $DEBIAN_PACKAGES"
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $DEBIAN_PACKAGES >/dev/null
  else
    echo "Jupyter is missing. Install it, then run this again:" >&2
    echo "    python3 -m pip install jupyterlab nbconvert nbclient" >&2
    exit 1
  fi
fi

npx tsx scripts/kernels.ts
