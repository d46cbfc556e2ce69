// Checks on argv that hold for every command, before commander sees it.
import { UsageError } from './exit-codes.js';

/**
 * Commander echoes an unknown `--option=value` whole; when the option was a mistyped
 * `--password=...` that would print the secret into a CI log. Values after `=` are hidden.
 */
export function hideOptionValues(message: string): string {
  return message.replace(/('--?[\w-]+)=[^']*'/g, "$1=…'");
}

/** `--password VALUE` is refused by name, without echoing it: secrets come on stdin only. */
export function refusePasswordArgument(args: string[]): void {
  if (args.some((arg) => /^--(password|pass|token)(=|$)/i.test(arg))) {
    throw new UsageError(
      'retag takes no password or token on the command line (ps and CI logs would show it); ' +
        'pipe it in: `echo "$PW" | retag apply --username NAME --password-stdin FILE`',
    );
  }
}

/** `retag validate "$FILE"` with FILE unset would otherwise read the current folder as a file. */
export function refuseEmptyFileNames(files: string[]): void {
  if (files.some((file) => file.trim() === '')) throw new UsageError('an empty file name was given (an unset variable?); name the tag files');
}
