#!/bin/sh
# A CI shell job (Jenkins, Zuul, GitLab, CENGN) run in the repository of the tag files after a
# change to them merges. retag comes from its own checkout, never from `npx retag` (a name on the
# public npm registry that anyone could publish).
#
#   RETAG_DIR          the retag checkout (Zuul: a required-project; Jenkins: a second checkout)
#   TAG_FILE           the tag file to apply, e.g. tag-management/stx.10.0-image-tags.yaml
#   REGISTRY           the registry HOST[:PORT] the credentials are for
#   REGISTRY_USER      from the CI's secret store (Jenkins withCredentials, Zuul secret, ...)
#   REGISTRY_PASSWORD  idem; retag reads it on stdin only, so it never shows in ps or the log
set -eu

# Install retag from its checkout once per agent (dist/ is the build `npm ci` leaves out).
if [ ! -e "$RETAG_DIR/dist/cli/main.js" ]; then
  (cd "$RETAG_DIR" && npm ci --no-audit --no-fund && npm run build)
fi
retag() { node "$RETAG_DIR/bin/retag.js" "$@"; }

# Every step that talks to the registry gets the credentials: a private registry refuses even
# the dry-run's HEAD requests without them.
with_credentials() { printf '%s\n' "$REGISTRY_PASSWORD" | retag "$@" --username "$REGISTRY_USER" --password-stdin --registry "$REGISTRY"; }

retag validate "$TAG_FILE"
# What this run is about to do, in the console before anything is written.
with_credentials apply --dry-run --changes "$TAG_FILE"
# Exit 1 (a conflict, a missing source, a failure) fails the job; retag-result.json says which image.
with_credentials apply --output json "$TAG_FILE" > retag-result.json
# Nothing may be left to do.
with_credentials apply --dry-run --fail-on-pending --changes "$TAG_FILE"
