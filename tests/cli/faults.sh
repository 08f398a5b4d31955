# Faults from outside, with the real binary: the writers' lock held by a
# stuck process beyond TAMIS_LOCK_TIMEOUT, and the board file deleted or
# replaced while the terminal UI has it open. Each gives one clear line,
# loses nothing, and recovers once the fault is gone. (Faults inside the
# code paths, read-only places included, are injected by
# tests/unit/test_faults.c; disk full by tests/cli/crash.sh.)
. "$TAMIS_TOP/tests/lib.sh"
TUI_SOURCED=1 . "$TAMIS_TOP/tests/tui/tuilib.sh"

b=$T/b.yaml
holder=
t_cleanup_hook='[ -n "$holder" ] && kill -KILL -$holder 2>/dev/null'
# hold_lock FILE: a stuck process takes FILE's lock exclusively (in its own
# process group, $holder); returns once it holds it.
hold_lock() {
	setsid flock -x "$1" sleep 60 >/dev/null 2>&1 &
	holder=$!
	n=0
	while flock -n -s "$1" true; do
		n=$((n + 1))
		[ $n -lt 500 ] || { t_failed "the stuck process took the lock"; return; }
		sleep 0.01
	done
}
release_lock() { kill -KILL -$holder 2>/dev/null; wait $holder 2>/dev/null; holder=; }

# --- a stuck lock: the CLI ------------------------------------------------------
$TAMIS new "$b" >/dev/null
id=$($TAMIS add "$b" "before the stuck lock")
cp "$b" "$T/before"
hold_lock "$T/.b.yaml.lock"
start=$(date +%s%N)
TAMIS_LOCK_TIMEOUT=0.5 $TAMIS add "$b" "while stuck" >"$T/out" 2>"$T/err"
rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
t_eq "a change while the lock is stuck fails with 75 (EX_TEMPFAIL)" "$rc" 75
t_eq "with one line" "$(wc -l <"$T/err")" 1
t_match "saying who holds what, and how long it waited" "$(cat "$T/err")" \
	"^(tamis: )?cannot lock '.*b\.yaml': another tamis is writing it \(waited 0\.5 s\)$"
t_match "it waited TAMIS_LOCK_TIMEOUT, not forever ($ms ms)" "$ms" "^([5-9][0-9]{2}|[1-4][0-9]{3})$"
t_eq "nothing was printed as saved" "$(cat "$T/out")" ""
t_ok "the board is untouched" cmp "$b" "$T/before"
# Readers need no lock: they read at once, whoever holds it, and never say 75.
start=$(date +%s%N)
TAMIS_LOCK_TIMEOUT=5 $TAMIS list "$b" >"$T/out" 2>"$T/err"
rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
t_eq "reading while a writer holds the lock works at once, silently" "$rc:$(wc -l <"$T/err")" "0:0"
t_match "and lists the board" "$(cat "$T/out")" "^$id "
t_match "without waiting for the lock ($ms ms)" "$ms" "^[0-9]{1,3}$"
release_lock
id2=$($TAMIS add "$b" "while stuck")
t_match "once the holder is gone the same change works" "$id2" "^[0-9a-f]{8}$"
t_match "and both cards are there" "$($TAMIS list "$b" --format tsv | cut -c1-8 | tr '\n' ' ')" \
	"$id.*$id2"

# --- a stuck lock: the terminal UI ------------------------------------------------
# The UI shows a change it cannot save, says so in the status bar, and saves
# it on its next try once the holder is gone; nothing goes to a rescue file.
# A retry does not wait for the lock (the timer tries again every second):
# the script waits until the killed holder has really let the lock go.
u=$T/u.yaml
$TAMIS new "$u" >/dev/null
cat >"$T/stuck.script" <<EOF
:run setsid flock -x $T/.u.yaml.lock sleep 60 >/dev/null 2>&1 & echo \$! >$T/holder; while flock -n -s $T/.u.yaml.lock true; do sleep 0.01; done
a
held card<Enter><Enter>
:dump
:run kill -KILL -\$(cat $T/holder); while ! flock -n -x $T/.u.yaml.lock true; do sleep 0.01; done
:poll
:dump
EOF
tui_script "$u" 100x24 TAMIS_LOCK_TIMEOUT=0.3 <"$T/stuck.script" >"$T/stuck.txt" 2>"$T/stuck.err"
holder=$(cat "$T/holder" 2>/dev/null)
[ -n "$holder" ] && release_lock
t_eq "the UI quits normally after the lock came back" "$tui_rc" 0
first=$(sed -n 23p "$T/stuck.txt")
t_match "while stuck, the status bar says the change is not saved, and why" "$first" \
	"^ NOT SAVED: cannot lock .*another tamis is writing it \(waited 0\.3 s\)"
t_match "and the message line that it is retrying" "$(sed -n 24p "$T/stuck.txt")" \
	"not added yet: the board is busy or unreachable, retrying"
last=$(sed -n 47p "$T/stuck.txt")
t_nomatch "once the holder is gone, it is saved" "$last" "NOT SAVED"
t_match "and the status bar says when" "$last" "saved [0-9]{2}:[0-9]{2}:[0-9]{2}$"
t_match "the message line no longer says it is retrying" "$(sed -n 48p "$T/stuck.txt")" \
	"saved now: the changes that waited for the board are written"
t_match "the card is on the board" "$($TAMIS list "$u" --format tsv)" "held card"
t_eq "no rescue file was needed" "$(ls "$T" | grep -c rescue)" 0

# --- the board deleted while the UI has it open -------------------------------------
$TAMIS new "$u.new" >/dev/null
rm -f "$u" "$T"/.u.yaml.journal
mv "$u.new" "$u"
$TAMIS add "$u" "first" >/dev/null
# Another instance saves a change (to the journal: the UI is live) and the
# board is deleted before the UI reads it: the UI must write the board back
# with it, not from its screen alone.
cat >"$T/gone.script" <<EOF
a
saved before<Enter><Enter>
:run $TAMIS add $u "saved by another" >/dev/null && rm $u
a
after the loss<Enter><Enter>
:poll
:dump
EOF
tui_script "$u" 100x24 <"$T/gone.script" >"$T/gone.txt" 2>"$T/gone.err"
t_eq "a board deleted under the UI: it goes on and quits normally" "$tui_rc" 0
t_match "it says it wrote the board back" "$(cat "$T/gone.txt")" \
	"the board file had gone: written back from this screen"
list=$($TAMIS list "$u" --format tsv)
t_match "the board is back with the cards made before" "$list" "first.*|saved before"
t_match "with the one saved before it was deleted" "$list" "saved before"
t_match "and the one made after" "$list" "after the loss"
t_match "and the one another instance saved just before the loss" "$list" "saved by another"
t_ok "and it loads" $TAMIS check "$u"

# --- the board replaced while the UI has it open -----------------------------------
$TAMIS new "$T/other.yaml" >/dev/null
$TAMIS add "$T/other.yaml" "from the other board" >/dev/null
cat >"$T/replaced.script" <<EOF
:run cp $T/other.yaml $T/u.tmp && mv $T/u.tmp $u
:poll
a
on the new board<Enter><Enter>
:dump
EOF
tui_script "$u" 100x24 <"$T/replaced.script" >"$T/replaced.txt" 2>"$T/replaced.err"
t_eq "a board replaced under the UI: it quits normally" "$tui_rc" 0
list=$($TAMIS list "$u" --format tsv)
t_match "the replacement is taken in" "$list" "from the other board"
t_match "and the change made after goes on top of it" "$list" "on the new board"
t_ok "it loads" $TAMIS check "$u"
