#!/bin/sh
# tests/container.sh - the README's two commands, 'make run' and 'make test',
# in a fresh Debian 12 (bookworm) made by 'debootstrap --variant=minbase', as
# root and without sudo: what a newcomer's container has. 'make
# container-test' runs it; 'make test' does not (it takes about half an hour
# on two cores: the packages, the build, every suite).
#
# The first run makes build/container/bookworm-minbase.tar.gz with
# debootstrap (installed on this machine when missing) from Debian's mirror
# ($DEBIAN_MIRROR); every run unpacks a fresh copy of it, copies in a clean
# clone of this repository's HEAD (what is committed: uncommitted changes are
# not tried), and runs there, in mount and PID namespaces of its own with
# /proc, /sys and /dev mounted as a container has them:
#
#   apt-get install make   the one thing the README expects first
#   make test              installs the build and test dependencies itself
#   make run </dev/null    must say that the board needs a terminal
#   make run in tmux       must draw the sample board; Esc (no name), q quits
#
# Prints one line per step and then "N passed, N failed". The logs stay in
# build/container/root/root/*.log. Needs root (debootstrap, chroot, mount).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${CONTAINER_DIR:-$top/build/container}
suite=bookworm
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
tarball=$dir/$suite-minbase.tar.gz
root=$dir/root

if [ "$(id -u)" -ne 0 ]; then
	echo "tests/container.sh: run as root (debootstrap, chroot and mount need it)" >&2
	exit 1
fi
if ! command -v debootstrap >/dev/null 2>&1; then
	echo "container: installing debootstrap" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null ||
		{ echo "tests/container.sh: cannot install debootstrap" >&2; exit 1; }
fi
mkdir -p "$dir"
if [ ! -s "$tarball" ]; then
	echo "container: debootstrap --variant=minbase $suite (once)" >&2
	rm -rf "$dir/base"
	debootstrap --variant=minbase "$suite" "$dir/base" "$mirror" >"$dir/debootstrap.log" 2>&1 ||
		{ tail -20 "$dir/debootstrap.log" >&2; exit 1; }
	tar -C "$dir/base" -czf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball" || exit 1
	rm -rf "$dir/base"
fi

echo "container: a fresh $suite minbase in $root" >&2
rm -rf "$root"
mkdir -p "$root"
tar -C "$root" -xzf "$tarball" || exit 1
git clone --quiet --no-hardlinks "$top" "$root/root/tamis" || exit 1
head=$(git -C "$top" log -1 --format='%h %s')
cp /etc/resolv.conf "$root/etc/resolv.conf"

# What runs inside, as root in a login-like environment.
cat >"$root/root/inside.sh" <<'INSIDE'
set -u
cd /root/tamis || exit 1
export DEBIAN_FRONTEND=noninteractive
step() { echo "$1" >>/root/steps; }

if apt-get update -qq >/root/apt.log 2>&1 && apt-get install -y -qq make >>/root/apt.log 2>&1; then
	step "ok|apt-get install make|"
else
	step "not ok|apt-get install make|$(tail -1 /root/apt.log)"
	exit 0
fi

make test >/root/make-test.log 2>&1
rc=$?
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' /root/make-test.log | tail -1)
if [ "$rc" -eq 0 ] && echo "$summary" | grep -q ', 0 failed$'; then
	step "ok|make test|$summary"
else
	step "not ok|make test|exit $rc: ${summary:-$(tail -1 /root/make-test.log)}"
fi

make run </dev/null >/root/make-run.log 2>&1
rc=$?
said=$(grep '^tamis:' /root/make-run.log | head -1)
if [ "$rc" -ne 0 ] && echo "$said" | grep -q 'opens in a terminal'; then
	step "ok|make run, no terminal|exit $rc: $said"
else
	step "not ok|make run, no terminal|exit $rc: $(tail -1 /root/make-run.log)"
fi

if command -v tmux >/dev/null 2>&1; then
	tmux -f /dev/null new-session -d -s run -x 100 -y 30 \
		'make run; echo "make run exited: $?"; sleep 60'
	i=0
	while [ $i -lt 600 ] && ! tmux capture-pane -p -t run | grep -q 'Comptoir des services'; do
		sleep 0.2
		i=$((i + 1))
	done
	tmux capture-pane -p -t run >/root/make-run-tmux.txt
	# Nobody named (no TAMIS_BY): the board asks who plays; Esc plays unnamed.
	if grep -q 'Who is playing' /root/make-run-tmux.txt; then
		tmux send-keys -t run Escape
		sleep 1
	fi
	tmux send-keys -t run q
	sleep 2
	tmux capture-pane -p -t run >>/root/make-run-tmux.txt
	tmux kill-server
	if grep -q 'Comptoir des services' /root/make-run-tmux.txt &&
		grep -q 'make run exited: 0' /root/make-run-tmux.txt; then
		step "ok|make run in tmux|the sample board drawn, q quits (exit 0)"
	else
		step "not ok|make run in tmux|$(grep -v '^ *$' /root/make-run-tmux.txt | tail -1)"
	fi
else
	step "not ok|make run in tmux|no tmux: make test should have installed it"
fi
INSIDE

rm -f "$root/root/steps"
unshare --mount --pid --fork --kill-child sh -c '
	root=$1
	mount -t proc proc "$root/proc" &&
	mount -t sysfs sysfs "$root/sys" &&
	mount --rbind /dev "$root/dev" || exit 1
	exec chroot "$root" /usr/bin/env -i HOME=/root TERM=xterm-256color \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		/bin/sh /root/inside.sh' sh "$root"

touch "$root/root/steps"
echo "container: Debian 12 ($suite) minbase (debootstrap), as root, no sudo; HEAD $head"
passed=0
failed=0
while IFS='|' read -r result what detail; do
	printf '  %-6s %-24s %s\n' "$result" "$what" "$detail"
	case $result in
	ok) passed=$((passed + 1)) ;;
	*) failed=$((failed + 1)) ;;
	esac
done <"$root/root/steps"
[ $((passed + failed)) -eq 4 ] || failed=$((failed + 4 - passed - failed))
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
