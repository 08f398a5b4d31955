#!/bin/sh
# tests/deps.sh KIND CHECK:PACKAGE... - install what is missing.
#
# CHECK is a pkg-config module name, or a command name when no such module
# exists (and it is not a known module); PACKAGE is the Debian/Ubuntu package
# providing it. On Debian/Ubuntu the missing packages are installed with
# apt-get (through sudo when not root); elsewhere their names are printed and
# the build stops.
kind=$1
shift
missing=
for pair in "$@"; do
	check=${pair%%:*}
	pkg=${pair#*:}
	case $check in
	pkg-config|tmux|python3|locale-gen)
		command -v "$check" >/dev/null 2>&1 && continue
		[ "$check" = locale-gen ] && [ -x /usr/sbin/locale-gen ] && continue ;;
	*)
		pkg-config --exists "$check" 2>/dev/null && continue ;;
	esac
	missing="$missing $pkg"
done
# The tests also read YAML back with Python.
if [ "$kind" = test ] && command -v python3 >/dev/null 2>&1 &&
	! python3 -c 'import yaml' 2>/dev/null; then
	missing="$missing python3-yaml"
fi
[ -z "$missing" ] && exit 0

if command -v apt-get >/dev/null 2>&1; then
	sudo=
	[ "$(id -u)" -ne 0 ] && sudo=sudo
	echo "tamis: installing missing $kind dependencies:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq >/dev/null &&
		$sudo apt-get install -y -qq $missing >/dev/null ||
		{ echo "tamis: apt-get install$missing failed" >&2; exit 1; }
else
	echo "tamis: please install these packages (or your system's equivalents):$missing" >&2
	exit 1
fi
