import { describe, expect, it } from 'vitest';
import { prettyLine } from '../../../src/cli/logger.js';
import { renderProblemsText, renderRunMarkdown, renderRunText, summaryLine } from '../../../src/cli/render.js';
import { parseTagFileText } from '../../../src/config/index.js';
import { MAX_PROBLEMS_PER_FILE } from '../../../src/config/parse.js';
import { summarise } from '../../../src/retag/summary.js';
import type { ImageResult, RunResult } from '../../../src/retag/types.js';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;

function image(name: string, status: ImageResult['status'], extra: Partial<ImageResult> = {}): ImageResult {
  return { target: { name, registry: 'docker.io', repository: name, source: 'build-1', tag: 'v1' }, status, ...extra };
}

function runOf(results: ImageResult[], dryRun = false): RunResult {
  return { dryRun, results, summary: summarise(results), interrupted: false };
}

describe('renderRunMarkdown', () => {
  it('a table of every image, notes for conflicts and moves, the summary in bold', () => {
    const run = runOf([
      image('docker.io/starlingx/a', 'created', { digest: A }),
      image('docker.io/starlingx/b', 'updated', { digest: A, existingDigest: B }),
      image('docker.io/starlingx/c', 'conflict', { digest: A, existingDigest: B }),
      image('docker.io/starlingx/d', 'failed', { error: 'registry said | no\nreally' }),
    ]);
    expect(renderRunMarkdown(run)).toBe(
      [
        '### retag result',
        '',
        '| status | image | tag | from src_build_tag | digest | note |',
        '| --- | --- | --- | --- | --- | --- |',
        `| **created** | \`docker.io/starlingx/a\` | \`v1\` | \`build-1\` | \`sha256:aaaaaaaaaaaa\` |  |`,
        `| **updated** | \`docker.io/starlingx/b\` | \`v1\` | \`build-1\` | \`sha256:aaaaaaaaaaaa\` | --repush: moved the tag from ${B} |`,
        `| **conflict** | \`docker.io/starlingx/c\` | \`v1\` | \`build-1\` | \`sha256:aaaaaaaaaaaa\` | tag already points at ${B}; retag never overwrites it (--repush to move it) |`,
        '| **failed** | `docker.io/starlingx/d` | `v1` | `build-1` | `-` | registry said \\| no really |',
        '',
        '**4 images: 1 created, 1 updated, 0 exist, 1 conflict, 0 missing source, 1 failed**',
        '',
      ].join('\n'),
    );
  });

  it('a dry-run says so in the title and the summary; an empty selection says so', () => {
    const markdown = renderRunMarkdown(runOf([], true));
    expect(markdown).toBe('### retag plan (dry-run, nothing written)\n\nNo images selected.\n\n**dry-run, nothing written: 0 images: 0 pending, 0 exist, 0 conflict, 0 missing source, 0 failed**\n');
  });
});

describe('renderRunText', () => {
  const run = runOf([image('docker.io/x/a', 'created', { digest: A }), image('docker.io/x/longer-name', 'missing-source')]);

  it('aligned columns, no colour by default', () => {
    const lines = renderRunText(run).split('\n');
    expect(lines[0]).toBe('created         docker.io/x/a:v1            <- build-1  sha256:aaaaaaaaaaaa');
    expect(lines[1]).toBe('missing-source  docker.io/x/longer-name:v1  <- build-1  -');
  });

  it('colour wraps the padded status only, so columns stay aligned', () => {
    const lines = renderRunText(run, { colour: true }).split('\n');
    expect(lines[0]).toBe('\x1b[32mcreated       \x1b[0m  docker.io/x/a:v1            <- build-1  sha256:aaaaaaaaaaaa');
    expect(lines[1]!.startsWith('\x1b[31mmissing-source\x1b[0m  ')).toBe(true);
  });
});

