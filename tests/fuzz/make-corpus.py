#!/usr/bin/env python3
"""tests/fuzz/make-corpus.py - (re)builds the seed corpora tests/fuzz/corpus/NAME/.

    python3 tests/fuzz/make-corpus.py

store:   the sample board, the tests' boards (tests/tui/data, tests/bad), the
         YAML blocks of docs/FORMAT.md, and every YAML string of the unit tests
         (C string literals, adjacent ones joined, ID macros expanded);
import:  the idea files of tests/unit/test_import.c and a few written here;
journal: journal bodies ("CRC32HEX SP payload" lines) made of the operation
         lines of the unit tests, of docs/FORMAT.md and of OPS below (valid
         operations on the fixed board of tests/fuzz/fuzz.h), a few torn;
ui:      event sequences in fuzz_ui.c's byte language (UI below), one per
         scenario of the terminal board: moves by keys and mouse, adding,
         editing, deleting, the details, search, the sieve, undo, resizes,
         pastes, the name prompt and the facilitator's keys.

Files are named after their source and deduplicated; each corpus stays well
under 1 MB. Rerun it after adding fixtures; commit the result.
"""
import glob
import hashlib
import os
import re
import shutil
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
LIMIT = 1 << 20


def c_strings(path):
    """Every group of adjacent C string literals of a file, as bytes."""
    src = open(path, encoding='utf-8').read()
    macros = dict((m.group(1), m.group(2)) for m in
                  re.finditer(r'^#define\s+(\w+)\s+"((?:[^"\\]|\\.)*)"\s*$', src, re.M))
    tok = re.compile(r'//[^\n]*|/\*.*?\*/|\'(?:[^\'\\]|\\.)*\'|"((?:[^"\\\n]|\\.)*)"|(\w+)|(\s+)|(.)',
                     re.S)
    groups, cur = [], None
    for m in tok.finditer(src):
        lit, word, space = m.group(1), m.group(2), m.group(3)
        if lit is not None or (word in macros and cur is not None):
            text = lit if lit is not None else macros[word]
            cur = (cur or b'') + unescape(text)
        elif word in macros and cur is None:
            cur = unescape(macros[word])
        elif space is not None or (m.group(0).startswith(('//', '/*'))):
            continue
        else:
            if cur is not None:
                groups.append(cur)
            cur = None
    if cur is not None:
        groups.append(cur)
    return groups


def unescape(s):
    out, i = bytearray(), 0
    simple = {'n': 10, 't': 9, 'r': 13, '0': 0, '\\': 92, '"': 34, "'": 39, 'a': 7,
              'b': 8, 'f': 12, 'v': 11, '?': 63, 'e': 27}
    while i < len(s):
        c = s[i]
        if c != '\\':
            out += c.encode('utf-8')
            i += 1
            continue
        n = s[i + 1]
        if n == 'x':
            j = i + 2
            while j < len(s) and s[j] in '0123456789abcdefABCDEF':
                j += 1
            out.append(int(s[i + 2:j], 16) & 0xFF)
            i = j
        elif n in '01234567':
            j = i + 1
            while j < len(s) and j < i + 4 and s[j] in '01234567':
                j += 1
            out.append(int(s[i + 1:j], 8) & 0xFF)
            i = j
        elif n in 'uU':
            k = 4 if n == 'u' else 8
            out += chr(int(s[i + 2:i + 2 + k], 16)).encode('utf-8')
            i += 2 + k
        else:
            out.append(simple.get(n, ord(n)))
            i += 2
    return bytes(out)


def md_blocks(path, lang):
    text = open(path, encoding='utf-8').read()
    return [b.encode('utf-8') for b in re.findall(r'```' + lang + r'\n(.*?)```', text, re.S)]


class Corpus:
    def __init__(self, name):
        self.dir = os.path.join(HERE, 'corpus', name)
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        self.seen, self.size, self.n = set(), 0, 0

    def add(self, source, data):
        h = hashlib.sha1(data).hexdigest()
        if h in self.seen or self.size + len(data) > LIMIT:
            return
        self.seen.add(h)
        self.size += len(data)
        self.n += 1
        with open(os.path.join(self.dir, '%s-%s' % (source, h[:8])), 'wb') as f:
            f.write(data)


