// The option tables: each key is where commander stores the value, so the typed flags tell the truth.
import { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../src/cli/program.js';
import { addOptions, custom, flag, repeatable } from '../../../src/cli/options.js';

describe('option tables', () => {
  it('every command of the program builds (keys match commander attribute names)', () => {
    const program = buildProgram({ io: { stdout: { write: () => {} }, stderr: { write: () => {} } }, env: {} }, () => {});
    expect(program.commands.map((c) => c.name())).toEqual(expect.arrayContaining(['validate', 'apply']));
  });

  it('a key that is not the attribute name is refused at build time', () => {
    expect(() => addOptions(new Command('x'), { dry: flag('--dry-run', 'd') })).toThrow(/stored as dryRun, not dry/);
    expect(() => addOptions(new Command('x'), { tlsVerify: custom<boolean>(new Option('--no-tls-verify', 'd')) })).not.toThrow();
  });

  it('a repeatable option collects values and shows no (default: [])', async () => {
    const command = addOptions(new Command('x').exitOverride(), { only: repeatable('--only <p>', 'd') });
    command.parse(['--only', 'a', '--only', 'b'], { from: 'user' });
    expect(command.opts()).toEqual({ only: ['a', 'b'] });
    expect(command.helpInformation()).not.toContain('default: []');
  });
});
