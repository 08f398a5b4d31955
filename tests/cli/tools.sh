# The tests in every container (issue 19): in a minimal Debian, make test
# failed six checks obscurely because ps was missing. The test dependencies
# name every program the suites call, and tests/run.sh checks them before
# running anything, naming a missing one in one clear line.
. "$TAMIS_TOP/tests/lib.sh"

tools=${TAMIS_TEST_TOOLS:-}
t_match "make gives tests/run.sh the list of tools" "$tools" ':'
for pair in ps:procps setsid:util-linux timeout:coreutils script:bsdutils strace:strace \
	flock:util-linux readelf:binutils python3:python3 tmux:tmux valgrind:valgrind; do
	t_match "the list has ${pair%%:*} (${pair#*:})" " $tools " " $pair "
done

# A PATH holding every program of this one but ps.
mkdir "$T/bin"
old_ifs=$IFS
IFS=:
for d in $PATH; do
	[ -d "$d" ] || continue
	for f in "$d"/*; do
		n=${f##*/}
		[ -x "$f" ] && [ ! -e "$T/bin/$n" ] && [ "$n" != ps ] && ln -s "$f" "$T/bin/$n"
	done
done
IFS=$old_ifs
t_fail "the PATH made has no ps" env PATH="$T/bin" sh -c 'command -v ps'

run() { TESTS=no-such-suite TAMIS_TEST_TOOLS="$tools" sh "$TAMIS_TOP/tests/run.sh" 2>&1; }
out=$(run)
t_eq "with every tool, tests/run.sh goes on" "$?:$out" "0:0 passed, 0 failed"
out=$(PATH=$T/bin run)
rc=$?
t_eq "without ps, tests/run.sh fails" "$rc" 1
t_match "saying which tool and which package, in one line" "$out" \
	"^tamis: the tests need 'ps', which is missing here: install the package procps"
t_eq "naming nothing else" "$(printf '%s\n' "$out" | grep -c '^tamis: ')" 1
t_match "before any suite ran" "$(printf '%s\n' "$out" | tail -1)" "^0 passed, 1 failed$"
