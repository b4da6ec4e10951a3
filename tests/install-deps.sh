#!/bin/sh
# Install what building and testing mo needs on a fresh Debian machine:
# the build dependencies (Debian packages) and the Python virtual
# environment with the real OpenVINO Runtime used by the tests.
# Idempotent: a second run only checks.
set -eu
pkgs="autoconf automake libtool libltdl-dev pkg-config libprotobuf-c-dev protobuf-c-compiler
      libjansson-dev libxml2-dev zlib1g-dev check python3 python3-venv make gcc libonnx-testdata"
missing=
for p in $pkgs; do
    dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
    SUDO=
    [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
fi
"$(dirname "$0")/setup-venvs.sh" ov