describe('renderRunText: one error shared by several images', () => {
  it('is said once below the images, with their count; an error of its own stays under its image', () => {
    const refused = 'r.example refused the credentials from ~/.docker/config.json (401); check the user name and password';
    const text = renderRunText(
      runOf([image('r.example/a', 'failed', { error: refused }), image('r.example/b', 'failed', { error: refused }), image('r.example/c', 'failed', { error: 'GET answered 500' })]),
    );
    expect(text.split(refused)).toHaveLength(2); // once
    expect(text).toContain(`[1] 2 images: ${refused}\n`); // issue 13: numbered, the rows point at it
    expect(text).toMatch(/r\.example\/c:v1 +<- build-1 +-\n {4}GET answered 500\n/);
  });
});

describe('renderProblemsText', () => {
  it('counts problems, not the note where checking stopped: "100+ problems"', () => {
    const { problems } = parseTagFileText(`images:\n${'  - x\n'.repeat(MAX_PROBLEMS_PER_FILE + 20)}`, 'stx.yaml');
    const text = renderProblemsText(problems);
    expect(text).toContain(`\n${MAX_PROBLEMS_PER_FILE}+ problems in 1 file; fix them and run again`);
    expect(text.match(/stopped after/g)).toHaveLength(1);
    expect(renderProblemsText(problems.slice(0, 1))).toMatch(/\n1 problem in 1 file;/);
  });
});

describe('summaryLine', () => {
  it('mentions updated only when something was', () => {
    expect(summaryLine(runOf([image('a', 'exists')]))).toBe('1 image: 0 created, 1 exists, 0 conflict, 0 missing source, 0 failed');
    expect(summaryLine(runOf([image('a', 'updated')]))).toBe('1 image: 0 created, 1 updated, 0 exist, 0 conflict, 0 missing source, 0 failed');
  });
});

describe('prettyLine (human logs)', () => {
  it.each([
    ['{"level":40,"time":0,"msg":"image done","image":"a:b","status":"failed"}', '00:00:00 WARN  image done image=a:b status=failed\n'],
    ['{"level":20,"time":0,"msg":"registry request","method":"GET","url":"http://h/v2/","status":200,"ms":3}', '00:00:00 DEBUG registry request method=GET url=http://h/v2/ status=200 ms=3\n'],
    ['{"level":30,"time":0,"msg":"x","error":"two words","auth":"[REDACTED]"}', '00:00:00 INFO  x error="two words" auth=[REDACTED]\n'],
    ['not json\n', 'not json\n'],
  ])('%s', (line, expected) => {
    expect(prettyLine(line)).toBe(expected);
  });
});

describe('grouped notes, unstarted images and --changes', () => {
  const down = 'registry 127.0.0.1:9 unreachable: connect ECONNREFUSED';
  const interrupted: RunResult = {
    ...runOf([
      image('r/a', 'failed', { error: down }),
      image('r/b', 'failed', { error: down }),
      image('r/c', 'exists', { digest: A }),
      image('r/d', 'failed', { error: 'only mine' }),
      image('r/e', 'not-started'),
      image('r/f', 'not-started'),
    ]),
    interrupted: true,
  };

  it('text: a shared note once, numbered; the unstarted images as one line; notStarted in the summary', () => {
    const text = renderRunText(interrupted);
    expect(text.match(new RegExp(down, 'g'))).toHaveLength(1);
    expect(text).toMatch(/^failed {2}r\/a:v1 {2}<- build-1 {2}- {2}\[1\]$/m);
    expect(text).toMatch(/^ {4}only mine$/m);
    expect(text).toContain(`\n[1] 2 images: ${down}\n2 images not started; rerun to finish\n`);
    expect(text).not.toMatch(/r\/e/);
    expect(text.trimEnd().split('\n').at(-1)).toBe('6 images: 0 created, 1 exists, 0 conflict, 0 missing source, 3 failed, 2 not started (interrupted: rerun to finish)');
  });

  it('markdown: "see [1]" in the rows, the note and the unstarted line after the table; --changes hides exists', () => {
    const markdown = renderRunMarkdown(interrupted, { changesOnly: true });
    expect(markdown).toContain('| **failed** | `r/a` | `v1` | `build-1` | `-` | see [1] |');
    expect(markdown).toContain(`- [1] 2 images: ${down}\n- 2 images not started; rerun to finish\n- 1 image already tagged (exists), not listed (--changes)\n`);
    expect(markdown).not.toContain('`r/c`');
  });
});
