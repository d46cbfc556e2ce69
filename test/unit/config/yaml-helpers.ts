// What parseYaml gives for a text expected to parse, or to be refused (the tests' shorthand).
import { parseYaml, type YamlSource } from '../../../src/config/yaml-source.js';

export function parsed(text: string): YamlSource {
  const result = parseYaml(text);
  if (!result.ok) throw new Error(`expected YAML to parse: ${result.message}`);
  return result.source;
}

export function failure(text: string): { line: number | undefined; message: string } {
  const result = parseYaml(text);
  if (result.ok) throw new Error('expected YAML to be refused');
  return { line: result.line, message: result.message };
}
