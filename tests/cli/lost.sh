# Nothing acknowledged is ever lost (docs/RELIABILITY.md, "Nothing
# acknowledged is lost"): each case tried as a hostile or unlucky user
# would, on a board for another topic than the sample (a library's new
# services). Every check here failed before the fix it names.
. "$TAMIS_TOP/tests/lib.sh"
export TAMIS_TIME_NOW=2026-12-07T10:00:00Z

mkboard() { # FILE: a fresh board with four cards
	$TAMIS new "$1" --title "Médiathèque" >/dev/null &&
		$TAMIS add "$1" "Prêt de liseuses" >/dev/null &&
		$TAMIS add "$1" "Atelier « premiers pas » numérique" >/dev/null &&
		$TAMIS add "$1" "Boîte de retour 24 h/24" >/dev/null &&
		$TAMIS add "$1" "Portage à domicile" >/dev/null
}
ids() { $TAMIS list "$1" --format tsv 2>/dev/null | sed 1d | cut -c1-8 | sort | tr '\n' ' '; }
# live FILE: an instance holding the board live, as an open UI does (presence lock).
live() { flock -o -s "$(dirname "$1")/.$(basename "$1").live" sleep 301 & live_pid=$!; sleep 0.2; }
unlive() { kill "$live_pid" 2>/dev/null; wait "$live_pid" 2>/dev/null; pkill -f "sleep 301" 2>/dev/null; sleep 0.1; }
t_cleanup_hook='pkill -f "sleep 301" 2>/dev/null'

# --- 1. A hand edit under a journal that holds operations -------------------
for how in sed cat; do
	d=$T/edit-$how && mkdir -p "$d" && b=$d/b.yaml
	mkboard "$b"
	live "$b"
	acked=$($TAMIS add "$b" "Carte acquittée ($how)")
	t_match "$how: the add is acknowledged while live" "$acked" '^[0-9a-f]{8}$'
	t_ok "$how: it went to the journal" grep -q "Carte acquittée" "$d/.b.yaml.journal"
	if [ $how = sed ]; then
		sed -i 's/^title: Médiathèque$/title: Médiathèque (relu)/' "$b"
	else
		sed 's/^title: Médiathèque$/title: Médiathèque (relu)/' "$b" >"$d/t" && cat "$d/t" >"$b"
	fi
	$TAMIS list "$b" >"$d/out" 2>"$d/err"
	t_match "$how: the acknowledged card is still there after the edit" "$(cat "$d/out")" "^$acked .*Carte acquittée"
	t_match "$how: and the edit too" "$($TAMIS list "$b" --format yaml 2>/dev/null; sed -n 2p "$b")" "Médiathèque \(relu\)"
	t_match "$how: the reader says the board was edited under the journal" "$(cat "$d/err")" \
		"^tamis: warning: '.*b\.yaml' was changed under its live journal \(edited by hand\?\): the journal's 1 change was applied to it$"
	$TAMIS add "$b" "Après la relecture" >/dev/null 2>&1
	t_match "$how: the next writer re-bases the journal on the edited board" "$(head -1 "$d/.b.yaml.journal")" \
		"^tamis-journal 1 $(stat -c %s "$b") "
	$TAMIS check "$b" 2>"$d/err"
	t_eq "$how: once re-based, nothing to say" "$(cat "$d/err")" ""
	unlive
	t_ok "$how: compact folds it" $TAMIS compact "$b"
	t_ok "$how: both acknowledged cards are in the board file" grep -q "Carte acquittée" "$b"
	t_ok "$how: ... the second too" grep -q "Après la relecture" "$b"
	t_ok "$how: ... and the edit" grep -q "^title: Médiathèque (relu)$" "$b"
	t_fail "$how: no journal is left" test -e "$d/.b.yaml.journal"
done

# A hand edit deleting a card the journal changes: the change is kept, listed, never dropped.
d=$T/edit-delete && mkdir -p "$d" && b=$d/b.yaml
mkboard "$b"
victim=$($TAMIS list "$b" --format tsv | grep "Portage" | cut -c1-8)
live "$b"
$TAMIS move "$b" "$victim" --grid autonomie-frequence --cell 2,1 --by "Binôme 2" >/dev/null
python3 - "$b" <<'EOF'
import sys
p = sys.argv[1]
lines = open(p).read().split('\n')
out, skip = [], False
for l in lines:
    if l.startswith('  - id:'):
        skip = False
    if l.strip() == 'text: Portage à domicile':
        # drop this card: from its "- id:" line on
        while out and not out[-1].startswith('  - id:'):
            out.pop()
        out.pop()
        skip = True
    if not skip:
        out.append(l)
