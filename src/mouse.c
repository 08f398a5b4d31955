/*
 * mouse.c - xterm mouse reports, SGR and X10 (see mouse.h).
 */
#include "mouse.h"

#include <string.h>

/* Fills m from the button bits b (shared by both encodings); release: an SGR 'm'. */
static void mouse_buttons(unsigned b, int release, struct mouse_report *m)
{
	unsigned low = b & 3;

	m->mods = ((b & 4) ? MOUSE_SHIFT : 0) | ((b & 8) ? MOUSE_META : 0) |
		  ((b & 16) ? MOUSE_CTRL : 0);
	if (b & 128)
		m->button = (int)low + 8;
	else if (b & 64)
		m->button = (int)low + 4;
	else
		m->button = low == 3 ? 0 : (int)low + 1;
	if (b & 32)
		m->action = m->button ? MOUSE_DRAG : MOUSE_MOVE;
	else if (release || m->button == 0)
		m->action = MOUSE_RELEASE;
	else if (m->button == 4)
		m->action = MOUSE_WHEEL_UP;
	else if (m->button == 5)
		m->action = MOUSE_WHEEL_DOWN;
	else
		m->action = MOUSE_PRESS;
}

/* X10: ESC [ M and three bytes. */
static int mouse_parse_x10(const unsigned char *buf, size_t len, struct mouse_report *m)
{
	if (len < 6)
		return 0;
	if (buf[3] < 32)
		return -1;
	mouse_buttons(buf[3] - 32u, 0, m);
	if (buf[4] < 33 || buf[5] < 33) {
		m->action = MOUSE_UNUSABLE;
		m->x = m->y = -1;
	} else {
		m->x = buf[4] - 33;
		m->y = buf[5] - 33;
	}
	return 6;
}

/* SGR: ESC [ < then three decimal numbers separated by ';', then M or m. */
static int mouse_parse_sgr(const unsigned char *buf, size_t len, struct mouse_report *m)
{
	long v[3] = { 0, 0, 0 };
	size_t i = 3;
	int n = 0, digits = 0;

	for (; i < len && i < MOUSE_REPORT_MAX; i++) {
		unsigned char c = buf[i];

		if (c >= '0' && c <= '9') {
			if (++digits > 5)
				return -1;
			v[n] = v[n] * 10 + (c - '0');
		} else if (c == ';' && digits && n < 2) {
			n++;
			digits = 0;
		} else if ((c == 'M' || c == 'm') && digits && n == 2) {
			mouse_buttons((unsigned)v[0] & 255u, c == 'm', m);
			if (v[0] > 255 || v[1] < 1 || v[2] < 1) {
				m->action = MOUSE_UNUSABLE;
				m->x = m->y = -1;
			} else {
				m->x = (int)v[1] - 1;
				m->y = (int)v[2] - 1;
			}
			return (int)i + 1;
		} else {
			return -1;
		}
	}
	return i < MOUSE_REPORT_MAX ? 0 : -1;
}

int mouse_parse(const unsigned char *buf, size_t len, struct mouse_report *m)
{
	static const unsigned char csi[2] = { 27, '[' };
	size_t n = len < 2 ? len : 2;

	memset(m, 0, sizeof(*m));
	if (memcmp(buf, csi, n))
		return -1;
	if (len < 3)
		return 0;
	if (buf[2] == 'M')
		return mouse_parse_x10(buf, len, m);
	if (buf[2] == '<')
		return mouse_parse_sgr(buf, len, m);
	return -1;
}
