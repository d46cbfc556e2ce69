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
  $ retag apply --insecure-registry registry.lab:5000 --output json tags.yaml > result.json
  $ retag apply --only 'starlingx/*' --only k8s-cni-sriov --only 'stx-fm-*' tags.yaml
  $ retag apply --dry-run --fail-on-pending tags.yaml      # CI: exit 1 while a tag is still missing
  $ retag apply --dry-run --output markdown tags.yaml >> "$GITHUB_STEP_SUMMARY"
  $ retag apply --repush stx-snmp,k8s-cni-sriov tags.yaml  # move these tags to their src_build_tag
  $ HTTPS_PROXY=http://proxy.corp:3128 retag apply --ca-file corp-ca.pem tags.yaml

Statuses: created, updated (moved by --repush), pending (dry-run), exists (same digest, nothing
  written), conflict (the tag points elsewhere; never overwritten), missing-source, failed.
Exit codes: 0 all created/updated/pending/exists; 1 any conflict, missing-source or failed
  (or pending, with --fail-on-pending); 2 usage or tag-file error, or an --only/--repush
  pattern that matches no image (no registry contacted); 130 interrupted (143 on SIGTERM).
Credentials, first found wins: --username/--password-stdin; the docker config
  ($DOCKER_CONFIG/config.json or ~/.docker/config.json): credHelpers, credsStore, auths;
  $REGISTRY_AUTH_FILE or $XDG_RUNTIME_DIR/containers/auth.json.
Network: HTTPS_PROXY/HTTP_PROXY/NO_PROXY and NODE_EXTRA_CA_CERTS are honoured; CAs in
  /etc/docker/certs.d/<host[:port]>/*.crt are trusted for that registry (folder: $RETAG_CERTS_D).
Logs: human lines when stderr is a terminal, JSON lines otherwise (--log-format).`;
