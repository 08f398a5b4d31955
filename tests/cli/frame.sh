# CLI tests for the board's frame: tamis criterion and tamis grid (add or
# rename criteria, flip the easier pole, add a grid, change its resolution).
. "$TAMIS_TOP/tests/lib.sh"
export TAMIS_TIME_NOW=2019-06-28T14:00:00Z

b=$T/b.yaml
cp "$TAMIS_TOP/boards/comptoir-des-services.yaml" "$b"
# q EXPR: a Python expression on the board as the CLI lists it (journal included).
q() {
	"$TAMIS" list "$b" --format yaml >"$T/q.yaml" && python3 - "$T/q.yaml" "$b" "$1" <<'PY'
import sys, yaml
cards = (yaml.safe_load(open(sys.argv[1])) or {}).get("cards") or []
b = yaml.safe_load(open(sys.argv[2]))
crit = {c["id"]: c for c in b["criteria"]}
grids = {g["id"]: g for g in b["grids"]}
def card(prefix):
    return [c for c in cards if c["id"].startswith(prefix)][0]
print(eval(sys.argv[3]))
PY
}
compact() { "$TAMIS" compact "$b" >/dev/null; }

# --- criteria ----------------------------------------------------------------------
# hits CARD: how many grids place the card in their easy zone, by the sieve.
hits() { "$TAMIS" sieve "$b" --format tsv | awk -F'\t' -v id="$1" 'index($5, id) == 1 { print $2 }'; }
t_eq "before the flip, the Achat card is in the easy zone of all 3 grids" "$(hits 4bb00804)" 3
out=$($TAMIS criterion "$b" frequence --easy flip)
t_eq "flipping says the new easier pole" "$out" \
	"criterion frequence: Exceptionnel ↔ Fréquent  (easier: Exceptionnel)"
compact
t_eq "the flip is in the file" "$(q 'crit["frequence"]["easy"]')" low
t_eq "the sieve follows the new easy pole: only 1 grid left (the one without frequence)" \
	"$(hits 4bb00804)" 1
out=$($TAMIS criterion "$b" frequence --low "Rare" --high "Quotidien")
t_eq "renaming the poles keeps the easier one" "$out" \
	"criterion frequence: Rare ↔ Quotidien  (easier: Rare)"
compact
t_eq "the new names are in the file" "$(q 'crit["frequence"]["low"], crit["frequence"]["high"]')" \
	"('Rare', 'Quotidien')"
out=$($TAMIS criterion "$b" cout --low "Peu coûteux" --high "Coûteux" --easy low)
t_eq "a new criterion is added" "$out" "added criterion cout: Peu coûteux ↔ Coûteux  (easier: Peu coûteux)"
t_exit "a new criterion needs both poles (64)" 64 $TAMIS criterion "$b" neuf --low "x"
t_exit "--easy takes low, high or flip (64)" 64 $TAMIS criterion "$b" cout --easy middle
t_exit "a bad id is refused (64)" 64 $TAMIS criterion "$b" "a b" --low x --high y
t_exit "control characters in a pole are refused (64)" 64 $TAMIS criterion "$b" cout --low "$(printf 'a\033[2Jb')"
t_exit "nothing to change is a usage error (64)" 64 $TAMIS criterion "$b" cout
t_ok "the board still checks" $TAMIS check "$b"

# --- grids ---------------------------------------------------------------------------
out=$($TAMIS grid "$b" cout-autonomie --axes cout,autonomie --cells 4)
t_eq "a new grid is added" "$out" \
	"added grid cout-autonomie: cout × autonomie, 4×4 cells; every card waits in its tray"
compact
t_eq "the grid is in the file" "$(q 'grids["cout-autonomie"]')" \
	"{'id': 'cout-autonomie', 'x': 'cout', 'y': 'autonomie', 'cells': 4}"
t_eq "every card waits in the new grid's tray" \
	"$(q 'sum(1 for c in cards if "cout-autonomie" in (c.get("place") or {}))')" 0
t_exit "one criterion on both axes is refused (64)" 64 $TAMIS grid "$b" x --axes cout,cout
t_match "an unknown criterion is named, with the known ones" \
	"$($TAMIS grid "$b" x --axes cout,nope 2>&1)" "unknown criterion 'nope' \(criteria: autonomie, frequence, centralisation, cout\)"
t_exit "a grid's axes cannot change (64)" 64 $TAMIS grid "$b" cout-autonomie --axes autonomie,cout
t_exit "cells stay within 2..9 (64)" 64 $TAMIS grid "$b" cout-autonomie --cells 10

# Resolution: 3x3 -> 5x5 -> 3x3 keeps every card in its relative place.
before=$(q 'sorted((c["id"], c["place"]["autonomie-centralisation"]) for c in cards if "autonomie-centralisation" in (c.get("place") or {}))')
n=$(q 'sum(1 for c in cards if "autonomie-centralisation" in (c.get("place") or {}))')
out=$($TAMIS grid "$b" autonomie-centralisation --cells 5)
t_eq "a new resolution says how many cards kept their place" "$out" \
	"grid autonomie-centralisation: 5×5 cells; $n placed cards kept their relative place"
compact
t_eq "the file has the new resolution" "$(q 'grids["autonomie-centralisation"]["cells"]')" 5
t_eq "every card moved to the cell holding its old cell's centre (1→1, 2→3, 3→5)" \
	"$(q 'all(tuple(c["place"]["autonomie-centralisation"]) == tuple({1: 1, 2: 3, 3: 5}[v] for v in p) for c in cards for i, p in '"$before"' if c["id"] == i)')" True
t_match "and the check is not empty" "$before" "\[\('"
$TAMIS grid "$b" autonomie-centralisation --cells 3 >/dev/null
t_eq "back to 3x3, every card is where it was" \
	"$(q 'sorted((c["id"], c["place"]["autonomie-centralisation"]) for c in cards if "autonomie-centralisation" in (c.get("place") or {}))')" \
	"$before"
t_ok "the board still checks" $TAMIS check "$b"

# --- only the facilitator ---------------------------------------------------------------
cp "$b" "$T/before"
python3 - "$b" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read().replace("criteria:\n", "facilitators: [nobody-here]\ncriteria:\n", 1)
open(p, "w").write(s)
PY
cp "$b" "$T/guarded"
t_exit "a board with other facilitators refuses frame changes (77)" 77 \
	$TAMIS criterion "$b" frequence --easy flip
t_match "and says why" "$($TAMIS grid "$b" autonomie-frequence --cells 4 2>&1)" \
	"only the facilitator may change the board's frame, and account '$(id -un)' is not among"
t_ok "a refused change leaves the file as it was" cmp "$b" "$T/guarded"
