// The words of `retag --help` and each command's --help: what it does, examples, exit codes.
// Kept apart from the option tables so that a reader finds them in one place.

export const PROGRAM_DESCRIPTION =
  'Pin container image tags from reviewed YAML tag files: for each image, copy the manifest of ' +
  'src_build_tag to tag on the registry itself (no layers pulled), never overwriting a tag.';

export const PROGRAM_EXAMPLES = `
Examples:
  $ retag validate tag-management/*.yaml
  $ retag apply --dry-run --output markdown stx.4.0-image-tags.yaml >> "$GITHUB_STEP_SUMMARY"
  $ retag apply stx.4.0-image-tags.yaml
  $ retag refs --tags stx.4.0-image-tags.yaml charts/ playbooks/   # references still on old or floating tags

Run \`retag help <command>\` (or \`retag <command> --help\`) for a command's options and examples.`;

export const VALIDATE_EXAMPLES = `
Examples:
  $ retag validate stx.4.0-image-tags.yaml
  $ retag validate tag-files/*.yaml            # also checks that no two files ask for one tag from different builds
  $ retag validate --output json stx.4.0-image-tags.yaml | jq '.images[].tag'
  $ retag validate --output markdown tag-files/*.yaml > review-comment.md

Exit codes: 0 every file is valid; 2 a file is invalid (each problem is printed with file and line).`;

export const APPLY_EXAMPLES = `
Examples:
  $ retag apply --dry-run stx.4.0-image-tags.yaml          # preview: HEAD requests only, writes nothing
  $ retag apply stx.4.0-image-tags.yaml                    # create the missing tags
  $ echo "$REGISTRY_PASSWORD" | retag apply --username ci-bot --password-stdin tags.yaml
  $ echo "$PW" | retag apply --username ci-bot --password-stdin --registry registry.lab:5000 tags.yaml
  $ skopeo login --authfile ci-auth.json quay.io && retag apply --authfile ci-auth.json tags.yaml
  $ retag apply --insecure-registry registry.lab:5000 --output json tags.yaml > result.json
  $ retag apply --only 'starlingx/*' --only k8s-cni-sriov --only 'stx-fm-*' tags.yaml
  $ retag apply --dry-run --fail-on-pending tags.yaml      # CI: exit 1 while a tag is still missing
  $ retag apply --dry-run --output markdown tags.yaml >> "$GITHUB_STEP_SUMMARY"
  $ retag apply --repush stx-snmp,k8s-cni-sriov tags.yaml  # move these tags to their src_build_tag
  $ HTTPS_PROXY=http://proxy.corp:3128 retag apply --ca-file corp-ca.pem tags.yaml

Statuses: created, updated (moved by --repush), pending (dry-run), exists (same digest, nothing
  written), conflict (the tag points elsewhere; never overwritten), missing-source,
  source-moved (src_build_tag no longer holds the pinned src_digest; nothing written), failed,
  not-started (interrupted before its turn).
Exit codes: 0 all created/updated/pending/exists; 1 any conflict, missing-source, source-moved
  or failed (or pending, with --fail-on-pending); 2 usage or tag-file error, or an --only/--repush
  pattern that matches no image (no registry contacted); 130 interrupted (143 on SIGTERM).
Dry-run and push: with token auth a dry-run asks for the token apply would use (pull,push). A
  repository the credentials may not push to is said once on stderr and its new tags are pending
  with that warning; without even pull its images fail and nothing is asked. A token service that
  refuses the push request outright is asked for pull alone; the report says push was not checked.
Credentials: --username/--password-stdin go to one registry only (--registry HOST[:PORT] names
  it when the images are on several). Otherwise the first file with an entry for the image:
  --authfile FILE, $REGISTRY_AUTH_FILE, $XDG_RUNTIME_DIR/containers/auth.json (unset:
  /run/containers/$UID/auth.json), ~/.config/containers/auth.json, $DOCKER_CONFIG/config.json or
  ~/.docker/config.json, ~/.dockercfg (credHelpers, credsStore, auths; host/namespace keys).
Network: HTTPS_PROXY/HTTP_PROXY/NO_PROXY and NODE_EXTRA_CA_CERTS are honoured; CAs in
  /etc/docker/certs.d/<host[:port]>/*.crt are trusted for that registry, and client.cert +
  client.key there are presented to it (folder: $RETAG_CERTS_D). Loopback and --insecure-registry
  hosts: HTTPS without certificate checks first, plain HTTP if they do not speak TLS.
Logs: human lines when stderr is a terminal, JSON lines otherwise (--log-format).`;

export const PIN_EXAMPLES = `
Examples:
  $ retag pin stx.4.0-image-tags.yaml            # add src_digest to every entry without one
  $ retag pin --check tag-files/*.yaml           # review gate: exit 1 while a digest is missing or stale
  $ retag pin --update stx.4.0-image-tags.yaml   # also rewrite digests whose src_build_tag was re-pushed

Each src_digest line goes right after its entry's src_build_tag line, with the same indentation;
no other byte of the file changes. A file is written whole (temp file + rename) or not at all: a
source that is missing or unreadable leaves it untouched. Credentials and network settings as for
retag apply (read access is enough).
Exit codes: 0 done (--check: every digest present and current); 1 a source missing or failed, a
  stale digest (without --update) or, with --check, a missing one; 2 usage or tag-file error, or
  an entry laid out so that it cannot be edited safely (the line and the digest are printed).`;

export const REFS_EXAMPLES = `
Examples:
  $ retag refs --tags stx.4.0-image-tags.yaml .                  # check every reference in the tree
  $ retag refs --tags tags-bullseye.yaml --tags tags-trixie.yaml charts/
  $ retag refs --tags stx.4.0-image-tags.yaml --fix .            # move them to the tag files' tags
  $ retag refs --tags tags.yaml --exclude 'docs/**' --output markdown . >> "$GITHUB_STEP_SUMMARY"

Finds name:tag and name@digest in any text (YAML, Jinja, shell, Python, Dockerfiles, Markdown),
  repository + tag keys in YAML (Helm, Armada image + imageTag, Kustomize, patches), docker short
  forms, mirror prefixes (registry.local:9001/docker.io/...) and templated registries.
Statuses: pinned (a tag of the tag files), drift (another fixed tag), floating (no tag, latest,
  *-latest), unresolved (the tag is a variable), unmanaged (in a managed namespace, in no tag
  file), ignored (a "retag: ignore" comment on the line or the line before).
--fix rewrites drift and floating references whose tag is unambiguous (only the tag text
  changes; each file written atomically); ambiguous ones are listed and left alone.
Exit codes: 0 no drift or floating reference (outside comments; --all counts comments too);
  1 there is one (after --fix: one is left); 2 usage or tag-file error (nothing scanned).`;
