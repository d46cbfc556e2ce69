// Valid JSON that no common serialiser produces: a tab then 3-space indentation, a space before
// every colon, `/` escaped as `\/`, keys in the caller's (unsorted) order and a trailing newline.
// A manifest's digest is the sha256 of its exact bytes, so a client that parses and
// re-serialises a manifest before PUTting it changes the digest, and these bytes catch that.
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

function indent(depth: number): string {
  return depth === 0 ? '' : `\t${'   '.repeat(depth - 1)}`;
}

function scalar(value: string | number | boolean | null): string {
  return typeof value === 'string' ? JSON.stringify(value).replaceAll('/', '\\/') : JSON.stringify(value);
}

function render(value: JsonValue, depth: number): string {
  if (value === null || typeof value !== 'object') return scalar(value);
  const inner = indent(depth + 1);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[ ]';
    const items = value.map((v) => `${inner}${render(v, depth + 1)}`);
    return `[\n${items.join(',\n')}\n${indent(depth)}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{ }';
  const lines = entries.map(([k, v]) => `${inner}${scalar(k)} : ${render(v, depth + 1)}`);
  return `{\n${lines.join(',\n')}\n${indent(depth)}}`;
}

export function oddJson(value: JsonValue): Buffer {
  return Buffer.from(`${render(value, 0)}\n`);
}