def frame(payload):
    return b'%08x %s\n' % (zlib.crc32(payload) & 0xFFFFFFFF, payload)


# Valid operations on the fixed board of tests/fuzz/fuzz.h.
C0 = '00000000-0000-4000-8000-000000000001'
C1 = '6f1c2a8e-5b3d-4c1e-9a7f-2d4e6b8c0a1f'
C2 = '0b7e3c11-2f4a-4d8b-8c6e-1a2b3c4d5e6f'
OPS = [
    '{op: move, at: 2019-06-28T10:12:00Z, by: "A", card: ' + C0 + ', grid: "g", x: 1, y: 2}',
    '{op: move, at: 2019-06-28T10:13:00Z, by: "A", card: ' + C0 + ', grid: "g", x: 0, y: 0}',
    '{op: move, at: 2019-06-28T10:14:00Z, by: "B", card: ' + C2 + ', grid: "autonomie-frequence", x: 2, y: 2}',
    '{op: move, at: 2019-06-28T10:14:30Z, fac: true, card: ' + C1 + ', grid: "g", x: 3, y: 3}',
    '{op: text, at: 2019-06-28T10:15:00Z, by: "A", card: ' + C0 + ', text: "Navette\\nentre « les » sites \\e[31m"}',
    '{op: theme, at: 2019-06-28T10:16:00Z, by: "A", card: ' + C0 + ', name: "conciergerie"}',
    '{op: note, at: 2019-06-28T10:17:00Z, by: "A", card: ' + C0 + ', text: "à voir"}',
    '{op: note, at: 2019-06-28T10:17:30Z, by: "A", card: ' + C0 + '}',
    '{op: pair, at: 2019-06-28T10:18:00Z, by: "A", card: ' + C2 + ', text: "Binôme 2"}',
    '{op: decide, at: 2019-06-28T10:19:00Z, by: "claire", fac: true, card: ' + C0 + ', text: "oui", value: 2}',
    '{op: lock, at: 2019-06-28T10:20:00Z, by: "claire", fac: true, card: ' + C0 + ', value: 1}',
    '{op: lock, at: 2019-06-28T10:20:30Z, by: "claire", fac: true, card: ' + C1 + ', value: 0}',
    '{op: zone-add, at: 2019-06-28T10:21:00Z, fac: true, grid: "g", name: "Z", x: 1, value: 4}',
    '{op: zone-cell, at: 2019-06-28T10:22:00Z, fac: true, grid: "g", name: "Z", x: 2, y: 2}',
    '{op: zone-cell, at: 2019-06-28T10:22:30Z, fac: true, grid: "g", x: 2, y: 2}',
    '{op: zone-delete, at: 2019-06-28T10:23:00Z, fac: true, grid: "autonomie-frequence", name: "V2 — plus tard"}',
    '{op: theme-add, at: 2019-06-28T10:24:00Z, fac: true, name: "sante", text: "Santé", value: 6}',
    '{op: criterion, at: 2019-06-28T10:25:00Z, fac: true, name: "cout", text: "Peu coûteux", text2: "Coûteux", value: 0}',
    '{op: grid-add, at: 2019-06-28T10:26:00Z, fac: true, grid: "autonomie-cout", text: "autonomie", text2: "cout", value: 3}',
    '{op: grid-cells, at: 2019-06-28T10:27:00Z, fac: true, grid: "g", value: 9}',
    '{op: grid-cells, at: 2019-06-28T10:27:30Z, fac: true, grid: "g", value: 2}',
    '{op: title, at: 2019-06-28T10:28:00Z, fac: true, text: "Atelier « V2 »"}',
    '{op: add, at: 2019-06-28T10:29:00Z, by: "A", card: {id: 00000000-0000-4000-8000-000000000002, '
    'text: "Crèche", theme: "mobilite", by: "A", created: 2019-06-28T10:29:00Z, '
    'place: {"g": [2, 3]}, history: [{at: 2019-06-28T10:29:00Z, by: "A", event: created}]}, x: 1}',
    '{op: delete, at: 2019-06-28T10:30:00Z, by: "A", card: 00000000-0000-4000-8000-000000000002}',
    '{op: delete, at: 2019-06-28T10:31:00Z, fac: true, card: ' + C0 + '}',
]
OPS = [op.encode('utf-8') for op in OPS]

