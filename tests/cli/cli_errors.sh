# cli_errors.sh - bad `mo` command lines: exactly one [ ERROR ] line (plus
# an optional FAQ pointer), a non-zero exit status (2 for usage errors) and
# no file written anywhere; --help and --version exit 0.
. "${top_srcdir:?run through make check}/tests/e2e/lib.sh"
: "${MO:?run through make check}"
scratch
OUT="$T/out"
mkdir "$OUT"
printf 'not really a model\n' >"$T/model.params"
printf 'in the way\n' >"$T/plain"
cd "$T" || fail "cannot enter $T"

# The entries of $T, to see that a failing run created nothing (the
# current directory is the default output directory).
snapshot() { (cd "$T" && ls -A | grep -v -e '^stdout$' -e '^stderr$'; ls -A "$OUT") | sort | tr '\n' ' '; }
BEFORE=$(snapshot)

# expect_error NAME STATUS TEXT ARGS...: STATUS is the exit status wanted
# ("fail" for any non-zero one); TEXT must appear in the error line.
expect_error() {
    name=$1 want=$2 text=$3
    shift 3
    "$MO" "$@" >"$T/stdout" 2>"$T/stderr"
    rc=$?
    [ "$rc" -ne 0 ] || fail "$name: exit status 0"
    if [ "$want" != fail ] && [ "$rc" -ne "$want" ]; then
        fail "$name: exit status $rc, expected $want"
    fi
    errors=$(grep -c '^\[ ERROR \]  ' "$T/stderr")
    faq=$(grep -c '^\[ ERROR \]  For more information see docs/faq.md' "$T/stderr")
    [ $((errors - faq)) -eq 1 ] || fail "$name: $((errors - faq)) error lines: $(cat "$T/stderr")"
    [ "$faq" -le 1 ] || fail "$name: $faq FAQ lines"
    # anything else on stderr may only be a warning (a broken plugin, say)
    if grep -v -e '^\[ ERROR \]  ' -e '^\[ WARNING \]  ' "$T/stderr" | grep -q .; then
        fail "$name: unexpected output: $(cat "$T/stderr")"
    fi
    grep '^\[ ERROR \]  ' "$T/stderr" | head -n 1 | grep -F -q -e "$text" ||
        fail "$name: '$text' not in: $(cat "$T/stderr")"
    [ ! -s "$T/stdout" ] || fail "$name: wrote to stdout: $(cat "$T/stdout")"
    [ "$(snapshot)" = "$BEFORE" ] || fail "$name: files appeared: $(snapshot)"
    echo "ok - $name"
}

expect_error "missing model file" fail "'$T/missing.params'" \
    --input_model "$T/missing.params" --output_dir "$OUT"
expect_error "missing model file, new output dir" fail "missing.params" \
    -m missing.params -o "$OUT/new/sub"

if [ "$(id -u)" -ne 0 ]; then
    cp "$T/model.params" "$T/secret.params"
    chmod 000 "$T/secret.params"
    BEFORE=$(snapshot)
    expect_error "unreadable model file" fail "secret.params" --input_model "$T/secret.params" -o "$OUT"
    mkdir "$T/ro" && chmod 555 "$T/ro"
    BEFORE=$(snapshot)
    expect_error "read-only output dir" fail "$T/ro" -m "$T/model.params" --output_dir "$T/ro"
    [ -z "$(ls -A "$T/ro")" ] || fail "read-only output dir: files appeared"
else
    echo "skip - unreadable model file and read-only output dir (root reads and writes anything)"
fi

expect_error "output dir under a regular file" fail "$T/plain/x" \
    --input_model "$T/model.params" --output_dir "$T/plain/x"
expect_error "output dir is a regular file" fail "$T/plain" \
    --input_model "$T/model.params" --output_dir "$T/plain"
expect_error "output dir under /etc/passwd" fail "/etc/passwd/x" \
    --input_model "$T/model.params" --output_dir /etc/passwd/x
