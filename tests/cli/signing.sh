# Signed facilitator operations from the command line (src/sign.h): the
# frame commands sign the facilitator's change and list her key on first
# need; where the key lives; a key that cannot be used is said, and on a
# board that lists keys the change is refused rather than made unverifiable.
. "$TAMIS_TOP/tests/lib.sh"

export TAMIS_TIME_NOW=2019-06-28T11:00:00Z
b=$T/b.yaml
q() {
	python3 - "$1" "$2" <<'PY'
import sys, yaml
b = yaml.safe_load(open(sys.argv[1]))
print(eval(sys.argv[2]))
PY
}

"$TAMIS" new "$b" --title Signé >/dev/null
t_exit "a frame change without a name: made, unsigned (a board that lists no key)" 0 \
	"$TAMIS" criterion "$b" frequence --easy flip
t_match "and said so" "$("$TAMIS" criterion "$b" frequence --easy flip 2>&1)" \
	"warning: your facilitator change is not signed: it names nobody"
t_eq "the board lists no key yet" "$(q "$b" 'b.get("facilitator_keys")')" None

t_exit "claire changes the frame" 0 "$TAMIS" criterion "$b" frequence --easy flip --by claire
pub=$(sed -n 's/^public: //p' "$T/config/tamis/signing.key")
t_match "her key is made in \$XDG_CONFIG_HOME/tamis" "$pub" "^ed25519:[A-Za-z0-9+/]{43}=$"
t_eq "and listed on the board" "$(q "$b" '[(k["name"], k["key"], str(k["added"])) for k in b["facilitator_keys"]]')" \
	"[('claire', '$pub', '2019-06-28 11:00:00+00:00')]"
t_exit "her next change is hers too" 0 "$TAMIS" grid "$b" autonomie-frequence --cells 3 --by claire
t_eq "one key, listed once" "$(q "$b" 'len(b["facilitator_keys"])')" 1

# Without XDG_CONFIG_HOME, the key is in ~/.config/tamis.
mkdir -p "$T/h2"
t_exit "bob, without XDG_CONFIG_HOME" 0 env -u XDG_CONFIG_HOME HOME="$T/h2" \
	"$TAMIS" criterion "$b" autonomie --easy flip --by bob
t_ok "his key is in \$HOME/.config/tamis" test -f "$T/h2/.config/tamis/signing.key"
t_eq "both listed" "$(q "$b" '[k["name"] for k in b["facilitator_keys"]]')" "['claire', 'bob']"

# A key others can read is refused: the board lists keys, so nothing is made.
chmod 644 "$T/config/tamis/signing.key"
cp "$b" "$T/before.yaml"
t_exit "a key readable by others: refused (77)" 77 "$TAMIS" criterion "$b" frequence --easy flip --by claire
t_match "saying why and how to fix it" \
	"$("$TAMIS" criterion "$b" frequence --easy flip --by claire 2>&1)" \
	"only the facilitator may criterion \(your facilitator changes cannot be signed: others can read your signing key '.*signing.key' \(mode 0644\): run chmod 600"
t_ok "nothing changed" cmp "$b" "$T/before.yaml"
chmod 600 "$T/config/tamis/signing.key"
t_exit "fixed, it works again" 0 "$TAMIS" criterion "$b" frequence --easy flip --by claire
t_exit "check: every decision verifies (none yet)" 0 "$TAMIS" check --strict "$b"
