# Several accounts, one board (docs/SHARING.md, "Remote participants"): two
# accounts made with useradd share a setgid group directory holding a 0664
# board; one works with umask 022. Side files must take the board's group
# and permission bits whatever the umask, so that nobody blocks the others:
# before, the first live change under umask 022 made .NAME.journal 0644 and
# every other account stayed NOT SAVED (Permission denied) until all quit,
# then was told its changes were lost although the close had saved them.
# Needs root (to make the accounts); CI runs as root.
. "$TAMIS_TOP/tests/lib.sh"
export TAMIS_TIME_NOW=2026-12-07T10:00:00Z

if [ "$(id -u)" -ne 0 ] || ! command -v useradd >/dev/null 2>&1 ||
	! command -v setpriv >/dev/null 2>&1; then
	echo "ok 1 - accounts # SKIP needs root, useradd and setpriv"
	exit 0
fi

suffix=$$
group=tamisg$suffix
a=tamisa$suffix
b=tamisb$suffix
t_cleanup_hook='pkill -u $a 2>/dev/null; pkill -u $b 2>/dev/null; userdel $a 2>/dev/null; userdel $b 2>/dev/null; groupdel $group 2>/dev/null'
groupadd "$group" && useradd -M -N -g users -G "$group" -s /bin/sh "$a" &&
	useradd -M -N -g users -G "$group" -s /bin/sh "$b" ||
	{ t_failed "cannot make the test accounts"; exit 0; }

# Everything the accounts need, where they can reach it.
chmod 0711 "$T"
mkdir -p "$T/bin" "$T/home/$a" "$T/home/$b"
cp "$TAMIS" "$T/bin/tamis" && chmod 0755 "$T/bin" "$T/bin/tamis"
chown "$a" "$T/home/$a"
chown "$b" "$T/home/$b"
chmod 0755 "$T/home"
d=$T/atelier
install -d -m 2770 -g "$group" "$d"
# as USER UMASK CMD...: runs CMD as USER with that umask, in the shared directory.
as() {
	u=$1 m=$2
	shift 2
	setpriv --reuid="$u" --regid=users --init-groups \
		env HOME="$T/home/$u" XDG_CONFIG_HOME="$T/home/$u/.config" TAMIS="$T/bin/tamis" \
		sh -c "cd '$d' && umask $m && \"\$@\"" sh "$@"
}

as "$a" 002 "$T/bin/tamis" new b.yaml --title "Médiathèque partagée" >/dev/null
chmod 0664 "$d/b.yaml"
t_eq "the board belongs to the group, 0664" "$(stat -c '%a %G' "$d/b.yaml")" "664 $group"

# A's interface, umask 022: adds a card (the first live change makes the
# journal), waits while B works, adds another and quits (the last one out).
cat >"$d/a.script" <<EOF
a
Carte de A<Enter><Enter>
:run touch '$d/a-added'; n=0; while [ ! -e '$d/go' ] && [ \$n -lt 600 ]; do sleep 0.05; n=\$((n+1)); done
a
Deuxième carte de A<Enter><Enter>
EOF
chmod 0644 "$d/a.script"
as "$a" 022 env TERM=xterm-256color TAMIS_BY="Binôme A" TAMIS_SCRIPT="$d/a.script" \
	"$T/bin/tamis" b.yaml >"$T/a.out" 2>"$T/a.err" &
ui=$!
n=0
while [ ! -e "$d/a-added" ] && [ $n -lt 400 ]; do sleep 0.05; n=$((n + 1)); done
t_ok "A's interface saved its first card" test -e "$d/a-added"
t_eq "the journal A made under umask 022 is 0664, in the board's group" \
	"$(stat -c '%a %G' "$d/.b.yaml.journal" 2>&1)" "664 $group"
t_eq "so are the lock files" "$(stat -c '%a %G' "$d/.b.yaml.lock" "$d/.b.yaml.live" | sort -u)" "664 $group"

# B, umask 022 too: a command, then an interface of its own.
out=$(as "$b" 022 "$T/bin/tamis" add b.yaml "Carte de B" --by "Binôme B" 2>&1)
t_match "B's command is saved while A is live" "$out" '^[0-9a-f]{8}$'
cat >"$d/b.script" <<'EOF'
a
Carte de l'interface de B<Enter><Enter>
EOF
chmod 0644 "$d/b.script"
as "$b" 022 env TERM=xterm-256color TAMIS_BY="Binôme B" TAMIS_SCRIPT="$d/b.script" \
	"$T/bin/tamis" b.yaml >/dev/null 2>"$T/b.err"
t_eq "B's interface quits saved (not 74)" "$?" 0
t_eq "and says nothing went wrong" "$(cat "$T/b.err")" ""
t_eq "no rescue copy was needed" "$(ls -a "$d" | grep -c rescue)" 0

touch "$d/go"
wait $ui
t_eq "A's interface, the last one out, quits saved" "$?" 0
t_eq "and silent" "$(cat "$T/a.err")" ""
list=$("$T/bin/tamis" list "$d/b.yaml")
for c in "Carte de A" "Deuxième carte de A" "Carte de B" "Carte de l'interface de B"; do
	t_match "the board holds '$c'" "$list" "$c"
done
t_fail "the journal was folded in" test -e "$d/.b.yaml.journal"
t_eq "the board is still 0664 in the group" "$(stat -c '%a %G' "$d/b.yaml")" "664 $group"
t_eq "nothing is world-writable" "$(find "$d" -perm -o+w -type f | wc -l)" 0

# A journal an older tamis left 0644, owned by A: B cannot append to it, so
# B replaces it by a copy with its line (the directory lets the group do it).
as "$a" 022 flock -o -s .b.yaml.live sleep 301 &
holder=$!
sleep 0.3
as "$a" 022 "$T/bin/tamis" add b.yaml "Carte de A, journal étroit" >/dev/null
chmod 0644 "$d/.b.yaml.journal"
out=$(as "$b" 002 "$T/bin/tamis" add b.yaml "Carte de B malgré tout" 2>&1)
t_match "B saves into a journal it may not write" "$out" '^[0-9a-f]{8}$'
t_eq "which is now B's, 0664 in the group" "$(stat -c '%a %U %G' "$d/.b.yaml.journal")" "664 $b $group"
t_match "and holds both changes" "$(cat "$d/.b.yaml.journal")" "journal étroit.*|malgré tout"
t_eq "both are on the board" "$("$T/bin/tamis" list "$d/b.yaml" | grep -c 'Carte de A, journal étroit\|Carte de B malgré tout')" 2
kill $holder 2>/dev/null
pkill -u "$a" -f "sleep 301" 2>/dev/null
wait $holder 2>/dev/null || :
