// One image: ask the plan (plan.ts) what to send, send it (the requests of one step together, one
// round trip), feed the answers back, until the plan decides. No decision is taken here.

import type { Access } from '../registry/auth/index.js';
import type { Manifest, ManifestHead } from '../registry/client.js';
import { RegistryError } from '../registry/errors.js';
import { errorCode } from '../registry/connection-problem.js';
import { RETRY_POLICY, waitToResendWrite, writeFailureOutcome, type RetryPolicy, type RetryTrace } from '../registry/retry.js';
import type { ImageReference } from '../image-name/index.js';
import { nextStep, sourceWasChecked, type Answers, type Decision, type PlanOptions, type PlanRequest } from './plan.js';
import type { ImageResult, RetagTarget } from './types.js';

/** The registry operations a retag needs; RegistryClient implements it, unit tests fake it. */
export interface ManifestRegistry {
  headManifest(ref: ImageReference, reference: string, access: Access, signal?: AbortSignal): Promise<ManifestHead>;
  getManifest(ref: ImageReference, reference: string, access: Access, signal?: AbortSignal): Promise<Manifest | undefined>;
  putManifest(ref: ImageReference, tag: string, manifest: Manifest, signal?: AbortSignal): Promise<string>;
  /** how often and how long a write whose outcome was unknown may be sent again; RETRY_POLICY when absent */
  readonly retryPolicy?: Readonly<RetryPolicy>;
  /** Optional hint before the run: every repository it will visit, in order (token batching). */
  plan?(refs: Iterable<ImageReference>, access: Access): void;
}

/**
 * Every run asks for pull,push, so one token serves an image's every request: apply needs push,
 * and a dry-run learns from the grant whether apply could push (issue 10; a token service grants
 * the subset the account holds, or refuses and is asked for pull alone: Authenticator pushOptional).
 */
export const RUN_ACCESS: Access = 'pull,push';

export interface RetagImageOptions extends Omit<PlanOptions, 'target'> {
  signal?: AbortSignal;
}

function resultOf(target: RetagTarget, decision: Decision, answers: Answers): ImageResult {
  const checked = sourceWasChecked(answers, target);
  return { target, ...decision, ...(checked === undefined ? {} : { sourceChecked: checked }) };
}

/**
 * What a failed PUT means for the plan: `refused`, a write onto an existing tag the registry
 * turned down (a race with another writer?); `lost`, a failure after which the write may have
 * landed (retry.ts writeFailureOutcome); undefined, a failure that stands (401, a 4xx, a 429 or a
 * connection never made, after the transport's retries).
 */
function putFailure(error: unknown, policy: RetryPolicy): 'refused' | 'lost' | undefined {
  if (!(error instanceof RegistryError)) return undefined;
  if (error.code === 'IMMUTABLE_TAG') return 'refused';
  return writeFailureOutcome(policy, { status: error.status, code: errorCode(error.cause) }) === 'unknown' ? 'lost' : undefined;
}

/** The failure of the last of several PUTs that did not land, saying so. */
function lostReason(message: string, sent: number, note: string | undefined): string {
  if (sent === 1) return message;
  return `${message} (sent ${sent} times; the tag was read back after each and did not hold it${note ? `; ${note}` : ''})`;
}

export async function retagImage(target: RetagTarget, registry: ManifestRegistry, options: RetagImageOptions): Promise<ImageResult> {
  const ref: ImageReference = { registry: target.registry, repository: target.repository };
  const access = RUN_ACCESS;
  const { signal, ...rest } = options;
  const plan: PlanOptions = { ...rest, target };
  const answers: Answers = {};
  const policy = registry.retryPolicy ?? RETRY_POLICY;
  /** the PUTs sent for this image, and the waits between them */
  const putTrace: RetryTrace = { attempts: 1, waitedMs: 0 };
  const perform = async (request: PlanRequest): Promise<void> => {
    if (request.kind === 'head' && request.role === 'recheck') {
      // a recheck that cannot be read is an answer too: the plan then writes nothing more
      answers.recheck = await registry.headManifest(ref, request.reference, access, signal).catch((error: unknown) => ({ found: false as const, unreadable: messageOf(error) }));
    } else if (request.kind === 'head') {
      answers[request.role] = await registry.headManifest(ref, request.reference, access, signal);
    } else if (request.kind === 'get') {
      answers.manifest = (await registry.getManifest(ref, request.reference, access, signal)) ?? null;
    } else {
      if (answers.lost !== undefined) {
        // sent again: the tag was read back and the last write had not landed
        answers.lost = answers.mayResend = answers.recheck = undefined;
      }
      try {
        answers.stored = await registry.putManifest(ref, request.tag, answers.manifest!, signal);
      } catch (error) {
        const failure = signal?.aborted ? undefined : putFailure(error, policy);
        if (failure === undefined) throw error;
        if (failure === 'refused') {
          answers.refused = messageOf(error);
        } else {
          // waited before the tag is read back: a write still in progress has time to land, and
          // the look at the tag stays right before the PUT that may follow it
          const sent = putTrace.attempts;
          answers.mayResend = await waitToResendWrite(policy, putTrace, 'PUT', signal);
          if (signal?.aborted) throw error;
          answers.lost = lostReason(messageOf(error), sent, putTrace.note);
        }
      }
    }
  };
  try {
    for (;;) {
      const step = nextStep(answers, plan);
      if ('done' in step) return resultOf(target, step.done, answers);
      await Promise.all(step.send.map(perform));
    }
  } catch (error) {
    if (signal?.aborted) {
      // the interrupt's grace period ran out mid-image: whatever was written is whole (a PUT is atomic)
      return { target, status: 'failed', error: `interrupted before it finished (${messageOf(error)}); rerun to finish` };
    }
    return { target, status: 'failed', error: messageOf(error) };
  }
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
