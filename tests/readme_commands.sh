#!/bin/sh
# readme_commands.sh - what a newcomer does: clone, then run README.md's
# set-up command and then its test command, one after the other, in one
# shell, in that one fresh clone.  Both must exit 0, and the set-up must
# have converted the sample model into out/.
#
# The two commands are the two ```sh blocks of README.md's section
# "## Set up on a fresh machine", read from the README each time, so the
# README and this test cannot drift apart.  The clone is of this checkout's
# HEAD (commit first: uncommitted changes are not in it), in a temporary
# directory removed afterwards.  Nothing of the caller's environment
# reaches it (no MO_* variable, hence no shared venv: creating .venv is
# part of what the commands do on a fresh clone; pip's own download cache
# is used as usual).  CI runs this (.ci/run); it is not part of
# `make check`, whose suite it runs.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
fail() { echo "FAIL: $*"; exit 1; }

git -C "$top" rev-parse --git-dir >/dev/null 2>&1 || fail "$top is not a git checkout"
head=$(git -C "$top" rev-parse HEAD)
work=$(mktemp -d "${TMPDIR:-/tmp}/mo-readme.XXXXXX")
trap 'rm -rf "$work"' EXIT

# the ```sh blocks of the set-up section, each into its own file
awk -v dir="$work" '
    /^## / { in_section = ($0 == "## Set up on a fresh machine") }
    in_section && /^```sh$/ { n++; file = dir "/cmd" n ".sh"; next }
    file && /^```$/ { close(file); file = ""; next }
    file { print > file }
    END { print n + 0 > (dir "/count") }
' "$top/README.md"
[ "$(cat "$work/count")" = 2 ] ||
    fail "README.md's 'Set up on a fresh machine' has $(cat "$work/count") sh blocks, not 2 (set-up, test)"
for n in 1 2; do
    # one command each, as a reader pastes it: one line, so that the
    # status after it is the command's
    [ "$(grep -c . "$work/cmd$n.sh")" = 1 ] || fail "README.md's sh block $n is not one command line"
done

for v in $(env | sed -n 's/^\(MO_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done
unset top_srcdir top_builddir MAKEFLAGS MFLAGS

git clone -q --no-checkout "$top" "$work/mo"
git -C "$work/mo" checkout -q --detach "$head"
cd "$work/mo"
echo "fresh clone of $head in $work/mo"

# Both commands in one shell, one after the other, as a reader runs them:
# a set-up command that left the shell in another directory, or set
# something the test command trips on, fails here too.
cat > "$work/driver.sh" <<EOF
say() { echo "===== README \$1 command: \$2"; }
t0=\$(date +%s); say set-up "\$(cat '$work/cmd1.sh')"
. '$work/cmd1.sh'
rc=\$?; say set-up "exit \$rc after \$((\$(date +%s) - t0)) s"
[ \$rc = 0 ] || exit 11
ls out/*.xml >/dev/null 2>&1 || exit 12
t0=\$(date +%s); say test "\$(cat '$work/cmd2.sh')"
. '$work/cmd2.sh'
rc=\$?; say test "exit \$rc after \$((\$(date +%s) - t0)) s"
[ \$rc = 0 ] || exit 13
EOF
rc=0
sh "$work/driver.sh" || rc=$?
case $rc in
0) echo "PASS: README's set-up then test command, on one fresh clone" ;;
11) fail "the README's set-up command failed on a fresh clone" ;;
12) fail "the README's set-up command converted nothing into out/" ;;
13) fail "the README's test command failed after the set-up command, on one fresh clone" ;;
*) fail "the README's commands stopped the shell (exit $rc)" ;;
esac