IDEAS = [
    ('text', 'Navette entre les sites\nAide : démarches en ligne\n\nMobilité: vélos\n'
             'Rappel du 12/06: réunion\nNote: à 10:30 le matin\nhttp://example.org\n'),
    ('text-crlf', '\ufeffCrèche d\'entreprise\r\nSanté : salle de sport\r\n  espaces  verts  \r'),
    ('text-dup', 'Navette entre les sites\nnavette   ENTRE les sites\nΣίσυφος\nσίσυφοσ\n'),
    ('csv', 'text,theme,by\nNavette,mobilite,Binôme 1\n"Vélo, ""électrique""",Mobilité,\n'
            '"deux\nlignes",,A\n,,\n'),
    ('csv-semicolon', 'Texte;Thème;Par;Autre\nCrèche;Vie quotidienne & conciergerie;B;x\n'
                      'Pressing;nouveau thème;;\n'),
    ('csv-bad', 'text,theme\n"unterminated,x\n'),
    ('csv-notext', 'idea,theme,by\na,b,c\n'),
    ('csv-wide', 'text;theme\na;b;c\n'),
    ('bad-utf8', b'ok\n\xff\xfe bad\n'),
    ('nul', b'a\x00b\n'),
    ('utf16', '\ufeffidée\n'.encode('utf-16-le')),
]


def ui_keys():
    """fuzz_ui.c's key table, in its order."""
    text = open(os.path.join(HERE, 'fuzz_ui.c'), encoding='utf-8').read()
    table = re.search(r'fuzz_ui_keys\[\] = \{(.*?)\};', text, re.S).group(1)
    return re.findall(r'"((?:[^"\\]|\\.)*)"', table)


def ui_seq(who, size, *steps):
    """One input of fuzz_ui: who plays (pair, ask, facilitator), colours or
    not ('mono'), the starting size's index, then the steps: key names of
    fuzz_ui_keys, ('type', text), ('paste', text), ('mouse', ACTION, X, Y),
    ('resize', COLS, ROWS) or 'poll'."""
    keys = ui_keys()
    mono = who.endswith('-mono')
    who = who.replace('-mono', '')
    first = {'pair': 0, 'ask': 1, 'facilitator': 3}[who] | (4 if mono else 0) | (size << 3)
    out = bytearray([first])
    actions = ['press', 'release', 'drag', 'wheel-up', 'wheel-down']
    for st in steps:
        if st == 'poll':
            out.append(0xF0)
        elif isinstance(st, tuple) and st[0] in ('type', 'paste'):
            # Text goes in chunks of 16 (typed) or 8 (pasted) bytes.
            data = st[1].encode('utf-8') if isinstance(st[1], str) else st[1]
            base, most = (0xE0, 16) if st[0] == 'type' else (0xD8, 8)
            for i in range(0, len(data), most):
                chunk = data[i:i + most]
                out.append(base + len(chunk) - 1)
                out += chunk
        elif isinstance(st, tuple) and st[0] == 'mouse':
            out += bytes([0xC0 + actions.index(st[1]), st[2], st[3]])
        elif isinstance(st, tuple) and st[0] == 'resize':
            out += bytes([0xD0, st[1] - 1, st[2] - 1])
        else:
            out.append(keys.index(st))
    return bytes(out)


