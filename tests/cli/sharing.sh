# CLI tests for live sharing: commands append to the journal while the board
# is open live, readers see it, compact folds it back.
. "$TAMIS_TOP/tests/lib.sh"
export TAMIS_TIME_NOW=2019-06-28T15:00:00Z

cp "$SAMPLE" "$T/b.yaml"
b=$T/b.yaml
id=$($TAMIS list "$b" --format tsv | sed -n 2p | cut -c1-8)
cp "$b" "$T/before"
# A live instance holds the presence lock (what the UI does).
flock -o -s "$T/.b.yaml.live" sleep 30 &
live=$!
t_cleanup_hook='kill $live 2>/dev/null'
sleep 0.3
t_ok "a move while the board is live" $TAMIS move "$b" "$id" --grid autonomie-frequence --cell 1,1
t_ok "the change went to the journal" test -s "$T/.b.yaml.journal"
t_ok "the board file itself is untouched" cmp "$b" "$T/before"
t_match "readers see the change" "$($TAMIS list "$b" --grid autonomie-frequence)" "^$id .* 1,1 "
t_ok "check accepts a board with its journal" $TAMIS check "$b"
t_match "the journal holds one operation per line" "$(tail -1 "$T/.b.yaml.journal")" \
	'^[0-9a-f]{8} \{op: move, at: 2019-06-28T15:00:00Z, card: [0-9a-f-]{36}, grid: "autonomie-frequence", x: 1, y: 1\}$'
# A torn last line (a writer killed mid-write) is skipped.
printf '0000dead {op: mo' >>"$T/.b.yaml.journal"
t_ok "a torn journal still loads" $TAMIS check "$b"
t_ok "a write after a torn line works" $TAMIS move "$b" "$id" --grid autonomie-frequence --cell 2,2
t_match "and is seen" "$($TAMIS list "$b" --grid autonomie-frequence)" "^$id .* 2,2 "
t_ok "compact folds the journal into the board" $TAMIS compact "$b"
t_match "the board file now holds the change" "$(grep -A8 "id: $id" "$b")" "autonomie-frequence: \[2, 2\]"
kill $live 2>/dev/null
wait $live 2>/dev/null
t_ok "a command when nobody is live writes the board file" $TAMIS move "$b" "$id" --grid autonomie-frequence --cell 1,2
t_fail "and leaves no journal" test -e "$T/.b.yaml.journal"
t_eq "the board is one clean YAML document" "$(python3 -c 'import sys,yaml; print(len(list(yaml.safe_load_all(open(sys.argv[1])))))' "$b")" "1"
t_eq "side files are never world-writable" "$(find "$T" -perm -o+w -type f | wc -l)" "0"
