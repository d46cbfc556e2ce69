// The tag file as JSON Schema, for editors (yaml-language-server) and other tools. Generated from
// the zod schema that retag itself checks with (z.toJSONSchema; draft 7, which every editor reads), so the two cannot drift; the
// build writes it to schema/tag-file.schema.json, which the package ships and `retag schema`
// prints. What zod's checks say in code (the tag grammar, an http(s) src_ref) is added as
// patterns and descriptions, so an editor flags it as the file is typed. retag's own checks
// remain the reference: they also find duplicates and cross-file conflicts.
import { z } from 'zod';
import { TagEntrySchema } from './schema.js';

/** The tag grammar of the distribution spec, as a JSON Schema pattern. */
const TAG_PATTERN = '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$';

const FIELDS: Record<string, Record<string, unknown>> = {
  name: { description: 'The image, without tag or digest: docker.io/starlingx/k8s-cni-sriov', minLength: 1 },
  src_build_tag: { description: 'The existing tag (a build) whose manifest is copied', pattern: TAG_PATTERN },
  src_ref: { description: 'Optional: an http(s) link to the source commit the build came from', pattern: '^https?://' },
  tag: { description: 'The tag to create; never overwritten when it exists with another digest', pattern: TAG_PATTERN },
};

type JsonObject = Record<string, unknown>;

export function tagFileJsonSchema(): JsonObject {
  const document = z.strictObject({ images: z.array(TagEntrySchema) });
  const schema = z.toJSONSchema(document, { io: 'input', unrepresentable: 'any', target: 'draft-7' }) as JsonObject;
  const images = (schema.properties as Record<string, JsonObject>).images!;
  const entry = images.items as JsonObject;
  const properties = entry.properties as Record<string, JsonObject>;
  for (const [field, extra] of Object.entries(FIELDS)) if (properties[field]) Object.assign(properties[field], extra);
  images.description = 'One entry per image tag to create';
  return {
    $schema: schema.$schema,
    title: 'retag tag file',
    description: 'A reviewed list of image tags to create from build tags (retag validate / retag apply)',
    ...schema,
  };
}

export function tagFileJsonSchemaText(): string {
  return `${JSON.stringify(tagFileJsonSchema(), null, 2)}\n`;
}