# Each scenario of the terminal board (80x24 is size 0, 100x30 size 1).
UI = [
    ('move', ui_seq('pair', 0, '<Enter>', '<Right>', '<Enter>', '<Down>', '<Enter>', '<Down>',
                    '<Down>', '<Enter>', 'q')),
    ('move-esc', ui_seq('pair', 1, 'l', 'j', '<Enter>', 'k', 'h', '<Esc>', 'j', '<Enter>', 'j',
                        '<Enter>')),
    ('add', ui_seq('pair', 0, 'a', ('type', 'Nouvelle idée 🚲 東京'), '<Left>', '<BS>',
                   '<Home>', '<Del>', '<C-e>', '<Enter>', '<Down>', '<Enter>', '<Enter>',
                   '<Right>', '<Enter>')),
    ('add-letter', ui_seq('pair', 0, 'a', ('type', 'x'), '<Enter>', 'M', 'a', '<Enter>',
                          'a', ('type', '  '), '<Enter>', 'a', ('type', 'y'), '<Esc>')),
    ('edit', ui_seq('pair', 1, 'e', '<C-u>', ('type', 'Texte changé'), '<C-a>', '<C-k>',
                    ('type', 'Autre'), '<Enter>', 't', '<Down>', '<Enter>', 'u', 'u', '<C-r>')),
    ('delete', ui_seq('pair', 0, 'x', 'n', 'x', 'y', 'u', '<Down>', 'x', 'y', '<C-r>')),
    ('details', ui_seq('pair', 1, 'i', '<Down>', '<PgDn>', '<PgUp>', '<Right>', '<Tab>', 'i',
                       '<Esc>', '?', '<Down>', '<PgDn>', '<Up>', '<Esc>')),
    ('search', ui_seq('pair', 0, '/', ('type', 'vél'), '<BS>', ('type', 'l'), '<Enter>', 'n',
                      'n', 'N', '/', ('type', 'zzz'), '<Enter>', '<Esc>', '/', '<Esc>')),
    ('sieve', ui_seq('pair', 1, 's', '1', '1', '2', '3', '9', '>', '>', '>', '<lt>', 'r', 'f',
                     'f', 'f', '<Down>', '<PgDn>', '<End>', '<Home>', '<Up>', 'j', 'k',
                     '<Enter>', 's', 's', '<Esc>')),
    ('tabs', ui_seq('pair', 0, '<Tab>', '<Tab>', '<S-Tab>', '2', '1', '9', '<Tab>', '<Enter>',
                    '<Up>', '<Enter>')),
    ('mouse', ui_seq('pair', 0, ('mouse', 'press', 20, 6), ('mouse', 'release', 20, 6),
                     ('mouse', 'press', 20, 6), ('mouse', 'drag', 30, 12),
                     ('mouse', 'drag', 50, 12), ('mouse', 'release', 50, 12),
                     ('mouse', 'press', 5, 20), ('mouse', 'release', 50, 5),
                     ('mouse', 'wheel-down', 50, 6), ('mouse', 'wheel-up', 50, 6),
                     ('mouse', 'wheel-down', 5, 20), ('mouse', 'press', 30, 0),
                     ('mouse', 'press', 200, 200), ('mouse', 'release', 0, 0))),
    ('resize', ui_seq('pair', 0, ('resize', 30, 10), '<Enter>', 'q', ('resize', 1, 1),
                      ('resize', 40, 12), '<Enter>', '<Right>', ('resize', 160, 60), '<Enter>',
                      ('resize', 64, 20), 'i', ('resize', 20, 5), '<Esc>', ('resize', 100, 30))),
    ('paste', ui_seq('pair', 0, 'a', ('paste', 'Collé\nsur deux\tlignes \x1b]0;x\x07 \x1b[2J'),
                     '<Enter>', '<Enter>', '/', ('paste', 'Coll'), '<Enter>')),
    ('controls', ui_seq('pair', 0, 'a', ('type', b'ctl \x01\x1b[31m \xc2\x9b \xe2\x80\xae \xff\xfe'),
                        '<Enter>', '<Enter>', 'e', '<End>', ('type', b'\x7f\x08'), '<Enter>')),
    ('name', ui_seq('ask', 0, ('type', 'Binôme 4'), '<Enter>', '<Enter>', '<Right>', '<Enter>')),
    ('name-esc', ui_seq('ask', 1, '<Esc>', 'a', ('type', 'anonyme'), '<Enter>', '<Enter>')),
    ('mono', ui_seq('pair-mono', 2, '<Enter>', '<Up>', '<Enter>', 'm', 'd', 'm')),
    ('facilitator-lock', ui_seq('facilitator', 1, 'L', '<Enter>', '<Right>', '<Enter>', 'L',
                                '<Down>', 'L', 'u', 'u')),
    ('facilitator-decide', ui_seq('facilitator', 1, 'v', ('type', 'parce que'), '<Enter>', 'v',
                                  '<Tab>', '<Tab>', '<Enter>', 'v', '<Esc>', 'd', 'd', 'R',
                                  's', 'v', '<Enter>', 'L', '<Esc>')),
    ('facilitator-zone', ui_seq('facilitator', 1, 'z', '<Space>', '<Right>', '<Space>',
                                '<Enter>', ('type', 'Zone A'), '<Enter>', '<Down>', '<Enter>',
                                'e', '<Down>', 'x', 'z', '<Enter>', ('type', 'Zone A'),
                                '<Enter>', '<Esc>', '<Tab>', 'z', '<Enter>',
                                ('type', 'V2 — plus tard'), '<Enter>', 'e', 'e', '<Esc>', 'u')),
    ('poll', ui_seq('pair', 0, 'poll', '<Enter>', '<Right>', 'poll', '<Enter>', 'poll')),
    ('pair-facilitator-keys', ui_seq('pair', 0, 'L', 'v', 'z', 'R', 'm', 'm')),
]


