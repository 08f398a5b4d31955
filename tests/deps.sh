#!/bin/sh
# tests/deps.sh KIND CHECK:PACKAGE... - install what is missing.
#
# CHECK is a pkg-config module name, or a command name when no such module
# exists (and it is not a known module); PACKAGE is the Debian/Ubuntu package
# providing it. On Debian/Ubuntu the missing packages are installed with
# apt-get (through sudo when not root); elsewhere their names are printed and
# the build stops.
#
# KIND is build, test or fuzz; or check, which installs nothing: it names
# every missing tool of the tests (and the fr_FR.UTF-8 locale, Python's yaml
# module) on one line each and fails. tests/run.sh runs it first, so that a
# container without, say, ps says so instead of failing tests obscurely.
kind=$1
shift
missing=
for pair in "$@"; do
	check=${pair%%:*}
	pkg=${pair#*:}
	case $check in
	pkg-config|tmux|python3|locale-gen|msgfmt|strace|flock|script|valgrind|clang|llvm-profdata|\
	ps|setsid|timeout|readelf|ldd|locale|cmp|diff|awk|mkfifo|truncate|nproc|od|make|\
	pkill|setpriv|useradd|groupadd|userdel|groupdel|zsh|bash|po4a|man|cc)
		command -v "$check" >/dev/null 2>&1 && continue
		[ "$check" = locale-gen ] && [ -x /usr/sbin/locale-gen ] && continue
		# Only needed to make the fr_FR.UTF-8 locale, checked below.
		[ "$check" = locale-gen ] && [ "$kind" = check ] && continue ;;
	libfuzzer)
		# clang links a libFuzzer harness (libclang-rt-dev on Debian).
		printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }\n' |
			clang -fsanitize=fuzzer -x c -o /dev/null - >/dev/null 2>&1 && continue ;;
	*)
		pkg-config --exists "$check" 2>/dev/null && continue ;;
	esac
	missing="$missing $pkg"
	[ "$kind" = check ] &&
		echo "tamis: the tests need '$check', which is missing here: install the package $pkg (Debian/Ubuntu name)" >&2
done
# The tests also read YAML back with Python (python3 itself may be missing
# yet: a minimal Debian has none, and apt installs both at once).
if [ "$kind" = test ] || [ "$kind" = check ]; then
	if ! command -v python3 >/dev/null 2>&1 || ! python3 -c 'import yaml' 2>/dev/null; then
		missing="$missing python3-yaml"
		[ "$kind" = check ] &&
			echo "tamis: the tests need Python's yaml module, which is missing here: install the package python3-yaml (Debian/Ubuntu name)" >&2
	fi
fi
# The French UI tests need the fr_FR.UTF-8 locale.
need_fr=
if { [ "$kind" = test ] || [ "$kind" = check ]; } &&
	! locale -a 2>/dev/null | grep -qi '^fr_FR\.utf-\?8$'; then
	need_fr=1
	[ "$kind" = check ] &&
		echo "tamis: the French UI tests need the fr_FR.UTF-8 locale, which is missing here: generate it (locale-gen, or localedef -i fr_FR -f UTF-8 fr_FR.UTF-8)" >&2
fi
[ -z "$missing" ] && [ -z "$need_fr" ] && exit 0
[ "$kind" = check ] && exit 1
sudo=
if [ "$(id -u)" -ne 0 ]; then
	sudo=sudo
	# Not root and no sudo (a container's user): say what root must run.
	if ! command -v sudo >/dev/null 2>&1; then
		[ -n "$missing" ] &&
			echo "tamis: as root, run: apt-get install$missing" >&2
		[ -n "$need_fr" ] &&
			echo "tamis: as root, generate the fr_FR.UTF-8 locale (locale-gen)" >&2
		exit 1
	fi
fi

if [ -z "$missing" ]; then
	:
elif command -v apt-get >/dev/null 2>&1; then
	echo "tamis: installing missing $kind dependencies:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	# apt's chatter (debconf on a minimal system...) goes to a log, shown on failure.
	log=$(mktemp "${TMPDIR:-/tmp}/tamis-apt.XXXXXX")
	if ! { $sudo apt-get update -qq && $sudo apt-get install -y -qq $missing; } >"$log" 2>&1; then
		tail -5 "$log" >&2
		rm -f "$log"
		echo "tamis: apt-get install$missing failed" >&2
		exit 1
	fi
	rm -f "$log"
else
	echo "tamis: please install these packages (or your system's equivalents):$missing" >&2
	exit 1
fi

if [ -n "$need_fr" ]; then
	echo "tamis: generating the fr_FR.UTF-8 locale for the French UI tests" >&2
	if [ -f /etc/locale.gen ]; then
		$sudo sed -i 's/^# *\(fr_FR.UTF-8 UTF-8\)/\1/' /etc/locale.gen
		grep -q '^fr_FR.UTF-8 UTF-8' /etc/locale.gen ||
			echo 'fr_FR.UTF-8 UTF-8' | $sudo tee -a /etc/locale.gen >/dev/null
		$sudo locale-gen >/dev/null 2>&1
	else
		$sudo localedef -i fr_FR -f UTF-8 fr_FR.UTF-8 2>/dev/null
	fi
	locale -a 2>/dev/null | grep -qi '^fr_FR\.utf-\?8$' ||
		{ echo "tamis: could not generate the fr_FR.UTF-8 locale" >&2; exit 1; }
fi
