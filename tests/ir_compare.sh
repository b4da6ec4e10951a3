#!/bin/sh
# ir_compare.sh - convert every committed fixture (and the zoo, when it has
# been generated) with two builds of mo and compare the results byte for byte.
#
#     tests/ir_compare.sh A B
#
# A and B each name a build tree (its mo, plugins/ and extensions/ are used)
# or MO_BINARY:PLUGIN_DIR.  For a refactoring that must not change what mo
# writes, run it with the build before and the build after:
#
#     tests/ir_compare.sh ../before/build build
#
# Every conversion is run once per side with the same command line, the same
# input paths and the same output directory (the .xml records the command's
# parameters, so paths must not differ), then the two output trees are
# compared file by file (.xml, .bin, .mapping, anything else written) and so
# are exit codes and [ ERROR ] lines of conversions that fail (the broken
# models of tests/fixtures/mxnet/bad).  Prints every difference and the
# number of conversions and files compared; exits 1 on any difference, 2 on
# bad usage.
#
# Cases, as the e2e tests run them:
#   tests/fixtures/mxnet/*        with their mo_args (nd_merge: the
#                                 --save_params_from_nd recipe; the merged
#                                 .params it writes is compared too)
#   tests/fixtures/mxnet/bad/*    failures: exit code and error line
#   tests/fixtures/mxnet_ops/*
#   tests/fixtures/mxnet_custom   through the side's extensions/
#   tests/fixtures/paddle/*       both formats: legacy/model.pdmodel, pir/model.json
#   tests/fixtures/paddle_noweights/*  the same, programs without a .pdiparams
#   tests/zoo/mxnet/*             (git-ignored; tests/gen/mxnet_models.py --zoo)
#   tests/zoo/paddle/**           every *.pdmodel and model.json found
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
FIX="$top/tests/fixtures"
ZOO="${IR_COMPARE_ZOO:-$top/tests/zoo}"

usage() { echo "usage: $0 BUILD_A|MO_A:PLUGINS_A BUILD_B|MO_B:PLUGINS_B" >&2; exit 2; }
[ $# -eq 2 ] || usage

# side SPEC -> MO_BIN, PLUGINS, EXTS (absolute paths)
side() {
    case "$1" in
    *:*)
        MO_BIN=${1%%:*}
        PLUGINS=${1#*:}
        EXTS=$(dirname "$MO_BIN")/extensions
        ;;
    *)
        MO_BIN=$1/mo
        PLUGINS=$1/plugins
        EXTS=$1/extensions
        ;;
    esac
    [ -x "$MO_BIN" ] || { echo "$0: no mo binary at $MO_BIN" >&2; exit 2; }
    [ -d "$PLUGINS" ] || { echo "$0: no plugin directory $PLUGINS" >&2; exit 2; }
    [ -d "$EXTS" ] || {
        echo "$0: no $EXTS for tests/fixtures/mxnet_custom (run 'make extensions/mxnet_custom_scale.la' or 'make check' in that build)" >&2
        exit 2
    }
    EXTS=$(cd "$EXTS" && pwd)
    MO_BIN=$(cd "$(dirname "$MO_BIN")" && pwd)/$(basename "$MO_BIN")
    PLUGINS=$(cd "$PLUGINS" && pwd)
}

T=$(mktemp -d "${TMPDIR:-/tmp}/mo-ircmp.XXXXXX")
trap 'rm -rf "$T"' EXIT

# run NAME DIR ARGS...: one conversion by the current side, in DIR, into
# $T/out/NAME; its exit code and error lines go to $T/out/NAME.status
run() {
    run_name=$1 run_dir=$2
    shift 2
    mkdir -p "$T/out/$run_name"
    (cd "$run_dir" && MO_PLUGIN_PATH="$PLUGINS" "$MO_BIN" "$@" --output_dir "$T/out/$run_name") \
        > "$T/log" 2>&1
    { echo "exit $?"; grep '^\[ ERROR \]' "$T/log"; } > "$T/out/$run_name.status"
}

