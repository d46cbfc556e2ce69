// The tag file's JSON Schema for editors (`retag schema`), built from the zod schema: its shape,
// the descriptions an editor shows, and patterns that agree with retag's own field checks.
import { describe, expect, it } from 'vitest';
import { tagFileJsonSchema, tagFileJsonSchemaText } from '../../../src/config/json-schema.js';
import { srcRefProblem, tagProblem } from '../../../src/config/rules.js';

interface Property {
  type?: string;
  description?: string;
  pattern?: string;
  minLength?: number;
}
interface Entry {
  type: string;
  properties: Record<string, Property>;
  required: string[];
  additionalProperties: boolean;
}
interface Schema {
  $schema: string;
  title: string;
  description: string;
  type: string;
  required: string[];
  additionalProperties: boolean;
  properties: { images: { type: string; description: string; items: Entry } };
}

const schema = tagFileJsonSchema() as unknown as Schema;
const entry = schema.properties.images.items;

describe('tagFileJsonSchema', () => {
  it('is a draft-7 schema of a document with only an images: list, titled and described', () => {
    expect(schema).toMatchObject({
      $schema: 'http://json-schema.org/draft-07/schema#',
      title: 'retag tag file',
      description: 'A reviewed list of image tags to create from build tags (retag validate / retag apply)',
      type: 'object',
      required: ['images'],
      additionalProperties: false,
    });
    expect(schema.properties.images).toMatchObject({ type: 'array', description: 'One entry per image tag to create' });
  });

  it('an entry takes the five keys, three of them required, nothing else', () => {
    expect(Object.keys(entry.properties).sort()).toEqual(['name', 'src_build_tag', 'src_digest', 'src_ref', 'tag']);
    expect(entry.required.sort()).toEqual(['name', 'src_build_tag', 'tag']);
    expect(entry.additionalProperties).toBe(false);
    for (const property of Object.values(entry.properties)) expect(property.type).toBe('string');
  });

  it.each([
    ['name', 'The image, without tag or digest: docker.io/starlingx/k8s-cni-sriov'],
    ['src_build_tag', 'The existing tag (a build) whose manifest is copied'],
    ['src_ref', 'Optional: an http(s) link to the source commit the build came from'],
    ['tag', 'The tag to create; never overwritten when it exists with another digest'],
  ])('%s is described for an editor', (field, description) => {
    expect(entry.properties[field]?.description).toBe(description);
  });

  it('a name may not be empty', () => {
    expect(entry.properties.name?.minLength).toBe(1);
  });

  it.each(['stx.4.0-v2.2', '_x', 'a'.repeat(128), 'a'.repeat(129), '.hidden', '-x', 'a b', 'ubuntu:22.04', ''])(
    'the tag patterns agree with retag on %j',
    (tag) => {
      const valid = tagProblem('tag', tag) === undefined;
      for (const field of ['tag', 'src_build_tag']) expect(new RegExp(entry.properties[field]!.pattern!).test(tag), field).toBe(valid);
    },
  );

  it.each(['https://opendev.org/starlingx/integ/commit/dac417bd', 'http://example.com/x', 'ftp://example.com/x', 'opendev.org/starlingx'])(
    'the src_ref pattern agrees with retag on %j',
    (url) => {
      expect(new RegExp(entry.properties.src_ref!.pattern!).test(url)).toBe(srcRefProblem(url) === undefined);
    },
  );
});

describe('tagFileJsonSchemaText', () => {
  it('is the schema as indented JSON with a final line break', () => {
    const text = tagFileJsonSchemaText();
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "title": "retag tag file",\n');
    expect(JSON.parse(text)).toEqual(schema);
  });
});
