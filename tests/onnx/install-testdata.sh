#!/bin/sh
# Install the ONNX backend node test suite tests/onnx/node_suite.py runs:
# Debian's libonnx-testdata (1.12: /usr/share/libonnx-testdata/data/node/
# test_*/, about 21 MB).  Separate from tests/install-deps.sh because only
# the node suite needs it, not building mo or `make check`.
# Idempotent: a second run only checks.
set -eu
pkg=libonnx-testdata
if ! dpkg -s "$pkg" >/dev/null 2>&1; then
    SUDO=
    [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$pkg"
fi
dir=/usr/share/libonnx-testdata/data/node
n=$(find "$dir" -mindepth 2 -maxdepth 2 -name model.onnx 2>/dev/null | wc -l)
[ "$n" -gt 0 ] || { echo "install-testdata.sh: no test cases under $dir" >&2; exit 1; }
echo "$pkg $(dpkg-query -W -f='${Version}' "$pkg"): $n node test cases in $dir"
