# tamis report -o (issue 14, "nothing acknowledged is ever lost"): it once
# replaced the board itself with Markdown ('report BOARD -o BOARD', exit 0).
# Now -o makes a new file; an existing one is replaced only with --force, and
# a board never, not even with --force: the one reported (by its name, a
# symbolic link or a hard link), its side files, or any other board.
. "$TAMIS_TOP/tests/lib.sh"
DATA=$TAMIS_TOP/tests/tui/data/atelier.yaml

cd "$T" || exit 1
cp "$DATA" b.yaml
sum() { cksum <"$1"; }
board=$(sum b.yaml)
# what=WHAT file=FILE before=CKSUM refused OUT [--force]: 'report b.yaml -o OUT'
# is refused with exit 73, in one line naming FILE, which is left untouched.
refused() {
	out=$("$TAMIS" report b.yaml -o "$@" 2>&1)
	t_eq "$what: refused (73)" "$?" 73
	t_eq "$what: one line" "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 1
	t_match "$what: naming the file" "$out" "^tamis: cannot write the report to '$file': "
	t_eq "$what: the file is untouched" "$(sum "$file")" "$before"
}

what="report b.yaml -o b.yaml" file=b.yaml before=$board refused b.yaml
t_match "it says the board is never replaced" "$out" "it is the board being reported, .*not even with --force"
what="report b.yaml -o b.yaml --force" file=b.yaml before=$board refused b.yaml --force
t_ok "the board still loads" "$TAMIS" check b.yaml

ln -s b.yaml link.yaml
what="-o through a symbolic link, --force" file=link.yaml before=$board refused link.yaml --force
t_eq "the link is still a link to the board" "$(readlink link.yaml)" b.yaml
ln b.yaml hard.md
what="-o through a hard link, --force" file=hard.md before=$board refused hard.md --force
mkdir sub
ln -s ../b.yaml sub/up.yaml
what="-o through a link in another directory, --force" file=sub/up.yaml before=$board \
	refused sub/up.yaml --force

cp "$DATA" other.yaml
other=$(sum other.yaml)
what="-o over another board, --force" file=other.yaml before=$other refused other.yaml --force
t_match "it says it is a board" "$out" "'other.yaml': it is a board, never replaced"
cp "$DATA" other.md
what="-o over a board named .md, --force" file=other.md before=$other refused other.md --force

"$TAMIS" add b.yaml "une idée" >/dev/null
board=$(sum b.yaml)
lock=$(sum .b.yaml.lock)
what="-o over the board's lock file, --force" file=.b.yaml.lock before=$lock \
	refused .b.yaml.lock --force
t_match "it says it is one of the board's files" "$out" "it is a file of the board being reported"
: >.b.yaml.live
live=$(sum .b.yaml.live)
what="-o over the board's presence file, --force" file=.b.yaml.live before=$live \
	refused .b.yaml.live --force
printf 'tamis-conflicts 1\n' >.b.yaml.conflicts
conflicts=$(sum .b.yaml.conflicts)
what="-o over the board's conflicts file, --force" file=.b.yaml.conflicts before=$conflicts \
	refused .b.yaml.conflicts --force
t_eq "the board is untouched by all of these" "$(sum b.yaml)" "$board"

printf 'mes notes\n' >notes.md
notes=$(sum notes.md)
what="-o over a plain file without --force" file=notes.md before=$notes refused notes.md
t_match "it says --force replaces it" "$out" "'notes.md': it exists \(--force replaces it\)$"
t_exit "-o over a plain file with --force: done (0)" 0 "$TAMIS" report b.yaml -o notes.md --force
t_match "the file is now the report" "$(head -1 notes.md)" "^# Atelier du jeudi"
t_exit "-o a new file: done (0)" 0 "$TAMIS" report b.yaml -o new.md
t_ok "the new file is the report" cmp new.md notes.md
t_exit "--force without -o: a usage error (64)" 64 "$TAMIS" report b.yaml --force

out=$("$TAMIS" report --help)
t_match "report --help shows --force" "$out" "^Usage: tamis report FILE \[-o OUT \[--force\]\]"
t_match "report --help says a board is never replaced" "$out" "a report never replaces a board"
