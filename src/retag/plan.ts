// The plan of one image, pure: the registry answers gathered so far in, the next requests (or the
// final decision) out. retag-image.ts only sends what a step asks for and feeds the answers back,
// so every branch here is a table test (test/unit/retag/plan.test.ts) with no network.
//
// Round trips per image (one round = requests sent together, answered together):
// - dry-run, --repush, and an apply that expects the tag to exist (a rerun): HEAD target and HEAD
//   source in one round; an existing tag is decided there.
// - a new tag: HEAD target, GET source, PUT (a HEAD of the source may ride along with the
//   target's: HEADs cost no Docker Hub pull, a GET does).
// - a pinned source digest (`srcDigest`): an existing tag is compared with it, one HEAD; a new tag
//   checks that src_build_tag still points at it and copies the pinned bytes (GET by digest).
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests

import type { Manifest, ManifestHead } from '../registry/client.js';
import { schema1Refusal } from '../registry/errors.js';
import { isSchema1 } from '../registry/media-types.js';
import type { ImageStatus, RetagTarget } from './types.js';

export type Lookup = { found: true; digest: string } | { found: false };

/** `source-moved`: src_build_tag no longer points at the pinned srcDigest; nothing is written. */
export type PlanStatus = ImageStatus;

export interface Decision {
  status: PlanStatus;
  digest?: string;
  existingDigest?: string;
  mediaType?: string;
  /** why the image failed, when the plan itself refuses it (a schema 1 source) */
  error?: string;
  /** what a reader must know beyond the status (a race lost to another writer, a credential warning) */
  note?: string;
}

/** One manifest request; `reference` is a tag or a digest. */
export type PlanRequest =
  | { kind: 'head'; role: 'target' | 'source' | 'recheck'; reference: string }
  | { kind: 'get'; reference: string }
  | { kind: 'put'; tag: string };

/** The answers so far. `manifest: null` is a GET answered 404; `stored` is the PUT's digest. */
export interface Answers {
  target?: ManifestHead;
  source?: ManifestHead;
  manifest?: Manifest | null;
  stored?: string;
  /**
   * The PUT was refused as a write onto an existing tag (immutable tag, 409/412, TAG_INVALID,
   * "already exists"): the registry's reason. The tag is then looked at once more (`recheck`) and
   * never PUT again.
   */
  refused?: string;
  /**
   * The PUT's outcome is unknown (its answer lost with the connection, no answer in time, a 5xx a
   * gateway may send for a write that landed): the failure. The tag is looked at once (`recheck`)
   * before anything else; only when that shows the write did not land may it go again, and only
   * while `mayResend` (the retry policy's attempts and waits, src/registry/retry.ts).
   */
  lost?: string;
  mayResend?: boolean;
  /** the tag read after a refused or lost PUT; `unreadable`: that HEAD failed too, with this reason */
  recheck?: ManifestHead | { found: false; unreadable: string };
}

export type Step = { send: PlanRequest[] } | { done: Decision };

export interface PlanOptions {
  target: RetagTarget;
  dryRun: boolean;
  /** --repush: move an existing tag to the source's digest instead of reporting a conflict */
  repush?: boolean;
  /** the tag file's src_digest: the source must still resolve to it, and its bytes are copied */
  srcDigest?: string;
  /**
   * apply only: the run so far found most tags existing (a rerun), so the source's HEAD goes out
   * with the target's. Unknown or false: a new tag costs HEAD, GET, PUT and nothing more.
   */
  likelyExists?: boolean;
  /**
   * The credentials were not granted push on this repository (the token's access claim): apply
   * fails the image before any GET of the source (Docker Hub counts each as a pull) with this
   * message; a dry-run still says pending, with the message as a warning (also the warning that
   * push could not be checked). HEADs still go out, so tags that already exist are reported as they are.
   */
  pushDenied?: string;
}

/**
 * The target tag exists. Same digest as the source: nothing to do. Different: a conflict that is
 * reported, never overwritten (two release branches asking for one tag from different builds).
 */
export function decideExistingTarget(targetDigest: string, source: Lookup): Decision {
  if (!source.found) return { status: 'missing-source', existingDigest: targetDigest };
  if (source.digest === targetDigest) return { status: 'exists', digest: source.digest };
  return { status: 'conflict', digest: source.digest, existingDigest: targetDigest };
}

/**
 * A conflict on an image named with --repush: the tag is moved on purpose. A dry-run reports it
 * `pending` (it would be written) with the digest it points at now; apply GETs and PUTs the source.
 */
export function decideRepush(conflict: Decision, dryRun: boolean): Decision | 'move' {
  if (conflict.status !== 'conflict') return conflict;
  return dryRun ? { ...conflict, status: 'pending' } : 'move';
}

/** After the GET of a --repush source: the bytes may already be the tag's (a race), else it moved. */
export function decideMoved(existingDigest: string, sourceDigest: string): Decision {
  if (existingDigest === sourceDigest) return { status: 'exists', digest: sourceDigest };
  return { status: 'updated', digest: sourceDigest, existingDigest };
}