def main():
    store = Corpus('store')
    store.add('sample', open(os.path.join(TOP, 'boards/comptoir-des-services.yaml'), 'rb').read())
    for p in sorted(glob.glob(os.path.join(TOP, 'tests/tui/data/*.yaml')) +
                    glob.glob(os.path.join(TOP, 'tests/data/**/*.yaml'), recursive=True)):
        store.add('data-' + os.path.basename(p).split('.')[0], open(p, 'rb').read())
    for i, b in enumerate(md_blocks(os.path.join(TOP, 'docs/FORMAT.md'), 'yaml')):
        store.add('format-md-%d' % i, b)
    for p in sorted(glob.glob(os.path.join(TOP, 'tests/unit/*.c'))):
        name = os.path.basename(p)[:-2]
        for s in c_strings(p):
            if len(s) >= 12 and b':' in s and b'\n' in s and not s.startswith(b'{op:'):
                store.add(name, s)
    for p in sorted(glob.glob(os.path.join(TOP, 'tests/bad/*.yaml'))):
        if os.path.getsize(p) < 65536:
            store.add('bad-' + os.path.basename(p).split('.')[0], open(p, 'rb').read())

    ideas = Corpus('import')
    for name, text in IDEAS:
        ideas.add('ideas-' + name, text if isinstance(text, bytes) else text.encode('utf-8'))
    for s in c_strings(os.path.join(TOP, 'tests/unit/test_import.c')):
        if len(s) >= 2 and (b'\n' in s or b',' in s or b';' in s):
            ideas.add('test_import', s)
    for p in sorted(glob.glob(os.path.join(TOP, 'tests/data/**/*.csv'), recursive=True)):
        ideas.add('data-csv', open(p, 'rb').read())

    journal = Corpus('journal')
    lines = list(OPS)
    for p in sorted(glob.glob(os.path.join(TOP, 'tests/unit/*.c'))):
        lines += [s for s in c_strings(p) if s.startswith(b'{op:')]
    for b in md_blocks(os.path.join(TOP, 'docs/FORMAT.md'), 'yaml'):
        lines += [l for l in b.split(b'\n') if l.startswith(b'{op:')]
    for i, l in enumerate(lines):
        journal.add('op', frame(l))
    journal.add('all-ops', b''.join(frame(l) for l in OPS))
    journal.add('torn', frame(OPS[0]) + b'deadbeef ' + OPS[1] + b'\n' + frame(OPS[2]) +
                b'zz\n\n' + frame(OPS[3])[:-1])
    journal.add('unterminated', frame(OPS[0]) + frame(OPS[1])[:30])
    journal.add('crlf', frame(OPS[0] + b'\r'))
    journal.add('header-again', b'tamis-journal 1 16110 5eed1234\n' + frame(OPS[0]))
    journal.add('empty', b'')
    # Fold records (docs/SHARING.md): skipped by readers, framed like the rest.
    journal.add('fold-records', frame(OPS[0]) +
                frame(b'!fold 16110 5eed1234 2049 1234567 1765000000 123456789') +
                frame(OPS[1]) + frame(b'!fold not-a-number'))

    ui = Corpus('ui')
    for name, data in UI:
        ui.add('ui-' + name, data)

    for c in (store, ideas, journal, ui):
        print('%-40s %4d files, %7d bytes' % (os.path.relpath(c.dir, TOP), c.n, c.size))


main()
