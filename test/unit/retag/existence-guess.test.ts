// The run's guess from finished images (run.ts ExistenceGuess): it changes how many round trips an
// image costs, not its result, so this test watches the rounds. A round is the requests an image
// sends together (retag-image.ts sends one plan step at a time): requests made before any earlier
// request of the run has finished belong to the same round. Concurrency 1, so images go in order.
//  - unpinned: a rerun (tags mostly existing) sends the source's HEAD with the target's;
//  - pinned (src_digest): a run of mostly new tags sends the source's HEAD with the target's.
import { describe, expect, it } from 'vitest';
import type { Manifest, ManifestHead } from '../../../src/registry/client.js';
import type { ManifestRegistry } from '../../../src/retag/retag-image.js';
import { runRetag, type RunOptions } from '../../../src/retag/run.js';
import type { RetagTarget } from '../../../src/retag/types.js';

const SOURCE = 'sha256:' + 'a'.repeat(64);
const OTHER = 'sha256:' + 'b'.repeat(64);
const MEDIA = 'application/vnd.oci.image.manifest.v1+json';

/** What the registry holds for a repository: the target tag's digest and the source's, if any. */
interface Repo {
  target?: string;
  source?: string;
  /** every request for it fails (a registry error) */
  broken?: boolean;
}

function target(repository: string, pinned = false): RetagTarget {
  return { name: `r.example/${repository}`, registry: 'r.example', repository, source: 'build', tag: 'rel', ...(pinned ? { srcDigest: SOURCE } : {}) };
}

/** Runs the targets and returns each image's rounds: `HEAD rel`, `HEAD build`, `GET ...`, `PUT rel`. */
async function rounds(repos: Record<string, Repo>, targets: RetagTarget[], options: Partial<RunOptions> = {}): Promise<{ rounds: Record<string, string[][]>; statuses: string[] }> {
  let finished = 0;
  const seen: Record<string, Map<number, string[]>> = {};
  const record = (repository: string, call: string): void => {
    const byRound = (seen[repository] ??= new Map());
    byRound.set(finished, [...(byRound.get(finished) ?? []), call]);
  };
  const answer = async <T>(value: T): Promise<T> => {
    await new Promise((resolve) => setImmediate(resolve));
    finished += 1;
    return value;
  };
  const registry: ManifestRegistry = {
    headManifest(ref, reference): Promise<ManifestHead> {
      record(ref.repository, `HEAD ${reference}`);
      const repo = repos[ref.repository] ?? {};
      if (repo.broken) return Promise.reject(new Error('registry error'));
      const digest = reference === 'rel' ? repo.target : repo.source;
      return answer(digest === undefined ? { found: false } : { found: true, digest, mediaType: MEDIA });
    },
    getManifest(ref, reference): Promise<Manifest | undefined> {
      record(ref.repository, `GET ${reference === SOURCE ? 'digest' : reference}`);
      const digest = repos[ref.repository]?.source;
      return answer(digest === undefined ? undefined : { digest, mediaType: MEDIA, bytes: Buffer.from('{}') });
    },
    putManifest(ref, tag): Promise<string> {
      record(ref.repository, `PUT ${tag}`);
      return answer(SOURCE);
    },
  };
  const run = await runRetag(targets, registry, { dryRun: false, concurrency: 1, ...options });
  const out: Record<string, string[][]> = {};
  for (const [repository, byRound] of Object.entries(seen)) out[repository] = [...byRound.values()].map((calls) => calls.sort());
  return { rounds: out, statuses: run.results.map((r) => r.status) };
}

const BOTH = ['HEAD build', 'HEAD rel'];
/** a new tag's rounds when the source HEAD rides along, and when it does not */
const RIDING = [BOTH, ['GET build'], ['PUT rel']];
const ALONE = [['HEAD rel'], ['GET build'], ['PUT rel']];

