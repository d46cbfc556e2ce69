import { describe, expect, it } from 'vitest';
import { MAX_YAML_DEPTH } from '../../../src/config/yaml-source.js';
import { failure, parsed } from './yaml-helpers.js';


describe('parseYaml values (failsafe schema)', () => {
  it.each([
    ['1.10', '1.10'],
    ['1.0', '1.0'],
    ['010', '010'],
    ['true', 'true'],
    ['no', 'no'],
    ['~', '~'],
    ['null', 'null'],
    ['2020-02-12', '2020-02-12'],
    ['1e3', '1e3'],
    ['"quoted"', 'quoted'],
    ['', null],
  ])('reads `v: %s` as %j', (written, value) => {
    expect(parsed(`v: ${written}\n`).documents).toEqual([{ v: value }]);
  });

  it('reads every document of a stream', () => {
    expect(parsed('---\na: 1\n---\nb: 2\n').documents).toEqual([{ a: '1' }, { b: '2' }]);
  });

  it.each([
    ['!!js/function "function () {}"', '!!js/function'],
    ['!!js/regexp /x/', '!!js/regexp'],
    ['!!js/undefined ""', '!!js/undefined'],
    ['!!binary aGk=', '!!binary'],
    ['!!python/object:os.system x', '!!python/object:os.system'],
  ])('refuses the tag in `v: %s`', (written, shown) => {
    expect(failure(`a: 1\nv: ${written}\n`)).toEqual({
      line: 2,
      message: `YAML tag ${shown} is not allowed in tag files; values are plain text, remove the tag`,
    });
  });
});

describe('parseYaml lines', () => {
  const text = [
    '# yamllint disable rule:line-length', // 1
    '---', // 2
    'images:', // 3
    '  # - name: commented/out', // 4
    '  #   tag: old', // 5
    '  - name: docker.io/starlingx/a', // 6
    '    # tag: not this one', // 7
    '    src_build_tag: s', // 8
    '    tag: t', // 9
    '  -', // 10
    '  - just text', // 11
    '  - {name: b, tag: c}', // 12
    '  -', // 13
    '    name: late', // 14
    '---', // 15
    'images: [x, {name: y}]', // 16
    '',
  ].join('\n');
  // Parsed in each test, not once here: mutation testing sees only the code a test runs itself.
  const read = () => {
    const source = parsed(text);
    return { source, first: source.documents[0] as { images: unknown[] }, second: source.documents[1] as { images: unknown[] } };
  };

  it('finds where documents, mappings and lists begin', () => {
    const { source, first } = read();
    expect(source.documentLine(0)).toBe(3);
    expect(source.documentLine(1)).toBe(16);
    expect(source.nodeLine(first)).toBe(3);
    expect(source.nodeLine(first.images)).toBe(6);
    expect(source.nodeLine(first.images[0] as object)).toBe(6);
    expect(source.nodeLine(first.images[3] as object)).toBe(12);
    expect(source.nodeLine(first.images[4] as object)).toBe(14);
  });

  it('finds every list item, empty ones included', () => {
    const { source, first, second } = read();
    expect(first.images).toHaveLength(5);
    expect([0, 1, 2, 3, 4].map((i) => source.itemLine(first.images, i))).toEqual([6, 10, 11, 12, 13]);
    expect([0, 1].map((i) => source.itemLine(second.images, i))).toEqual([16, 16]);
  });

  it('finds keys, skipping commented-out ones', () => {
    const { source, first } = read();
    const entry = first.images[0] as object;
    expect(source.keyLine(entry, 'name')).toBe(6);
    expect(source.keyLine(entry, 'src_build_tag')).toBe(8);
    expect(source.keyLine(entry, 'tag')).toBe(9);
    expect(source.keyLine(entry, 'src_ref')).toBeUndefined();
    expect(source.keyLine(first.images[3] as object, 'tag')).toBe(12);
    expect(source.keyLine(first, 'images')).toBe(3);
  });

  it('counts CRLF and lone CR line breaks as js-yaml does', () => {
    const crlf = parsed('a: 1\r\nimages:\r\n  - name: x\r\n    tag: y\r\n');
    const doc = crlf.documents[0] as { images: object[] };
    expect(crlf.keyLine(doc.images[0] as object, 'tag')).toBe(4);
    expect(failure('a: 1\r\nb: [\r\n').line).toBe(3);
  });

  it('keeps lines right after a byte order mark', () => {
    const source = parsed('\uFEFFimages:\n  - name: x\n    tag: y\n');
    const doc = source.documents[0] as { images: object[] };
    expect(source.keyLine(doc.images[0] as object, 'tag')).toBe(3);
  });
});

describe('parseYaml refusals', () => {
  it('refuses an alias at its line', () => {
    expect(failure('a: &x value\nb: c\nd: *x\n')).toEqual({
      line: 3,
      message:
        'YAML alias *x is not allowed in tag files; write the value out in full (aliases can expand a small file into a huge one)',
    });
  });

  it('refuses an alias used as a merge key value or list item', () => {
    expect(failure('base: &b {tag: t}\nentry:\n  <<: *b\n').line).toBe(3);
    expect(failure('x: &i item\nlist:\n  - *i\n').line).toBe(3);
  });

  it('allows an anchor that is never used', () => {
    expect(parsed('a: &x value\n').documents).toEqual([{ a: 'value' }]);
  });

  it('refuses a "billion laughs" alias bomb at once', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i += 1) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const started = performance.now();
    const refused = failure(`${levels.join('\n')}\n`);
    expect(performance.now() - started).toBeLessThan(10_000); // typically milliseconds; generous for a busy machine and mutation testing's instrumented code
    expect(refused.line).toBe(2);
    expect(refused.message).toContain('YAML alias *a is not allowed');
  });

  it.each([
    ['flow', `v: ${'['.repeat(MAX_YAML_DEPTH + 5)}`, 1],
    ['block', Array.from({ length: MAX_YAML_DEPTH + 5 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n'), MAX_YAML_DEPTH],
  ])('refuses %s nesting deeper than the cap', (_kind, text, line) => {
    expect(failure(text)).toEqual({
      line,
      message: `YAML nesting is deeper than ${MAX_YAML_DEPTH} levels; a tag file needs only images: -> entry -> field, check the indentation`,
    });
  });

  it('refuses 500k levels of nesting quickly', () => {
    const started = performance.now();
    expect(failure(`v: ${'['.repeat(500_000)}`).message).toContain('nesting is deeper');
    expect(performance.now() - started).toBeLessThan(10_000); // typically milliseconds; generous for a busy machine and mutation testing's instrumented code
  });

  it.each([
    ['images:\n  - name: a\n    tag: b\n    tag: c\n', 4, 'duplicate key "tag": a key may appear only once in a mapping; remove one of them'],
    ['images:\n  - name: a\n    "name": b\n', 3, 'duplicate key "name": a key may appear only once in a mapping; remove one of them'],
    [
      'images:\n  - name: a\nimages:\n  - name: b\n',
      3,
      'images: appears twice in one document; put all entries in one images: list, or start a new document with ---',
    ],
    ['images:\n  - name: a\n   tag: b\n', 3, 'invalid YAML: '],
    ['images: [a, b\n', 2, 'invalid YAML: unexpected end of the stream within a flow collection'],
    ['a: "unterminated\n', 2, 'invalid YAML: '],
    ['images:\n\t- name: a\n', 2, 'invalid YAML: '],
  ])('explains a YAML error: %j', (text, line, message) => {
    const refused = failure(text);
    expect(refused.line).toBe(line);
    expect(refused.message).toContain(message);
  });
});