/** The target tag is missing (a 404, nothing else): a dry-run reports what apply would do. */
export function decideMissingTarget(source: Lookup, dryRun: boolean): Decision {
  if (!source.found) return { status: 'missing-source' };
  return { status: dryRun ? 'pending' : 'created', digest: source.digest };
}

const send = (...requests: PlanRequest[]): Step => ({ send: requests });
const done = (decision: Decision): Step => ({ done: decision });

/** The next requests for one image, or its decision. Pure: same answers, same step. */
export function nextStep(answers: Answers, options: PlanOptions): Step {
  const { target, srcDigest } = options;
  const headTarget: PlanRequest = { kind: 'head', role: 'target', reference: target.tag };
  const headSource: PlanRequest = { kind: 'head', role: 'source', reference: target.source };
  if (!answers.target) {
    // A pinned digest decides an existing tag alone; otherwise the source's HEAD is needed for
    // every existing tag and for every new one in a dry-run, so it goes out in the same round.
    const early = srcDigest ? options.likelyExists === false : options.dryRun || options.repush === true || options.likelyExists === true;
    return early ? send(headTarget, headSource) : send(headTarget);
  }
  const step = srcDigest ? pinnedStep(answers, options, srcDigest) : tagStep(answers, options, answers.target);
  if (options.pushDenied && 'done' in step && step.done.status === 'pending') return done({ ...step.done, note: options.pushDenied });
  return step;
}

/** With a pinned srcDigest: whether the answers compared src_build_tag (HEAD) or the pinned bytes (GET) with it. */
export function sourceWasChecked(answers: Answers, options: Pick<PlanOptions, 'srcDigest'>): boolean | undefined {
  if (options.srcDigest === undefined) return undefined;
  return answers.source !== undefined || (answers.manifest ?? undefined) !== undefined;
}

/** The source is known by its tag only. */
function tagStep(answers: Answers, options: PlanOptions, existing: ManifestHead): Step {
  const { target, dryRun } = options;
  const { source } = answers;
  if (existing.found) {
    if (!source) return send({ kind: 'head', role: 'source', reference: target.source });
    const decision = decideExistingTarget(existing.digest, source);
    if (!options.repush) return done(decision);
    const next = decideRepush(decision, dryRun);
    // a previewed move would copy the source, so a schema 1 source fails here as apply's GET would
    if (next !== 'move') return next.status === 'pending' ? done(refuseSchema1(options, source) ?? next) : done(next);
    // The only overwrite retag does, asked for by name: the same GET + PUT as a new tag.
    return copy(answers, options, target.source, (digest) => decideMoved(existing.digest, digest));
  }
  if (dryRun) {
    // HEAD, not GET: a preview costs no Docker Hub pulls.
    if (!source) return send({ kind: 'head', role: 'source', reference: target.source });
    return done(refuseSchema1(options, source) ?? decideMissingTarget(source, true));
  }
  // A source HEAD that rode along already tells a missing or schema 1 source: no GET for those.
  if (source && !source.found) return done({ status: 'missing-source' });
  const refused = source ? refuseSchema1(options, source) : undefined;
  if (refused) return done(refused);
  return copy(answers, options, target.source, (digest) => ({ status: 'created', digest }));
}

/** The tag file pins the source digest: an existing tag is compared with it, the pinned bytes are copied. */
function pinnedStep(answers: Answers, options: PlanOptions, pinned: string): Step {
  const { target, dryRun } = options;
  const existing = answers.target!;
  if (existing.found && existing.digest === pinned) return done({ status: 'exists', digest: pinned });
  const conflict: Decision | undefined = existing.found ? { status: 'conflict', digest: pinned, existingDigest: existing.digest } : undefined;
  if (conflict && !options.repush) return done(conflict);
  // Something will be written (or previewed): src_build_tag must still point at what was reviewed.
  const headSource: PlanRequest = { kind: 'head', role: 'source', reference: target.source };
  const { source } = answers;
  if (!source) {
    // apply fetches the pinned bytes in the same round: a moved source then costs a wasted GET, rare
    const getToo = !dryRun && answers.manifest === undefined && options.pushDenied === undefined;
    return getToo ? send(headSource, { kind: 'get', reference: pinned }) : send(headSource);
  }
  const existingDigest = existing.found ? { existingDigest: existing.digest } : {};
  if (!source.found) return done({ status: 'missing-source', ...existingDigest });
  if (source.digest !== pinned) return done({ status: 'source-moved', digest: source.digest, ...existingDigest });
  if (dryRun) return done(refuseSchema1(options, source) ?? { status: 'pending', digest: pinned, ...existingDigest });
  return copy(answers, options, pinned, (digest) =>
    existing.found ? decideMoved(existing.digest, digest) : { status: 'created', digest },
  );
}