[ "$(cat "$T/plain")" = "in the way" ] || fail "the regular file in the way was changed"

expect_error "unknown option" 2 "did you mean '--input_shape'" \
    --input_model "$T/model.params" --input_shpae "[1,3,224,224]"
expect_error "unknown option with a value" 2 "did you mean '--framework'" --frameworkk=mxnet
expect_error "unknown option, nothing close" 2 "'--zzzzzzzzzzzzzz'" --zzzzzzzzzzzzzz
grep -q "did you mean" "$T/stderr" && fail "a far-fetched suggestion: $(cat "$T/stderr")"
expect_error "ambiguous abbreviation" 2 "ambiguous option '--in' could match --input, --input_checkpoint, --input_meta_graph, --input_model, --input_model_is_text, --input_proto, --input_shape, --input_symbol" \
    --in "$T/model.params" -o "$OUT"
expect_error "ambiguous abbreviation with a value" 2 "'--out' could match --output, --output_dir" \
    --input_model "$T/model.params" --out="$OUT"
expect_error "unknown short option" 2 "'-q'" -q
expect_error "unknown framework" 2 "'foo'" --framework foo --input_model "$T/model.params" -o "$OUT"
expect_error "bad --log_level" 2 "'LOUD'" --log_level LOUD --input_model "$T/model.params"
expect_error "option without its value" 2 "'--output_dir'" --input_model "$T/model.params" --output_dir
expect_error "flag given a value" 2 "'--silent'" --silent=yes --input_model "$T/model.params"
expect_error "positional argument" 2 "'model.params'" model.params
expect_error "no model at all" 2 "--input_model" --output_dir "$OUT"
expect_error "missing extensions dir" fail "$T/noext" \
    --input_model "$T/model.params" --extensions "$T/noext" -o "$OUT"

for h in --help -h; do
    "$MO" $h >"$T/stdout" 2>"$T/stderr" || fail "$h: exit status $?"
    [ ! -s "$T/stderr" ] || fail "$h wrote to stderr"
    grep -q '^usage: mo' "$T/stdout" || fail "$h: no usage line"
    agnostic=$(grep -n '^Framework-agnostic parameters:$' "$T/stdout" | cut -d: -f1)
    mxnet=$(grep -n '^MXNet-specific parameters:$' "$T/stdout" | cut -d: -f1)
    caffe=$(grep -n '^Caffe\*-specific parameters:$' "$T/stdout" | cut -d: -f1)
    [ -n "$agnostic" ] && [ -n "$mxnet" ] && [ -n "$caffe" ] || fail "$h: sections missing"
    [ "$agnostic" -lt "$mxnet" ] && [ "$agnostic" -lt "$caffe" ] ||
        fail "$h: framework-agnostic parameters must come first"
    for opt in --input_model --framework --output_dir --model_name --log_level --silent \
        --version --extensions --input_shape --input_symbol; do
        grep -q -e "^  $opt\\b" "$T/stdout" || fail "$h: $opt not listed"
    done
    # each option is in its group: --input_symbol after the MXNet heading
    sym=$(grep -n '^  --input_symbol' "$T/stdout" | cut -d: -f1)
    [ "$sym" -gt "$mxnet" ] || fail "$h: --input_symbol outside the MXNet section"
    echo "ok - $h"
done

"$MO" --version >"$T/stdout" 2>"$T/stderr" || fail "--version: exit status $?"
[ ! -s "$T/stderr" ] || fail "--version wrote to stderr"
[ "$(wc -l <"$T/stdout")" -eq 1 ] || fail "--version: not one line"
grep -q '^Version of Model Optimizer is: ' "$T/stdout" || fail "--version: $(cat "$T/stdout")"
grep -q '[0-9][0-9]*\.[0-9][0-9]*\.[0-9]' "$T/stdout" || fail "--version: no version number"
echo "ok - --version"
[ "$(snapshot)" = "$BEFORE" ] || fail "files appeared: $(snapshot)"
exit 0
