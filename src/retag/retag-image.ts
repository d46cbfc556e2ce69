// One image: ask the plan (plan.ts) what to send, send it (the requests of one step together, one
// round trip), feed the answers back, until the plan decides. No decision is taken here.

import type { Access } from '../registry/auth/index.js';
import type { Manifest, ManifestHead } from '../registry/client.js';
import type { ImageReference } from '../image-name/index.js';
import { nextStep, type Answers, type Decision, type PlanOptions, type PlanRequest } from './plan.js';
import type { ImageResult, RetagTarget } from './types.js';

/** The registry operations a retag needs; RegistryClient implements it, unit tests fake it. */
export interface ManifestRegistry {
  headManifest(ref: ImageReference, reference: string, access: Access, signal?: AbortSignal): Promise<ManifestHead>;
  getManifest(ref: ImageReference, reference: string, access: Access, signal?: AbortSignal): Promise<Manifest | undefined>;
  putManifest(ref: ImageReference, tag: string, manifest: Manifest, signal?: AbortSignal): Promise<string>;
  /** Optional hint before the run: every repository it will visit, in order (token batching). */
  plan?(refs: Iterable<ImageReference>, access: Access): void;
}

/** A dry-run asks for read access only; apply asks for pull,push once so one token serves all three requests. */
export function accessFor(dryRun: boolean): Access {
  return dryRun ? 'pull' : 'pull,push';
}

export interface RetagImageOptions extends Omit<PlanOptions, 'target'> {
  signal?: AbortSignal;
}

function resultOf(target: RetagTarget, decision: Decision): ImageResult {
  const { status, ...rest } = decision;
  if (status === 'source-moved') {
    // until the pin work gives it a status of its own: a failure, nothing written
    const pinned = `${target.registry}/${target.repository}:${target.source}`;
    return { target, status: 'failed', ...rest, error: `${pinned} now points at ${decision.digest ?? '?'}, not at the pinned src_digest; nothing was written` };
  }
  return { target, status, ...rest };
}

export async function retagImage(target: RetagTarget, registry: ManifestRegistry, options: RetagImageOptions): Promise<ImageResult> {
  const ref: ImageReference = { registry: target.registry, repository: target.repository };
  const access = accessFor(options.dryRun);
  const { signal, ...rest } = options;
  const plan: PlanOptions = { ...rest, target };
  const answers: Answers = {};
  const perform = async (request: PlanRequest): Promise<void> => {
    if (request.kind === 'head') {
      answers[request.role] = await registry.headManifest(ref, request.reference, access, signal);
    } else if (request.kind === 'get') {
      answers.manifest = (await registry.getManifest(ref, request.reference, access, signal)) ?? null;
    } else {
      answers.stored = await registry.putManifest(ref, request.tag, answers.manifest!, signal);
    }
  };
  try {
    for (;;) {
      const step = nextStep(answers, plan);
      if ('done' in step) return resultOf(target, step.done);
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