/** GET the source (by tag or pinned digest), then PUT the same bytes unless `decide` says otherwise. */
function copy(answers: Answers, options: PlanOptions, reference: string, decide: (digest: string) => Decision): Step {
  const { manifest } = answers;
  // No pull that cannot lead to a push.
  if (manifest === undefined && options.pushDenied) return done({ status: 'failed', error: options.pushDenied });
  if (manifest === undefined) return send({ kind: 'get', reference });
  if (manifest === null) return done({ status: 'missing-source', ...(answers.target?.found ? { existingDigest: answers.target.digest } : {}) });
  if (options.srcDigest && manifest.digest !== options.srcDigest) {
    const where = `${options.target.registry}/${options.target.repository}@${options.srcDigest}`;
    return done({ status: 'failed', error: `${where}: the registry answered a manifest with digest ${manifest.digest}; nothing was written` });
  }
  const decision = { ...decide(manifest.digest), mediaType: manifest.mediaType };
  if (decision.status === 'exists' || answers.stored !== undefined) return done(decision);
  if (answers.refused !== undefined || answers.lost !== undefined) {
    if (!answers.recheck) return send({ kind: 'head', role: 'recheck', reference: options.target.tag });
    const after =
      answers.refused !== undefined
        ? decideAfterRefusal(answers.refused, answers.recheck, manifest.digest, answers.target)
        : decideAfterLostWrite({ reason: answers.lost!, mayResend: answers.mayResend === true }, answers.recheck, decision, answers.target);
    if (after !== 'send-again') return done({ ...after, mediaType: manifest.mediaType });
  }
  return send({ kind: 'put', tag: options.target.tag });
}

const ANOTHER_WRITER = 'created meanwhile by another writer';
const READ_BACK = "the answer to the PUT was lost; the tag was read back and holds the source's digest";

type Recheck = NonNullable<Answers['recheck']>;

/** The tag after the PUT differs from the tag before it (a --repush moves an existing one). */
function changed(recheck: Recheck, before: ManifestHead | undefined): recheck is { found: true; digest: string } {
  return recheck.found && !(before?.found === true && before.digest === recheck.digest);
}

/**
 * A PUT refused and the tag looked at once more: a race ends in the truth. The tag holds the
 * source's digest: `exists` (another run got there first). Another digest that was not there
 * before: `conflict`. Otherwise (still missing, unreadable, or a --repush move refused on a tag
 * that did not change): `failed` with the registry's reason. Never a second PUT.
 */
export function decideAfterRefusal(reason: string, recheck: Recheck, sourceDigest: string, before: ManifestHead | undefined): Decision {
  if (recheck.found && recheck.digest === sourceDigest) return { status: 'exists', digest: sourceDigest, note: ANOTHER_WRITER };
  if (changed(recheck, before)) return { status: 'conflict', digest: sourceDigest, existingDigest: recheck.digest, note: ANOTHER_WRITER };
  return { status: 'failed', digest: sourceDigest, error: reason };
}

/**
 * A PUT whose outcome is unknown, and the tag looked at once more. It holds the source's digest:
 * our write landed and only its answer was lost, so `landed` (created, or updated for --repush).
 * Another digest that was not there before: `conflict` (another writer's tag is never
 * overwritten). Still missing (or unchanged for --repush): the write did not land and may be sent
 * again while the retry policy allows (`send-again`), else `failed` with the failure. Unreadable:
 * whether it landed is unknown, so nothing more is written.
 */
export function decideAfterLostWrite(
  lost: { reason: string; mayResend: boolean },
  recheck: Recheck,
  landed: Decision,
  before: ManifestHead | undefined,
): Decision | 'send-again' {
  const sourceDigest = landed.digest!;
  if ('unreadable' in recheck) {
    return { status: 'failed', digest: sourceDigest, error: `${lost.reason}; the tag could not be read back (${recheck.unreadable}), so whether it was written is unknown: rerun to find out` };
  }
  if (recheck.found && recheck.digest === sourceDigest) return { ...landed, note: READ_BACK };
  if (changed(recheck, before)) return { status: 'conflict', digest: sourceDigest, existingDigest: recheck.digest, note: ANOTHER_WRITER };
  return lost.mayResend ? 'send-again' : { status: 'failed', digest: sourceDigest, error: lost.reason };
}

/**
 * The source seen by HEAD only. When the registry names the schema 1 type in its Content-Type,
 * apply would refuse that source at its GET, so it is failed the same way without the GET
 * (a registry that sends no or a generic Content-Type on HEAD leaves it to the GET).
 */
function refuseSchema1(options: PlanOptions, source: ManifestHead): Decision | undefined {
  if (!source.found || source.mediaType === undefined || !isSchema1(source.mediaType)) return undefined;
  const { registry, repository } = options.target;
  return { status: 'failed', error: schema1Refusal({ registry, repository }, options.target.source, 200).message };
}
