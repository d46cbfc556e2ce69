import { inspect } from 'node:util';

/**
 * A credential value that cannot be printed by accident: string conversion, JSON and
 * util.inspect (console, pino) all show `[REDACTED]`. Only `reveal()` gives the value, and only
 * the code that builds an Authorization header calls it.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[REDACTED]';
  }

  toJSON(): string {
    return '[REDACTED]';
  }

  [inspect.custom](): string {
    return '[REDACTED]';
  }
}
