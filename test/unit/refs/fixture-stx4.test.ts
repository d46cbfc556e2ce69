// `retag refs` over real StarlingX files of February 2020 (test/fixtures/refs-2020-stx4, copied
// from the shared fixtures), compared with every entry of their expected.yaml: each reference
// with its line, image, tag, form and class, and the look-alikes that must not be reported.
import { cp, mkdtemp } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RefFinding } from '../../../src/refs/index.js';
import { PROJECT_ROOT, runInProcess } from '../../helpers/run-cli.js';

const FIXTURE = join(PROJECT_ROOT, 'test', 'fixtures', 'refs-2020-stx4');

interface ExpectedRef {
  line: number;
  image: string;
  as_written: string;
  tag: string | null;
  form: string;
  class: 'pinned-ok' | 'drift' | 'floating' | 'unmanaged';
  floating: boolean | 'unresolved';
  tag_line?: number;
  in_comment?: boolean;
  optional?: boolean;
}

interface ExpectedFile {
  file: string;
  refs: ExpectedRef[];
  not_refs?: { line: number; text: string }[];
  cross_file_refs?: { line: number }[];
}

interface Expected {
  tag_files: string[];
  files: ExpectedFile[];
}

/** The JSON report's reference, as the command prints it. */
type JsonRef = RefFinding;

interface JsonReport {
  refs: JsonRef[];
  summary: Record<string, number>;
  skipped: { file: string; reason: string }[];
}

const expected = load(readFileSync(join(FIXTURE, 'expected.yaml'), 'utf8')) as Expected;
const STATUS: Record<ExpectedRef['class'], string> = { 'pinned-ok': 'pinned', drift: 'drift', floating: 'floating', unmanaged: 'unmanaged' };

let tree: string;
let report: JsonReport;
let code: number;

beforeAll(async () => {
  // a copy: the scan must not depend on the fixture's place, and nothing may write into it
  tree = await mkdtemp(join(tmpdir(), 'retag-refs-stx4-'));
  await cp(FIXTURE, tree, { recursive: true });
  const tagArgs = expected.tag_files.flatMap((file) => ['--tags', file]);
  const result = await runInProcess(['refs', ...tagArgs, '--output', 'json', '--exclude', 'expected.yaml', '--exclude', 'README.md', '.'], { cwd: tree });
  expect(result.stderr).toBe('');
  code = result.code;
  report = JSON.parse(result.stdout) as JsonReport;
});

function at(file: string, line: number): JsonRef[] {
  return report.refs.filter((ref) => ref.file === `./${file}` && ref.line === line);
}

describe('retag refs on the StarlingX 2020 fixture', () => {
  const cases = expected.files.flatMap((file) => file.refs.map((ref) => ({ file: file.file, ref })));

  it.each(cases)('$file:$ref.line $ref.image', ({ file, ref }) => {
    const found = at(file, ref.line);
    if (ref.optional) return;
    expect(found, `no reference found at ${file}:${ref.line}`).toHaveLength(1);
    const got = found[0]!;
    expect(got.image).toBe(ref.image);
    expect(got.tag).toBe(ref.tag);
    expect(got.text).toBe(ref.as_written.replace(/^"(.*)"$/, '$1'));
    expect(got.form).toBe(ref.form);
    expect(got.status).toBe(STATUS[ref.class]);
    expect(got.inComment === true).toBe(ref.in_comment === true);
    if (ref.tag_line !== undefined) expect(got.tagLine).toBe(ref.tag_line);
    if (ref.class === 'unmanaged') {
      expect(got.expected).toEqual([]);
      // "shown as information, with floating noted when its tag floats"
      if (ref.floating === true) expect(got.note).toMatch(/floating/);
      if (ref.floating === 'unresolved') expect(got.note).toMatch(/variable/);
      if (ref.floating === false) expect(got.note ?? '').not.toMatch(/floating|variable/);
    } else {
      expect(got.expected.length).toBeGreaterThan(0);
    }
  });

  const notRefs = expected.files.flatMap((file) => (file.not_refs ?? []).map((n) => ({ file: file.file, ...n })));
  it.each(notRefs)('not a reference: $file:$line $text', ({ file, line }) => {
    expect(at(file, line)).toEqual([]);
  });

  it('finds nothing beyond the listed references (cross-file ones are optional)', () => {
    const listed = new Set(expected.files.flatMap((f) => [...f.refs, ...(f.cross_file_refs ?? [])].map((r) => `./${f.file}:${r.line}`)));
    const extra = report.refs.filter((ref) => !listed.has(`${ref.file}:${ref.line}`));
    expect(extra).toEqual([]);
  });

  it('never scans the tag file, and says so', () => {
    const tagFile = `./${expected.tag_files[0]}`;
    expect(report.refs.some((ref) => ref.file === tagFile)).toBe(false);
    expect(report.skipped).toContainEqual({ file: tagFile, reason: 'tag file (given with --tags)' });
  });

  it('fails the check on the floating master-*-stable-latest tags (exit 1), summary counts every status', () => {
    expect(code).toBe(1);
    expect(report.summary).toEqual({ pinned: 2, drift: 0, floating: 5, unresolved: 0, unmanaged: 4, ignored: 0 });
  });
});
