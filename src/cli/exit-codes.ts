// Exit codes a CI job can act on. README's "Exit codes" section documents the same table.
export const EXIT_OK = 0;
/** a conflict, a missing source or a failure (credentials refused included) */
export const EXIT_IMAGES_FAILED = 1;
/** a usage error or an invalid tag file: nothing was contacted */
export const EXIT_USAGE = 2;
export const EXIT_SIGINT = 130;
export const EXIT_SIGTERM = 143;

/** A problem with how retag was called; main() prints it and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