open(p, 'w').write('\n'.join(out))
EOF
t_fail "the card is gone from the edited file" grep -q "Portage" "$b"
$TAMIS list "$b" >/dev/null 2>"$d/err"
t_match "list says one journal line no longer applies, and why" "$(cat "$d/err")" \
	"1 line of the live journal of '.*' was skipped: 1 that no longer applies \(first: no card $victim; see 'tamis show-conflicts'\)"
t_exit "check --strict fails on it" 65 $TAMIS check --strict "$b"
$TAMIS add "$b" "Un autre changement" >/dev/null 2>"$d/err"
t_match "the writer that re-bases says where the change went" "$(cat "$d/err")" \
	"1 change of the live journal no longer applies: kept, see 'tamis show-conflicts "
out=$($TAMIS show-conflicts "$b")
t_match "show-conflicts lists it: when, who, what and why" "$out" \
	"^  2026-12-07T10:00:00Z  Binôme 2  move $victim autonomie-frequence 2,1  — no card $victim$"
unlive
$TAMIS compact "$b" 2>/dev/null
t_match "it is still listed after compaction" "$($TAMIS show-conflicts "$b")" "move $victim"
t_exit "check --strict still fails on it" 65 $TAMIS check --strict "$b"
t_match "check --journal lists it" "$($TAMIS check --journal "$b" 2>/dev/null)" "move $victim"
t_ok "show-conflicts --clear drops it once dealt with" $TAMIS show-conflicts --clear "$b"
t_ok "then check --strict is happy" $TAMIS check --strict "$b"

# --- 1. After a crash: a UI killed with -9 after "saved", then a hand edit ----
d=$T/crash && mkdir -p "$d" && b=$d/b.yaml
mkboard "$b"
cat >"$d/ui.script" <<'EOF'
a
Navette des bibliothèques<Enter><Enter>
:run kill -KILL $PPID
EOF
env TERM=xterm-256color TAMIS_BY=ui TAMIS_SCRIPT="$d/ui.script" TAMIS_ACK_LOG="$d/ack" \
	"$TAMIS" "$b" >/dev/null 2>&1
t_match "the UI had saved the card before it was killed" "$(cat "$d/ack")" "^saved add "
sed -i 's/^title: Médiathèque$/title: Médiathèque du centre/' "$b"
t_match "check: the card is there" "$($TAMIS list "$b" 2>/dev/null)" "Navette des bibliothèques"
t_ok "compact" $TAMIS compact "$b"
t_ok "compact: the card is in the board file" grep -q "Navette des bibliothèques" "$b"
t_ok "compact: and so is the edit" grep -q "^title: Médiathèque du centre$" "$b"

# --- 1. A journal that cannot be read is set aside, never deleted -------------
d=$T/broken && mkdir -p "$d" && b=$d/b.yaml
mkboard "$b"
printf 'tamis-journal 7 1 00000000\n12345678 {op: from-a-later-tamis}\n' >"$d/.b.yaml.journal"
cp "$d/.b.yaml.journal" "$d/keep"
$TAMIS check "$b" >/dev/null 2>"$d/err"
t_match "a reader says the journal cannot be read" "$(cat "$d/err")" \
	"^tamis: warning: the live journal '.*\.b\.yaml\.journal' cannot be read \(damaged, or written by a later tamis\)"
t_ok "and leaves it as it is" cmp "$d/.b.yaml.journal" "$d/keep"
$TAMIS add "$b" "Après le journal abîmé" >/dev/null 2>"$d/err"
t_match "a writer sets it aside, in one line naming it" "$(cat "$d/err")" \
	"^tamis: warning: the live journal of '.*b\.yaml' could not be read: set aside as '.*\.b\.yaml\.journal\.broken-[0-9]{8}-[0-9]{6}'$"
t_ok "the broken journal is kept whole" cmp "$d"/.b.yaml.journal.broken-* "$d/keep"
t_ok "and the change was saved" grep -q "Après le journal abîmé" "$b"

