/*
 * sign.h - signed facilitator operations: this account's key, and signing
 * and verifying operations and decisions (Ed25519, from libsodium).
 *
 * Anyone who can write a shared board can append a journal line saying
 * "fac: true, by: claire". A signature cannot stop that, but it makes it
 * detectable; docs/RELIABILITY.md ("Signed facilitator operations") gives
 * the threat model. The design:
 *
 * Key storage. Each account has one key pair, in SIGN_KEY_FILE inside
 * $XDG_CONFIG_HOME/tamis/ (or $HOME/.config/tamis/ when XDG_CONFIG_HOME is
 * not an absolute path). It is created on first need (a facilitator
 * opening a board, a facilitator command), mode 0600 in a directory made
 * 0700, and refused, with the reason, when it is not a regular file (a
 * symbolic link included), belongs to another user or can be read by
 * others, or when the directory can be written by others. The file holds
 * the 32-byte seed (and the public key, checked) in base64.
 *
 * Key ids. A public key is written "ed25519:" and its 32 bytes in base64
 * (SIGN_KEY_ID_LEN characters, one spelling per key); people compare its
 * fingerprint, the first 8 bytes of its BLAKE2b-256 hash in hex.
 *
 * What is signed. An operation's line as store_format_op() writes it
 * without its key and sig fields, which come last: what is signed is what
 * the journal holds. Verifying formats the parsed operation again, so a
 * line that parses to the same operation verifies. A decision also names
 * the card's text as decided (text2, filled in when signing), so that its
 * entry in the decision log is covered whole but for 'from'.
 *
 * The board lists the facilitators' public keys (struct facilitator_key,
 * "facilitator_keys" in the file), one per name. An operation made with
 * facilitator rights is verified when its 'by' names a listed key, it
 * carries that key, and the signature holds.
 *
 * Enrolment. A facilitator instance whose key the board does not list for
 * its name adds it before its first facilitator change, with a "key-add"
 * operation signed by that key (proof that it holds it). A key-add is
 * refused when the name already has another key.
 *
 * The no-key rule. A board that lists no key (every board made before
 * this, or whose facilitator cannot sign) is not checked: facilitator
 * operations keep their rights, signed or not, and decisions read "not
 * signed". Once a board lists a key, a facilitator operation whose
 * signature is missing or wrong is unverified.
 *
 * Rights. Every instance applying a journal line calls sign_op_check()
 * first: an unverified operation is applied as a pair's (it loses its
 * facilitator rights, so a decision, lock, zone or frame change is
 * refused), by every instance alike. The instance that makes an operation
 * goes through sign_prepare_op(), which signs it, or takes its rights away
 * the same way and says why.
 *
 * Decisions stay verifiable after compaction: the decision log's entry
 * keeps the operation's key and signature, and the operation's line is
 * built again from the entry (sign_decision_status()).
 *
 * No curses; the only I/O is the key file. Messages are translated.
 */
#ifndef TAMIS_SIGN_H
#define TAMIS_SIGN_H

#include <stdbool.h>
#include <stddef.h>

#include "board.h"
#include "op.h"
#include "strbuf.h"

#define SIGN_KEY_PREFIX "ed25519:"
#define SIGN_KEY_ID_LEN 52        /* "ed25519:" and 44 base64 characters */
#define SIGN_SIG_LEN 88           /* a 64-byte signature in base64 */
#define SIGN_FINGERPRINT_LEN 16   /* hex digits */
#define SIGN_KEY_FILE "signing.key"

/* This account's key pair, or why it has none. */
struct sign_key {
	bool ok;                       /* loaded: pk, sk and id are set */
	unsigned char pk[32];
	unsigned char sk[64];          /* secret: wiped by sign_key_release() */
	char id[SIGN_KEY_ID_LEN + 1];  /* the public key, "ed25519:..." */
	char *problem;                 /* not ok: why (owned), NULL if never loaded */
};

#define SIGN_KEY_INIT { false, { 0 }, { 0 }, { 0 }, NULL }

/*
 * The directory of this account's key: $XDG_CONFIG_HOME/tamis or
 * $HOME/.config/tamis (caller frees), or NULL with the reason in err when
 * neither variable holds an absolute path.
 */
char *sign_key_dir(struct strbuf *err);

