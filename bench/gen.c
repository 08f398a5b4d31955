/*
 * gen.c - writes the benchmark's boards: deterministic, French, realistic.
 *
 *   gen CARDS FILE
 *
 * The same CARDS always give the same bytes. Every board has 7 themes, 3
 * criteria and 3 grids (2x2, 3x3 and 4x4 cells); every card is placed on
 * every grid, as after a workshop where pairs placed each card on each grid,
 * so each card carries a "created" event and one "moved" event per grid in
 * its history, sometimes a second move (a debate), a note, a pair or a
 * decision (then also in the decision log). Card texts are French, 20 to 160
 * characters, built from fragments of real workshop cards.
 *
 * The board is built with the model (board.h) and written by store_format(),
 * so the file is exactly what tamis itself writes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "store.h"
#include "strbuf.h"

static uint64_t gen_state = 0x7a6d69732d62656eULL; /* "tamis-ben" */

/* splitmix64: small, fast, the same everywhere. */
static uint64_t gen_next(void)
{
	uint64_t z = (gen_state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static size_t gen_below(size_t n)
{
	return (size_t)(gen_next() % n);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const gen_heads[] = {
	"Atelier de réparation de vélos",
	"Permanence juridique gratuite",
	"Réception de colis sur le lieu de travail",
	"Plateforme de covoiturage entre agents",
	"Conseil logement et accès au parc social",
	"Bourse aux vêtements et jouets d’enfants",
	"Garde d’enfants d’urgence",
	"Cours de yoga à la pause déjeuner",
	"Paniers de légumes d’un maraîcher local",
	"Aide aux démarches administratives en ligne",
	"Prêt de vélos électriques",
	"Pressing et retouches",
	"Salle de sieste",
	"Frigos partagés anti-gaspillage",
	"Écrivain public",
	"Soutien scolaire pour les enfants des agents",
	"Billetterie à tarif réduit",
	"Ligne d’écoute psychologique",
	"Passeport et carte d’identité sur rendez-vous",
	"Lavage de voitures sur le parking",
	"Cordonnerie et clés minute",
	"Food trucks tournants",
	"Dépôt de pain frais et de viennoiseries",
	"Atelier de cybersécurité",
	"Annuaire de baby-sitters recommandés",
	"Guichet unique des services aux agents",
	"Impression et numérisation de documents",
	"Commande groupée d’épicerie en vrac",
	"Bornes de recharge pour voitures électriques",
	"Conciergerie numérique",
};

static const char *const gen_tails[] = {
	" pour les agents du site nord",
	" tous les mardis midi",
	" avec inscription la veille sur l’intranet",
	" en partenariat avec les associations du quartier",
	", ouvert aussi aux prestataires",
	" à tarif négocié par le comité d’entreprise",
	" dans le hall du bâtiment B",
	" pendant les vacances scolaires",
	" 🚲",
	" — à tester d’abord sur un étage",
	", sur rendez-vous uniquement",
	" avec un référent par service",
	" et un créneau réservé aux horaires décalés",
	" (idée déjà lancée à Lyon, à reprendre)",
	" : budget à vérifier avec la direction financière",
};

static const char *const gen_notes[] = {
	"Retenu pour la V1 — un local existe déjà.\nÀ voir avec les services généraux.",
	"Doublon possible avec une carte de la table 2.",
	"Demande forte dans l’enquête de 2018 (62 % des répondants).",
	"Prestataire à trouver ; la mairie a une liste.",
	"Attention au règlement intérieur : accès au parking restreint le week-end.",
};

static const struct { const char *id, *label; enum hue color; } gen_themes[] = {
	{ "mobilite", "Mobilité", HUE_GREEN },
	{ "conciergerie", "Vie quotidienne & conciergerie", HUE_YELLOW },
	{ "sante", "Santé & bien-être", HUE_CYAN },
	{ "famille", "Famille", HUE_MAGENTA },
	{ "demarches", "Démarches & logement", HUE_BLUE },
	{ "numerique", "Numérique", HUE_WHITE },
	{ "alimentation", "Restauration & alimentation", HUE_RED },
};

/* A card text of 20 to 160 characters: a head, 0 to 3 tails. */
static void gen_text(struct strbuf *sb)
{
	size_t k, ntails = gen_below(4);

	strbuf_reset(sb);
	strbuf_addstr(sb, gen_heads[gen_below(N(gen_heads))]);
	for (k = 0; k < ntails; k++)
		strbuf_addstr(sb, gen_tails[gen_below(N(gen_tails))]);
}

/* A cell skewed towards one corner, so that cells fill unevenly as on a real board. */
static int gen_coord(int cells)
{
	int a = 1 + (int)gen_below((size_t)cells), b = 1 + (int)gen_below((size_t)cells);

	return a < b ? a : b;
}

int main(int argc, char **argv)
{
	struct board *b;
	struct strbuf text = STRBUF_INIT, by = STRBUF_INIT, out = STRBUF_INIT;
	const time_t start = 1561712400; /* 2019-06-28T09:00:00Z */
	long ncards;
	size_t i, g;
	FILE *f;

	if (argc != 3 || (ncards = strtol(argv[1], NULL, 10)) < 0) {
		fprintf(stderr, "usage: gen CARDS FILE\n");
		return 64;
	}
	b = board_new("Archive des ateliers « Comptoir des services »");
	board_set_description(b, "Cartes de tous les ateliers de 2019 à 2023, fusionnées pour le "
				 "benchmark (générées, déterministes).");
	board_add_facilitator(b, "claire");
	for (i = 0; i < N(gen_themes); i++)
		board_add_theme(b, gen_themes[i].id, gen_themes[i].label, gen_themes[i].color);
	board_add_criterion(b, "autonomie", "Autonomie de l’usager", "Présence physique nécessaire",
			    POLE_LOW);
	board_add_criterion(b, "frequence", "Exceptionnel", "Fréquent", POLE_HIGH);
	board_add_criterion(b, "centralisation", "Décentralisé", "Centralisé", POLE_HIGH);
	board_add_grid(b, "autonomie-frequence", 0, 1, 2);
	board_add_grid(b, "autonomie-centralisation", 0, 2, 3);
	board_add_grid(b, "frequence-centralisation", 1, 2, 4);

	for (i = 0; i < (size_t)ncards; i++) {
		uuid_t id;
		uint64_t hi = gen_next(), lo = gen_next();
		time_t at = start + (time_t)i * 7;
		struct card *card;
		struct card_event *e;
		int k;

		for (k = 0; k < 8; k++) {
			id[k] = (unsigned char)(hi >> (8 * k));
			id[8 + k] = (unsigned char)(lo >> (8 * k));
		}
		id[6] = (unsigned char)((id[6] & 0x0F) | 0x40); /* version 4 */
		id[8] = (unsigned char)((id[8] & 0x3F) | 0x80); /* RFC 4122 variant */
		gen_text(&text);
		card = board_add_card(b, id, text.buf, gen_below(N(gen_themes)));
		if (!card) {
			fprintf(stderr, "gen: duplicate card id\n");
			return 70;
		}
		strbuf_reset(&by);
		strbuf_addf(&by, "Binôme %zu", 1 + gen_below(12));
		card_set_by(card, by.buf);
		card->created = at;
		e = card_record(card, EVENT_CREATED, at, by.buf);
		(void)e;
		for (g = 0; g < b->ngrids; g++) {
			int cells = b->grids[g].cells;

			board_move_card(b, card, g, gen_coord(cells), gen_coord(cells),
					at + 60 + (time_t)g * 30, by.buf);
		}
		if (gen_below(5) == 0) { /* debated: another pair moved it elsewhere */
			int cells = b->grids[0].cells;

			strbuf_reset(&by);
			strbuf_addf(&by, "Binôme %zu", 1 + gen_below(12));
			board_move_card(b, card, 0, 1 + (int)gen_below((size_t)cells),
					1 + (int)gen_below((size_t)cells), at + 900, by.buf);
		}
		if (gen_below(8) == 0)
			card_set_note(card, gen_notes[gen_below(N(gen_notes))]);
		if (gen_below(4) == 0) {
			strbuf_reset(&by);
			strbuf_addf(&by, "Binôme %zu", 1 + gen_below(12));
			card_set_pair(card, by.buf);
		}
		if (gen_below(10) == 0)
			board_decide(b, card, (enum decision)(1 + gen_below(3)), at + 3600, "claire",
				     gen_below(2) ? "Un local existe déjà" : NULL);
		if (gen_below(50) == 0)
			board_lock_card(b, card, true, at + 3700, "claire");
	}

	store_format(b, &out);
	f = fopen(argv[2], "w");
	if (!f || fwrite(out.buf, 1, out.len, f) != out.len || fclose(f) != 0) {
		perror(argv[2]);
		return 74;
	}
	board_free(b);
	strbuf_release(&text);
	strbuf_release(&by);
	strbuf_release(&out);
	return 0;
}
