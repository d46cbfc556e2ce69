// The split-reference reader (yaml-keys.ts) on its own: which keys share a mapping, each value's
// text and place, and where an empty value would be written. Found worth a table of its own by
// mutation testing (docs/mutation-testing.md): scan-file.test.ts sees it only through findings.
import { describe, expect, it } from 'vitest';
import { sourceLines } from '../../../src/refs/source-lines.js';
import { readMappings } from '../../../src/refs/yaml-keys.js';

/** Each mapping as `key: [value, line, start, end, insertPrefix]`, in the order they end. */
function mappings(text: string): Record<string, [string | null, number, number, number, string]>[] {
  return readMappings(sourceLines(text.split('\n'), false)).map((keys) =>
    Object.fromEntries([...keys].map(([key, kv]) => [key, [kv.value, kv.line, kv.start, kv.end, kv.insertPrefix]])),
  );
}

describe('readMappings', () => {
  it.each<[string, string, ReturnType<typeof mappings>]>([
    ['quoted values, an escaped single quote', "image:\n  repository: \"docker.io/x/y\"\n  tag: 'it''s'\n", [{ repository: ['docker.io/x/y', 1, 15, 28, ''], tag: ["it''s", 2, 8, 13, ''] }]],
    ['an escaped double quote', 'image: "x\\"y"\ntag: v\n', [{ image: ['x\\"y', 0, 8, 12, ''], tag: ['v', 1, 5, 6, ''] }]],
    ['anchors and tags before the value', 'image: &img docker.io/x/y\ntag: !!str 1.0\n', [{ image: ['docker.io/x/y', 0, 12, 25, ''], tag: ['1.0', 1, 11, 14, ''] }]],
    ['comments after the values', 'a:\n  image: docker.io/x/y # c\n  tag: v1 #c\n', [{ image: ['docker.io/x/y', 1, 9, 22, ''], tag: ['v1', 2, 7, 9, ''] }]],
    ['a JSON comma; `~` is no value', 'a:\n  image: docker.io/x/y,\n  tag: ~\n', [{ image: ['docker.io/x/y', 1, 9, 22, ''], tag: [null, 2, 7, 8, ''] }]],
    ['null in its spellings', 'repository: x/y\ntag: NULL\nversion: Null\n', [{ repository: ['x/y', 0, 12, 15, ''], tag: [null, 1, 5, 9, ''], version: [null, 2, 9, 13, ''] }]],
    ['a block scalar is no value', 'image:\n  repository: x/y\n  tag: |\n    v1\n', [{ repository: ['x/y', 1, 14, 17, ''], tag: [null, 2, 7, 7, ''] }]],
    ['an empty value: a space goes before an inserted one', 'image:\n  repository: x/y\n  tag:\n', [{ repository: ['x/y', 1, 14, 17, ''], tag: [null, 2, 6, 6, ' '] }]],
    ['an empty value after blanks', 'image:\n  repository: x/y\n  tag:  \n', [{ repository: ['x/y', 1, 14, 17, ''], tag: [null, 2, 7, 7, ''] }]],
    ['quoted keys', '"image": "x/y"\n\'tag\': v\n', [{ image: ['x/y', 0, 10, 13, ''], tag: ['v', 1, 7, 8, ''] }]],
    ['a template is a value, a flow mapping is not', 'image: {{ x }}\ntag: v\n---\nimage: {name: x}\ntag: [a]\n', [{ image: ['{{ x }}', 0, 7, 14, ''], tag: ['v', 1, 5, 6, ''] }]],
    ['comments and template lines do not end a mapping', 'image: x/y\n# c\n{{- if .x }}\ntag: v\n', [{ image: ['x/y', 0, 7, 10, ''], tag: ['v', 3, 5, 6, ''] }]],
    ['a document marker ends it', 'image: x/y\n---\ntag: v\n', [{ image: ['x/y', 0, 7, 10, ''] }]],
    ['list items are mappings of their own, nested ones too', '- name: x/y\n  newTag: v1\n- - name: a/b\n    tag: t\n', [{ name: ['a/b', 2, 10, 13, ''], tag: ['t', 3, 9, 10, ''] }, { name: ['x/y', 0, 8, 11, ''], newTag: ['v1', 1, 10, 12, ''] }]],
    ['a quoted value left open on its line is no value', 'image:\n  repository: "x/y\n  tag: v\n', []],
    ['a mapping without a repository value is not returned', 'tag: v\nregistry: r\n', []],
    ['the first of a repeated key is kept', 'image: a/b\nimage: c/d\n', [{ image: ['a/b', 0, 7, 10, ''] }]],
    ['an indented anchor', 'a:\n  image: &img docker.io/x/y\n', [{ image: ['docker.io/x/y', 1, 14, 27, ''] }]],
    ['a tab after the colon', 'image:\tdocker.io/x/y\n', [{ image: ['docker.io/x/y', 0, 7, 20, ''] }]],
    ['a JSON comma after a blank', 'a:\n  image: docker.io/x/y ,\n', [{ image: ['docker.io/x/y', 1, 9, 22, ''] }]],
    ['blanks after a value', 'image: x/y  \n', [{ image: ['x/y', 0, 7, 10, ''] }]],
    ['null, a folded scalar and a flow list are no value', 'image: x/y\ntag: null\nversion: >-\nnewTag: [a, b]\n', [{ image: ['x/y', 0, 7, 10, ''], tag: [null, 1, 5, 9, ''], version: [null, 2, 9, 9, ''], newTag: [null, 3, 8, 8, ''] }]],
    ['a backslash in single quotes is a character', "image: x/y\ntag: 'a\\'\n", [{ image: ['x/y', 0, 7, 10, ''], tag: ['a\\', 1, 6, 8, ''] }]],
    ['blank lines, comments and template lines inside a mapping', 'image:\n  repository: x/y\n\n# c\n{# note #}\n{{- if .x }}\n  tag: v\n', [{ repository: ['x/y', 1, 14, 17, ''], tag: ['v', 6, 7, 8, ''] }]],
    ['a comment indented less than the mapping', 'a:\n    repository: x/y\n  # c\n    tag: v\n', [{ repository: ['x/y', 1, 16, 19, ''], tag: ['v', 3, 9, 10, ''] }]],
    ['a line that is no key ends the mappings deeper than it', 'a:\n    image: x/y\n  - item\n    tag: v\n', [{ image: ['x/y', 1, 11, 14, ''] }]],
    ['a line that is no key at the mapping\'s own indent keeps it', 'x:\n  image: x/y\n  - item\n  tag: v\n', [{ image: ['x/y', 1, 9, 12, ''], tag: ['v', 3, 7, 8, ''] }]],
    ['a double-quoted value ends at its quote, an apostrophe after it or not', 'image: x/y\ntag: "it"\'s"\n', [{ image: ['x/y', 0, 7, 10, ''], tag: ['it', 1, 6, 8, ''] }]],
    ['`---` inside a value is no document marker', 'image: x/y\ntag: a --- b\n', [{ image: ['x/y', 0, 7, 10, ''], tag: ['a --- b', 1, 5, 12, ''] }]],
    ['a document marker followed by a comment', 'image: x/y\n--- # next\ntag: v\n', [{ image: ['x/y', 0, 7, 10, ''] }]],
    ['keys of a deeper mapping are not its parent\'s', 'image:\n  name: a/b\n  nested:\n    tag: t\n', [{ name: ['a/b', 1, 8, 11, ''] }]],
  ])('%s', (_name, text, expected) => {
    expect(mappings(text)).toEqual(expected);
  });
});

describe('readMappings in a patch', () => {
  it('positions count the diff prefix; a hunk break ends every mapping', () => {
    const patch = ['@@ -1,2 +1,2 @@', '-x', '+image: x/y', ' version: v', '@@ -9,1 +9,1 @@', '-y', '+tag: w', ''];
    const found = readMappings(sourceLines(patch, true)).map((keys) => Object.fromEntries([...keys].map(([key, kv]) => [key, [kv.value, kv.line, kv.start, kv.end, kv.kind]])));
    expect(found).toEqual([{ image: ['x/y', 2, 8, 11, 'added'], version: ['v', 3, 10, 11, 'context'] }]);
  });
});
