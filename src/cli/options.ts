// Options are declared once, as data: each entry holds commander's Option and, for the type
// system only, the type of the value commander hands over. A command's flags type is read off its
// table (FlagsOf), so adding an option is one line in the table and the action sees it typed.

import { InvalidArgumentError, Option, type Command } from 'commander';

export interface OptionSpec<T> {
  readonly option: Option;
  /** never set: carries T so that FlagsOf can read it */
  readonly valueType?: T;
}

/** The object commander's `opts()` returns for a table of options. */
export type FlagsOf<S> = { [K in keyof S]: S[K] extends OptionSpec<infer T> ? T : never };

/** A switch: `--dry-run`. */
export function flag(flags: string, description: string): OptionSpec<boolean | undefined> {
  return { option: new Option(flags, description) };
}

/** One value, no default: `--ca-file <file>`. */
export function text(flags: string, description: string): OptionSpec<string | undefined> {
  return { option: new Option(flags, description) };
}

/** One of a fixed list, with a default shown in --help. */
export function choice<const C extends readonly string[]>(flags: string, description: string, choices: C, defaultValue: C[number]): OptionSpec<C[number]> {
  return { option: new Option(flags, description).choices(choices).default(defaultValue) };
}

/** A whole number from 1 to max: not 1e1, 0x10 or 1.0. */
export function positiveInteger(max: number): (value: string) => number {
  return (value: string): number => {
    const parsed = /^[0-9]+$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(parsed) || parsed < 1 || parsed > max) {
      throw new InvalidArgumentError(`expected a whole number from 1 to ${max}, got "${value}"`);
    }
    return parsed;
  };
}

export function integer(flags: string, description: string, max: number, defaultValue: number): OptionSpec<number> {
  return { option: new Option(flags, description).argParser(positiveInteger(max)).default(defaultValue) };
}

/**
 * A repeatable value: `--only a --only b` -> ['a', 'b']. No default: commander would show
 * `(default: [])` in --help; an option never given is undefined.
 */
export function repeatable(flags: string, description: string): OptionSpec<string[] | undefined> {
  return { option: new Option(flags, description).argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]) };
}

/** Anything else commander can express (a custom parser, a negatable flag): say the type. */
export function custom<T>(option: Option): OptionSpec<T> {
  return { option };
}

/**
 * Adds a table's options to a command. A key must be the name commander stores the value under
 * (`--dry-run` -> dryRun), or the typed flags would lie; that is a programming error, caught by
 * any test that builds the program.
 */
export function addOptions(command: Command, specs: Record<string, OptionSpec<unknown>>): Command {
  for (const [key, spec] of Object.entries(specs)) {
    if (spec.option.attributeName() !== key) throw new Error(`option ${spec.option.flags} is stored as ${spec.option.attributeName()}, not ${key}`);
    command.addOption(spec.option);
  }
  return command;
}