/*
 * Loads this account's key from sign_key_dir(), creating it (and the
 * directory) when there is none. Returns 0, or -1 with the reason appended
 * to err and also kept in k->problem.
 */
int sign_key_load(struct sign_key *k, struct strbuf *err);
/* The same for the key file at path, created only when create is true. */
int sign_key_load_file(struct sign_key *k, const char *path, bool create, struct strbuf *err);
/* Wipes the secret and frees what k holds; k is SIGN_KEY_INIT again. */
void sign_key_release(struct sign_key *k);

/* True when id is "ed25519:" and a 32-byte key in canonical base64. */
bool sign_key_id_valid(const char *id);
/* True when sig is a 64-byte signature in canonical base64. */
bool sign_sig_valid(const char *sig);
/* The fingerprint of a key id (hex), or "?" for an invalid id. */
void sign_fingerprint(const char *id, char out[SIGN_FINGERPRINT_LEN + 1]);

/* Appends the bytes an operation's signature covers (see above). */
void sign_op_canonical(const struct board *b, const struct op *op, struct strbuf *out);
/* Signs op with k (which must be ok): sets op->key and op->sig. */
void sign_op(const struct board *b, const struct sign_key *k, struct op *op);
/* True when op carries a key and a signature and the signature holds. */
bool sign_op_signature_ok(const struct board *b, const struct op *op);

enum sign_status {
	SIGN_UNSIGNED,   /* nothing to verify: no facilitator rights, or the board lists no key */
	SIGN_VERIFIED,
	SIGN_UNVERIFIED, /* the signature is missing or wrong */
};

/* "verified", "unverified", "not signed" (translated). */
const char *sign_status_name(enum sign_status status);

/*
 * The status of op as applied next on b (see above); for SIGN_UNVERIFIED
 * the reason is appended to why (if non-NULL). A key-add is verified when
 * self-signed for a name without another key, whatever the board lists.
 */
enum sign_status sign_op_status(const struct board *b, const struct op *op, struct strbuf *why);
/*
 * Before applying an operation from the journal: takes facilitator rights
 * away from an unverified one. Returns true when it did.
 */
bool sign_op_check(const struct board *b, struct op *op);

/*
 * Gets op, about to be applied to b by this account with key k (NULL: none),
 * ready for the journal, under the writers' lock: a pair's op loses any key
 * and sig; a facilitator's is signed, after a key-add listing k for op->by
 * (applied to b and recorded in ops) when the board does not list it yet. On
 * a board that lists no key, an op that cannot be signed (no usable key, no
 * name) goes unsigned. Returns 0 when op is ready, 1 when it could not be
 * signed so that it verifies: its facilitator rights are then taken away,
 * as every other instance would, and why says why (for the message when op
 * is then refused).
 */
int sign_prepare_op(struct board *b, const struct sign_key *k, struct op *op,
		    struct op_list *ops, struct strbuf *why);

/*
 * The status of an entry of b's decision log: verified when its operation,
 * built again from the entry, was signed by the key b lists for its 'by';
 * not signed when it carries no signature and b lists no key; else
 * unverified (reason appended to why).
 */
enum sign_status sign_decision_status(const struct board *b, const struct decision_entry *d,
				      struct strbuf *why);
/*
 * The status of card's decision: that of its last entry in the decision
 * log (*entry, NULL when none), unverified when the board lists keys and
 * the card is decided without an entry or otherwise than its last entry
 * says. An undecided card without an entry is SIGN_UNSIGNED.
 */
enum sign_status sign_card_decision(const struct board *b, const struct card *card,
				    const struct decision_entry **entry, struct strbuf *why);
/*
 * The last entry of b's decision log for each card of b, in the order of
 * b->cards (NULL for a card without one): what sign_card_decision() looks
 * for, for every card in one go. The array is the caller's to free().
 */
const struct decision_entry **sign_last_entries(const struct board *b);
/*
 * The same when card's last entry in the decision log is known (d, NULL when
 * none) and so is that entry's own status, entry (sign_decision_status(),
 * its reason already in why, which the card's own reason replaces when it
 * has one): for callers going through many cards.
 */
enum sign_status sign_card_entry_status(const struct board *b, const struct card *card,
					const struct decision_entry *d, enum sign_status entry,
					struct strbuf *why);

#endif