# --- 2. Symlinks: one set of side files, whatever link a writer opens --------
for mode in alone live; do
	d=$T/link-$mode && mkdir -p "$d" && b=$d/b.yaml
	mkboard "$b"
	ln -s b.yaml "$d/link.yaml"
	[ $mode = live ] && live "$b"
	pids=
	for w in b link; do
		(for i in $(seq 1 40); do $TAMIS add "$d/$w.yaml" "$w $i" || echo fail; done >"$d/acked.$w") &
		pids="$pids $!"
	done
	wait $pids
	[ $mode = live ] && unlive
	$TAMIS compact "$b" 2>/dev/null
	t_eq "$mode: 80 adds through the board and a link, 80 acknowledged" \
		"$(cat "$d/acked.b" "$d/acked.link" | grep -c '^[0-9a-f]\{8\}$')" 80
	t_eq "$mode: and 80 new cards on the board" "$($TAMIS list "$b" --format tsv | sed 1d | wc -l)" 84
	t_eq "$mode: no side file is named after the link" "$(ls -a "$d" | grep -c '^\.link')" 0
	t_ok "$mode: the link is still a link" test -L "$d/link.yaml"
done

# --- 9. Skipped journal lines are said, and why --------------------------------
d=$T/skipped && mkdir -p "$d" && b=$d/b.yaml
mkboard "$b"
live "$b"
$TAMIS add "$b" "Première" >/dev/null
crc() { python3 -c 'import sys,zlib; print("%08x" % zlib.crc32(sys.argv[1].encode()))' "$1"; }
{
	echo "deadbeef {op: title, text: \"abîmé\"}"
	p='{op: frobnicate, at: 2026-12-07T10:00:00Z}'
	echo "$(crc "$p") $p"
} >>"$d/.b.yaml.journal"
$TAMIS add "$b" "Deuxième" >/dev/null 2>&1
$TAMIS list "$b" >"$d/out" 2>"$d/err"
t_eq "list says it in one line" "$(wc -l <"$d/err")" 1
t_match "naming the kinds: torn or damaged, not an operation" "$(cat "$d/err")" \
	"2 lines of the live journal of '.*' were skipped: 1 torn or damaged \(a writer stopped mid-line\?\), 1 that is not an operation this tamis can read \(first: column [0-9]+: unknown operation 'frobnicate'"
t_match "and the lines around them are applied" "$(cat "$d/out")" "Deuxième"
t_exit "check exits 0 without --strict" 0 $TAMIS check "$b"
t_exit "check --strict exits 65" 65 $TAMIS check --strict "$b"
unlive
$TAMIS compact "$b" 2>"$d/err"
t_match "compact says it too" "$(cat "$d/err")" "2 lines of the live journal"
t_ok "after compaction the unreadable line is kept as a conflict" $TAMIS show-conflicts "$b"
t_match "... listed as not an operation" "$($TAMIS show-conflicts "$b")" "not an operation: \{op: frobnicate"

# --- 10. No side file for what is not a regular file ---------------------------
rm -f /dev/.zero.lock /dev/.zero.live
$TAMIS list /dev/zero >/dev/null 2>&1
t_fail "list /dev/zero makes no /dev/.zero.lock" test -e /dev/.zero.lock
$TAMIS add /dev/zero x >/dev/null 2>&1
t_fail "add /dev/zero makes no lock either" test -e /dev/.zero.lock
mkfifo "$T/fifo.yaml"
for cmd in list check "add x"; do $TAMIS $cmd "$T/fifo.yaml" >/dev/null 2>&1 </dev/null; done
t_eq "nothing beside a FIFO" "$(ls -a "$T" | grep -c '^\.fifo')" 0

# --- 10. A disk full names the board, not a temporary file --------------------
d=$T/full && mkdir -p "$d" && b=$d/b.yaml
mkboard "$b"
(ulimit -f 1; $TAMIS add "$b" "$(head -c 3000 /dev/zero | tr '\0' x)") >/dev/null 2>"$d/err"
t_match "a failed save names the board" "$(cat "$d/err")" "^tamis: cannot write '.*/full/b\.yaml': File too large$"
t_nomatch "and no temporary file" "$(cat "$d/err")" '\.b\.yaml\.[A-Za-z0-9]{6}'
t_eq "none is left behind" "$(ls -a "$d" | grep -c '^\.b\.yaml\.[A-Za-z0-9]\{6\}$')" 0
