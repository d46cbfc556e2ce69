// Edges of the YAML reader that yaml-source.test.ts does not reach, found by mutation testing
// (docs/mutation-testing.md): duplicate keys written in other ways, local tags, a byte order mark
// before an alias, comments before a node, and list items found by their `-` markers when js-yaml
// reports no node for an empty item.
import { describe, expect, it } from 'vitest';
import { failure, parsed } from './yaml-helpers.js';


/** The line of each item of the first document's `images` list. */
function itemLines(text: string): (number | undefined)[] {
  const source = parsed(text);
  const images = (source.documents[0] as { images: unknown[] }).images;
  return images.map((_, i) => source.itemLine(images, i));
}

describe('parseYaml: duplicate keys however they are written', () => {
  it.each([
    ['single-quoted', "'tag': a\n'tag': b\n", 2, 'duplicate key "tag": a key may appear only once in a mapping; remove one of them'],
    ['in a flow mapping after another key', 'images: [{name: a, name: b}]\n', 1, 'duplicate key "name": a key may appear only once in a mapping; remove one of them'],
    ['an empty key', '"": a\n"": b\n', 2, 'duplicate a key: a key may appear only once in a mapping; remove one of them'],
    ['an explicit key (`? a`), no colon on its line', '? a\n: 1\n? a\n: 2\n', 3, 'duplicate a key: a key may appear only once in a mapping; remove one of them'],
    ['an explicit key with a colon in its comment', '? a # b: c\n: 1\n? a # b: c\n: 2\n', 3, 'duplicate a key: a key may appear only once in a mapping; remove one of them'],
  ])('%s', (_name, text, line, message) => {
    expect(failure(text)).toEqual({ line, message });
  });
});

describe('parseYaml: tags and aliases', () => {
  it('a local tag is shown as js-yaml names it', () => {
    expect(failure('a: 1\nv: !local x\n')).toEqual({
      line: 2,
      message: 'YAML tag !<!local> is not allowed in tag files; values are plain text, remove the tag',
    });
  });

  it('an empty value with a tag is not taken for an alias', () => {
    expect(parsed('v: !!str\n').documents).toEqual([{ v: '' }]);
  });

  it('an alias after a byte order mark is still found, at its line', () => {
    expect(failure('\uFEFFa: &x v\nb: *x\n')).toEqual({
      line: 2,
      message: 'YAML alias *x is not allowed in tag files; write the value out in full (aliases can expand a small file into a huge one)',
    });
  });

  it('a comment that ends the text without a line break', () => {
    expect(parsed('a:  # nothing yet').documents).toEqual([{ a: null }]);
  });
});

describe('parseYaml: lines after comments and in CR files', () => {
  it.each([
    ['LF', '\n'],
    ['CR', '\r'],
    ['CRLF', '\r\n'],
  ])('a mapping after a comment begins on its first key (%s)', (_name, eol) => {
    const source = parsed(['image:   # the image', '  name: a  # first', '  tag: t', 'x: 1', ''].join(eol));
    const image = (source.documents[0] as { image: object }).image;
    expect(source.nodeLine(image)).toBe(2);
    expect(source.keyLine(image, 'tag')).toBe(3);
  });

  it('a tab before a comment is a blank like a space', () => {
    const source = parsed('image:\t# the image\n  name: a\n');
    expect(source.nodeLine((source.documents[0] as { image: object }).image)).toBe(2);
  });

  it('a commented-out key at the start of a line inside an entry is not its key', () => {
    const source = parsed('images:\n  - name: a\n# tag: old\n    src_build_tag: s\n    tag: t\n');
    const [entry] = (source.documents[0] as { images: object[] }).images;
    expect(source.keyLine(entry!, 'tag')).toBe(5);
  });

  it('an entry\'s own key is found before a nested key of the same name', () => {
    const source = parsed('images:\n  - name: a\n    tag:\n      tag: x\n');
    const [entry] = (source.documents[0] as { images: object[] }).images;
    expect(source.keyLine(entry!, 'tag')).toBe(3);
  });

  it('an object that is not from this text has no line', () => {
    const source = parsed('a: 1\n');
    expect(source.nodeLine({})).toBeUndefined();
    expect(source.keyLine({}, 'a')).toBeUndefined();
  });

  it('a mapping does not take a key from the line after it', () => {
    const source = parsed('images:\n  - name: a\n    src_build_tag: s\ntag: x\n');
    const [entry] = (source.documents[0] as { images: object[] }).images;
    expect(source.keyLine(entry!, 'src_build_tag')).toBe(3);
    expect(source.keyLine(entry!, 'tag')).toBeUndefined();
    const short = parsed('images:\n  - name: a\nx: 1\n');
    expect(short.keyLine((short.documents[0] as { images: object[] }).images[0]!, 'x')).toBeUndefined();
  });
});

describe('parseYaml: list items', () => {
  it.each<[string, string, number[]]>([
    ['an empty last item', 'images:\n  - a\n  -\n', [2, 3]],
    ['a quoted value continued on a line starting with `-x`', 'images:\n  -\n  - "a\n  -b"\n', [2, 3]],
    ['a quoted value continued with text before a `-`', 'images:\n  -\n  - "a\na - b"\n', [2, 3]],
    ['a flow list over several lines', 'images: [\n  x,\n  {name: y}\n]\n', [2, 3]],
    ['another list further down at the same column', 'images:\n  -\n  - a\nmore:\n  - b\n', [2, 3]],
    // a continuation line that looks like an item: the markers cannot be trusted, the list's line is given
    ['a quoted value continued on a line starting with `- `', 'images:\n  -\n  - "a\n  - b"\n', [2, 2]],
  ])('%s', (_name, text, lines) => {
    expect(itemLines(text)).toEqual(lines);
  });
});