# Every case, run by the current side.
cases() {
    for d in "$FIX"/mxnet/*/; do
        d=${d%/}
        name=$(basename "$d")
        [ "$name" = bad ] && continue
        set --
        if [ -f "$d/mo_args" ]; then
            while IFS= read -r a; do set -- "$@" "$a"; done < "$d/mo_args"
        fi
        if [ "$name" = nd_merge ]; then
            # the merge writes beside the symbol: a fresh copy at one path for both sides
            rm -rf "$T/src/nd_merge"
            mkdir -p "$T/src"
            cp -r "$d" "$T/src/nd_merge"
            run "mxnet/$name" "$T/src/nd_merge" "$@" --input_symbol "$T/src/nd_merge/nst-symbol.json" \
                --nd_prefix_name dec --pretrained_model_name "$T/src/nd_merge/enc-0000.params" \
                --save_params_from_nd --framework mxnet --model_name model
            [ -f "$T/src/nd_merge/nst-0000.params" ] &&
                cp "$T/src/nd_merge/nst-0000.params" "$T/out/mxnet/$name/merged-nst-0000.params"
        else
            run "mxnet/$name" "$d" "$@" --input_model "$d/model-0000.params" --model_name model
        fi
    done
    for d in "$FIX"/mxnet/bad/*/; do
        d=${d%/}
        run "mxnet_bad/$(basename "$d")" "$d" --input_model "$d/model-0000.params"
    done
    for d in "$FIX"/mxnet_ops/*/; do
        d=${d%/}
        run "mxnet_ops/$(basename "$d")" "$d" --input_model "$d/model-0000.params"
    done
    if [ -f "$FIX/mxnet_custom/model-0000.params" ]; then
        # one path for both sides' extensions: --extensions is recorded in the .xml
        rm -f "$T/ext"
        ln -s "$EXTS" "$T/ext"
        run mxnet_custom "$FIX/mxnet_custom" --framework mxnet \
            --input_model "$FIX/mxnet_custom/model-0000.params" --extensions "$T/ext"
    fi
    for set in paddle paddle_noweights; do
        for d in "$FIX/$set"/*/; do
            d=${d%/}
            for f in legacy/model.pdmodel pir/model.json; do
                [ -f "$d/$f" ] && run "$set/$(basename "$d")-${f%%/*}" "$d" --input_model "$d/$f"
            done
        done
    done
    if [ -d "$ZOO/mxnet" ]; then
        for d in "$ZOO"/mxnet/*/; do
            d=${d%/}
            [ -f "$d/model-symbol.json" ] || [ -f "$d/mo_args" ] || continue
            set --
            if [ -f "$d/mo_args" ]; then
                while IFS= read -r a; do set -- "$@" "$a"; done < "$d/mo_args"
            fi
            case " $* " in
            *" --input_symbol "*) ;;
            *) set -- "$@" --input_model model-0000.params ;;
            esac
            run "zoo_mxnet/$(basename "$d")" "$d" "$@" --model_name model
        done
    fi
    if [ -d "$ZOO/paddle" ]; then
        find "$ZOO/paddle" \( -name '*.pdmodel' -o -name model.json \) | sort > "$T/pdzoo"
        while IFS= read -r f; do
            rel=${f#"$ZOO/paddle/"}
            run "zoo_paddle/$(echo "$rel" | tr / _)" "$(dirname "$f")" --input_model "$f"
        done < "$T/pdzoo"
    fi
}

convert_all() {
    side "$1"
    rm -rf "$T/out"
    mkdir -p "$T/out"
    cases
    mv "$T/out" "$T/$2"
}

convert_all "$1" a
convert_all "$2" b

(cd "$T/a" && find . -type f) > "$T/fa"
(cd "$T/b" && find . -type f) > "$T/fb"
sort -u "$T/fa" "$T/fb" > "$T/files"
nconv=$(grep -c '\.status$' "$T/files")
nfiles=0
ndiff=0
while IFS= read -r f; do
    f=${f#./}
    nfiles=$((nfiles + 1))
    if [ ! -f "$T/a/$f" ]; then
        echo "DIFF $f: only written by B"; ndiff=$((ndiff + 1))
    elif [ ! -f "$T/b/$f" ]; then
        echo "DIFF $f: only written by A"; ndiff=$((ndiff + 1))
    elif ! cmp -s "$T/a/$f" "$T/b/$f"; then
        case "$f" in
        *.bin | *.params) echo "DIFF $f: $(cmp "$T/a/$f" "$T/b/$f" 2>&1 | head -n1)" ;;
        *)
            echo "DIFF $f:"
            diff "$T/a/$f" "$T/b/$f" | head -n 20 | sed 's/^/    /'
            ;;
        esac
        ndiff=$((ndiff + 1))
    fi
done < "$T/files"
# failures outside the broken-model corpus are worth a look even when equal
nfail=0
for st in $(cd "$T/a" && find . -name '*.status' | sort); do
    grep -q '^exit 0$' "$T/a/$st" && continue
    nfail=$((nfail + 1))
    case "$st" in
    ./mxnet_bad/*) ;;
    *) echo "note: ${st#./} fails on side A: $(sed -n 2p "$T/a/$st")" ;;
    esac
done
echo "ir_compare: $nconv conversions ($nfail of them failing), $nfiles files compared, $ndiff differ"
[ "$ndiff" -eq 0 ]
