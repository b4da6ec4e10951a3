#!/bin/sh
# Create (once) the Python virtual environments the tests use, each framework
# in its own:  $MO_VENV_DIR/ov     openvino 2026.4.1 (the real runtime) + numpy 2.4.6 + onnx
#                                  1.23.2 (reads the ONNX node tests' TensorProto files)
#              $MO_VENV_DIR/mxnet  mxnet 1.9.1 + numpy 1.23 (fixture generation)
#              $MO_VENV_DIR/onnx   onnx + onnxruntime + openvino 2026.4.1 (tests/onnx/)
#              $MO_VENV_DIR/tf     tensorflow-cpu 2.21.0 (tests/gen/tf_ops.py)
#              $MO_VENV_DIR/caffe  protobuf 7.36.2 + grpcio-tools 1.85.1 (protoc) + numpy 2.4.6 +
#                                  opencv-python-headless 4.14.0.94, whose cv2.dnn reads and runs
#                                  Caffe models (tests/gen/caffe_models.py)
#              $MO_VENV_DIR/paddle paddlepaddle (3.3), paddle26: 2.6.2 (fixture generation)
#              $MO_VENV_DIR/legacy_tf  the legacy Model Optimizer 2023.3 with the TensorFlow
#                                  its mo accepts (bench/tf_vs_ovc.py)
# MO_VENV_DIR defaults to .venv at the top of the source tree.
# Usage: tests/setup-venvs.sh [ov] [mxnet] [paddle] [paddle26] [onnx] [tf] [caffe] [legacy] [legacy_tf]  (default: ov)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${MO_VENV_DIR:-$top/.venv}
py=${PYTHON:-python3}
mkdir -p "$dir"
[ $# -gt 0 ] || set -- ov

make_venv() { # name, pip packages...
    name=$1; shift
    # .ready holds the requirements the venv was made with: a venv made with
    # others (an older pin) gets these installed over it, in place
    if [ -x "$dir/$name/bin/python" ] && [ -f "$dir/$name/.ready" ]; then
        [ "$(cat "$dir/$name/.ready")" = "$*" ] && return 0
        echo "updating $dir/$name: $*"
        "$dir/$name/bin/pip" install -q --disable-pip-version-check "$@"
        echo "$*" > "$dir/$name/.ready"
        return 0
    fi
    echo "setting up $dir/$name: $*"
    rm -rf "$dir/$name"
    "$py" -m venv "$dir/$name"
    "$dir/$name/bin/pip" install -q --disable-pip-version-check "$@"
    echo "$*" > "$dir/$name/.ready"
}

for env in "$@"; do
    case $env in
    ov) make_venv ov openvino==2026.4.1 numpy==2.4.6 onnx==1.23.2 ;;
    mxnet) make_venv mxnet mxnet==1.9.1 'numpy>=1.23,<1.24' ;;
    paddle) make_venv paddle paddlepaddle numpy ;;
    # operators Paddle 3 removed (density_prior_box): tests/gen/paddle_ops/paddle26.py
    paddle26) make_venv paddle26 paddlepaddle==2.6.2 'numpy<2' ;;
    onnx) make_venv onnx onnx onnxruntime numpy openvino==2026.4.1 ;;
    tf) make_venv tf tensorflow-cpu==2.21.0 ;;
    # Caffe fixtures (tests/gen/caffe_models.py): protobuf + protoc, references from OpenCV's dnn
    caffe) make_venv caffe protobuf==7.36.2 grpcio-tools==1.85.1 numpy==2.4.6 opencv-python-headless==4.14.0.94 ;;
    legacy) make_venv legacy 'openvino-dev[mxnet]==2023.3.0' ;;
    # openvino-dev 2023.3 (its extra pins tensorflow <2.15): pip resolves tensorflow 2.14.1, keras 2.14, numpy 1.25 on Python 3.11
    legacy_tf) make_venv legacy_tf 'openvino-dev[tensorflow2]==2023.3.0' ;;
    *) echo "unknown environment '$env'" >&2; exit 2 ;;
    esac
done