describe('unpinned images: the source HEAD rides along once most tags existed', () => {
  it.each<[string, Repo, string, string[][]]>([
    ['after a tag that exists', { target: SOURCE, source: SOURCE }, 'exists', RIDING],
    ['after a conflict', { target: OTHER, source: SOURCE }, 'conflict', RIDING],
    ['after a missing source beside an existing tag', { target: OTHER }, 'missing-source', RIDING],
    ['after a new tag', { source: SOURCE }, 'created', ALONE],
    ['after a missing source and tag', {}, 'missing-source', ALONE],
  ])('%s', async (_name, first, status, probeRounds) => {
    const result = await rounds({ first, probe: { source: SOURCE } }, [target('first'), target('probe')]);
    expect(result.statuses[0]).toBe(status);
    expect(result.rounds.probe).toEqual(probeRounds);
  });

  it('a moved tag (--repush) counts as existing', async () => {
    const result = await rounds({ first: { target: OTHER, source: SOURCE }, probe: { source: SOURCE } }, [target('first'), target('probe')], { repush: (t) => t.repository === 'first' });
    expect(result.statuses[0]).toBe('updated');
    expect(result.rounds.probe).toEqual(RIDING);
  });

  it('the first image knows nothing yet: target first; a rerun then asks both at once', async () => {
    const repos = { a: { target: SOURCE, source: SOURCE }, b: { target: SOURCE, source: SOURCE }, c: { target: SOURCE, source: SOURCE } };
    const result = await rounds(repos, [target('a'), target('b'), target('c')]);
    expect(result.statuses).toEqual(['exists', 'exists', 'exists']);
    expect(result.rounds).toEqual({ a: [['HEAD rel'], ['HEAD build']], b: [BOTH], c: [BOTH] });
  });

  it('a tie between existing and new tags is not a rerun', async () => {
    const repos = { old: { target: SOURCE, source: SOURCE }, fresh: { source: SOURCE }, probe: { source: SOURCE } };
    const result = await rounds(repos, [target('old'), target('fresh'), target('probe')]);
    expect(result.statuses).toEqual(['exists', 'created', 'created']);
    expect(result.rounds.fresh).toEqual(RIDING);
    expect(result.rounds.probe).toEqual(ALONE);
  });

  it('images that failed are not counted', async () => {
    const repos = { old: { target: SOURCE, source: SOURCE }, broken: { broken: true }, denied: { source: SOURCE }, probe: { source: SOURCE } };
    const result = await rounds(repos, [target('old'), target('broken'), target('denied'), target('probe')], {
      pushDenied: (t) => (t.repository === 'denied' ? { message: 'no push', noPull: true } : undefined),
    });
    expect(result.statuses).toEqual(['exists', 'failed', 'failed', 'created']);
    expect(result.rounds.probe).toEqual(RIDING);
  });
});

describe('pinned images: the source HEAD rides along once most tags were new', () => {
  it.each<[string, Repo, string, string[][]]>([
    ['nothing known yet', { target: SOURCE, source: SOURCE }, 'exists', [['HEAD rel'], ['GET digest', 'HEAD build'], ['PUT rel']]],
    ['after a new tag', { source: SOURCE }, 'created', [BOTH, ['GET digest'], ['PUT rel']]],
    ['after a missing source', {}, 'missing-source', [BOTH, ['GET digest'], ['PUT rel']]],
  ])('%s', async (name, first, status, probeRounds) => {
    const targets = name === 'nothing known yet' ? [target('probe', true)] : [target('first'), target('probe', true)];
    const result = await rounds({ first, probe: { source: SOURCE } }, targets);
    if (targets.length === 2) expect(result.statuses[0]).toBe(status);
    expect(result.rounds.probe).toEqual(probeRounds);
  });

  it('after a tie between existing and new tags', async () => {
    const repos = { old: { target: SOURCE, source: SOURCE }, fresh: { source: SOURCE }, probe: { source: SOURCE } };
    const result = await rounds(repos, [target('old'), target('fresh'), target('probe', true)]);
    expect(result.rounds.probe).toEqual([BOTH, ['GET digest'], ['PUT rel']]);
  });
});
