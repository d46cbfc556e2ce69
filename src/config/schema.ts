// The shape of a tag file, as zod schemas with the messages a user sees. Inputs are what the
// failsafe YAML schema yields: strings, null for an empty value, arrays and plain objects.
// The format is StarlingX's (starlingx/root build-tools/build-docker-images/tag-management/;
// real files in test/fixtures/starlingx), whose entries have exactly these four keys:
//
//   images:
//     - name: docker.io/starlingx/k8s-cni-sriov            # image without tag or digest
//       src_build_tag: master-centos-stable-20191203T153530Z.0   # existing tag to copy from
//       src_ref: https://opendev.org/starlingx/integ/commit/dac417bd  # optional, http(s) link
//       tag: stx.4.0-v2.2                                  # tag to create
//
// and retag adds an optional fifth, `src_digest: sha256:<64 hex>` (written by `retag pin`), the
// manifest digest src_build_tag pointed at when the file was reviewed (issue 10).
//
// A document is checked with TagDocumentSchema and each of its entries with TagEntrySchema on
// its own, so one bad entry neither hides the problems of the others nor keeps the valid ones
// out of the cross-file duplicate check.
import { z } from 'zod';
import { parseImageName, ImageNameError } from '../image-name/index.js';
import { srcDigestProblem, srcRefProblem, tagProblem } from './field-checks.js';

export const ENTRY_KEYS = ['name', 'src_build_tag', 'src_digest', 'src_ref', 'tag'] as const;
export const DOCUMENT_KEYS = ['images'] as const;

/** How a wrong value reads in a message: `a list`, `text "x"`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `text "${value.length > 60 ? `${value.slice(0, 60)}...` : value}"`;
  return typeof value;
}

/** A string field, with messages for the value being missing, empty or not a single value. */
function textField(field: string, wanted: string) {
  return z.string({
    error: (issue) => {
      const value: unknown = issue.input;
      if (value === undefined) return `${field} is missing; ${wanted}`;
      if (value === null) return `${field} is empty; ${wanted}`;
      if (typeof value === 'object') {
        return `${field} must be a single value, not ${describeValue(value)}; ${wanted} (check the indentation below ${field}:)`;
      }
      return `${field} must be text; ${wanted}`;
    },
  });
}

function tagField(field: 'src_build_tag' | 'tag', wanted: string) {
  return textField(field, wanted).check((ctx) => {
    const problem = tagProblem(field, ctx.value);
    if (problem !== undefined) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
  });
}

export const TagEntrySchema = z
  .strictObject(
    {
      name: textField('name', 'give the image name without a tag, e.g. docker.io/starlingx/k8s-cni-sriov').transform(
        (name, ctx) => {
          try {
            return { name, ...parseImageName(name) };
          } catch (error) {
            if (!(error instanceof ImageNameError)) throw error;
            ctx.issues.push({ code: 'custom', message: error.message, input: name });
            return z.NEVER;
          }
        },
      ),
      src_build_tag: tagField('src_build_tag', 'give the existing tag to copy from'),
      src_digest: textField('src_digest', 'give the manifest digest of src_build_tag (`retag pin FILE` writes it), or remove the line')
        .check((ctx) => {
          const problem = srcDigestProblem(ctx.value);
          if (problem !== undefined) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
        })
        .optional(),
      src_ref: textField('src_ref', 'give the link to the source commit, or remove the line')
        .check((ctx) => {
          const problem = srcRefProblem(ctx.value);
          if (problem !== undefined) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
        })
        .optional(),
      tag: tagField('tag', 'give the new tag to create'),
    },
    {
      // Unknown keys get their own located message (with a suggestion) from the parser.
      error: (issue) =>
        issue.code === 'invalid_type'
          ? issue.input === null
            ? "the entry is empty; remove the lone '-' or give name, src_build_tag and tag"
            : `an entry must be a mapping with name, src_build_tag and tag, not ${describeValue(issue.input)}`
          : undefined,
    },
  )
  .refine((entry) => entry.tag !== entry.src_build_tag, {
    path: ['tag'],
    message: 'tag is the same as src_build_tag; copying a tag onto itself does nothing, give the new tag',
    // Compare only when both are valid tags, so a problem with either is not reported twice.
    // (`when` also runs for a non-mapping input, which has an issue at the root.)
    when: (payload) =>
      !payload.issues.some((issue) => {
        const field = issue.path?.[0];
        return field === undefined || field === 'tag' || field === 'src_build_tag';
      }),
  })
  .transform((entry) => ({
    name: entry.name.name,
    registry: entry.name.registry,
    repository: entry.name.repository,
    source: entry.src_build_tag,
    tag: entry.tag,
    ...(entry.src_ref === undefined ? {} : { srcRef: entry.src_ref }),
    ...(entry.src_digest === undefined ? {} : { srcDigest: entry.src_digest }),
  }));

/** One `images:` entry as written in the file. */
export type TagEntryInput = z.input<typeof TagEntrySchema>;
/** One entry, normalised: the image parsed into registry and repository, fields renamed. */
export type ImageEntry = z.output<typeof TagEntrySchema>;

export const TagDocumentSchema = z.strictObject(
  {
    images: z.array(z.unknown(), {
      error: (issue) =>
        issue.input === undefined
          ? 'this document has no images: list; add images: with one "- name: ..." entry per image'
          : issue.input === null
            ? 'images: is empty; list the images under it, or write images: [] if there is nothing to retag'
            : `images must be a list of entries ("- name: ..."), not ${describeValue(issue.input)}`,
    }),
  },
  {
    error: (issue) =>
      issue.code === 'invalid_type'
        ? `a tag file document must be a mapping with an images: list, not ${describeValue(issue.input)}`
        : undefined,
  },
);

/** One YAML document of a tag file; its entries are checked one by one with TagEntrySchema. */
export type TagDocument = z.output<typeof TagDocumentSchema>;
