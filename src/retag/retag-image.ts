// One image: HEAD the target; only a 404 leads on to a copy (GET source, PUT the same bytes).
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-manifests

import type { Access } from '../registry/auth.js';
import type { Manifest, ManifestHead } from '../registry/client.js';
import { schema1Refusal } from '../registry/errors.js';
import { isSchema1 } from '../registry/media-types.js';
import type { ImageReference } from '../registry/reference.js';
import { decideExistingTarget, decideMissingTarget, decideMoved, decideRepush, type Decision } from './plan.js';
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

export interface RetagImageOptions {
  dryRun: boolean;
  /** --repush: move an existing tag to the source's digest instead of reporting a conflict */
  repush?: boolean;
  signal?: AbortSignal;
}

function resultOf(target: RetagTarget, decision: Decision, mediaType?: string): ImageResult {
  return { target, ...decision, ...(mediaType ? { mediaType } : {}) };
}

export async function retagImage(target: RetagTarget, registry: ManifestRegistry, options: RetagImageOptions): Promise<ImageResult> {
  const ref: ImageReference = { registry: target.registry, repository: target.repository };
  const access = accessFor(options.dryRun);
  const { signal } = options;
  try {
    const existing = await registry.headManifest(ref, target.tag, access, signal);
    if (existing.found) {
      const source = await registry.headManifest(ref, target.source, access, signal);
      const decision = decideExistingTarget(existing.digest, source);
      if (!options.repush) return resultOf(target, decision);
      const next = decideRepush(decision, options.dryRun);
      // a previewed move would copy the source, so a schema 1 source fails here as apply's GET would
      if (next !== 'move' && next.status === 'pending') refuseSchema1(ref, target.source, source);
      if (next !== 'move') return resultOf(target, next);
      // The only overwrite retag does, asked for by name: the same GET + PUT as a new tag.
      const manifest = await registry.getManifest(ref, target.source, access, signal);
      if (!manifest) return resultOf(target, decideMissingTarget({ found: false }, false));
      const moved = decideMoved(existing.digest, manifest.digest);
      if (moved.status === 'updated') await registry.putManifest(ref, target.tag, manifest, signal);
      return resultOf(target, moved, manifest.mediaType);
    }
    if (options.dryRun) {
      // HEAD, not GET: a preview costs no Docker Hub pulls.
      const source = await registry.headManifest(ref, target.source, access, signal);
      refuseSchema1(ref, target.source, source);
      return resultOf(target, decideMissingTarget(source, true));
    }
    const manifest = await registry.getManifest(ref, target.source, access, signal);
    if (!manifest) return resultOf(target, decideMissingTarget({ found: false }, false));
    await registry.putManifest(ref, target.tag, manifest, signal);
    return resultOf(target, decideMissingTarget({ found: true, digest: manifest.digest }, false), manifest.mediaType);
  } catch (error) {
    if (signal?.aborted) {
      // the interrupt's grace period ran out mid-image: whatever was written is whole (a PUT is atomic)
      return { target, status: 'failed', error: `interrupted before it finished (${messageOf(error)}); rerun to finish` };
    }
    return { target, status: 'failed', error: messageOf(error) };
  }
}

/**
 * A dry-run sees the source by HEAD only. When the registry names the schema 1 type in its
 * Content-Type, apply would refuse that source at its GET, so the preview fails it the same way
 * rather than saying "pending". (A registry that sends no or a generic Content-Type on HEAD
 * leaves it to apply.)
 */
function refuseSchema1(ref: ImageReference, reference: string, source: ManifestHead): void {
  if (source.found && source.mediaType !== undefined && isSchema1(source.mediaType)) throw schema1Refusal(ref, reference, 200);
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
