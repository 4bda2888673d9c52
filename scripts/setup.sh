#!/usr/bin/env bash
# Make the machine ready to run the notebooks: Jupyter (nbconvert/nbclient) and the two
# project-local kernels (tslab and Deno) under jupyter/kernels, used through JUPYTER_PATH.
# Safe to run again: it installs only what is missing and touches nothing global
# except Debian packages on Debian/Ubuntu.
set -euo pipefail
cd "$(dirname "$0")/.."

# libjs-mathjax lets the HTML pages that nbconvert writes show the notebooks' formulas offline.
DEBIAN_PACKAGES="jupyter-client python3-nbclient jupyter-nbconvert python3-nbformat python3-ipykernel libjs-mathjax libjs-requirejs python3-sphinx python3-nbsphinx pandoc jupyter-notebook"

has_jupyter() {
  command -v jupyter >/dev/null 2>&1 && jupyter nbconvert --version >/dev/null 2>&1
}

missing_debian_packages() {
  for package in $DEBIAN_PACKAGES; do
    dpkg -s "$package" >/dev/null 2>&1 || echo "$package"
  done
}

if command -v apt-get >/dev/null 2>&1 && command -v dpkg >/dev/null 2>&1; then
  MISSING="$(missing_debian_packages | tr '\n' ' ')"
  if [ -n "${MISSING// /}" ]; then
    echo "Installing Debian packages: $MISSING"
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $MISSING >/dev/null
  fi
fi

if ! has_jupyter; then
  echo "Jupyter is missing. Install it, then run this again:" >&2
  echo "    python3 -m pip install jupyterlab nbconvert nbclient" >&2
  exit 1
fi

npx tsx scripts/kernels.ts
