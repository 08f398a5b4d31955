/*
 * live_fixture.h - the board the live-sharing unit tests share: one theme,
 * two criteria, a 3x3 grid "g" and three cards numbered 1 to 3 (UUIDs
 * 00000000-0000-4000-8000-00000000000N).
 */
#ifndef TAMIS_TEST_LIVE_FIXTURE_H
#define TAMIS_TEST_LIVE_FIXTURE_H

static const char board_yaml[] =
	"tamis: 1\n"
	"title: Live\n"
	"themes:\n"
	"  - id: t\n"
	"    label: Thème\n"
	"    color: green\n"
	"criteria:\n"
	"  - id: a\n"
	"    low: a-\n"
	"    high: a+\n"
	"    easy: low\n"
	"  - id: b\n"
	"    low: b-\n"
	"    high: b+\n"
	"    easy: high\n"
	"grids:\n"
	"  - id: g\n"
	"    x: a\n"
	"    y: b\n"
	"    cells: 3\n"
	"cards:\n"
	"  - id: 00000000-0000-4000-8000-000000000001\n"
	"    text: one\n"
	"    theme: t\n"
	"    decision: undecided\n"
	"  - id: 00000000-0000-4000-8000-000000000002\n"
	"    text: two\n"
	"    theme: t\n"
	"    decision: undecided\n"
	"  - id: 00000000-0000-4000-8000-000000000003\n"
	"    text: three\n"
	"    theme: t\n"
	"    decision: undecided\n";

#endif
