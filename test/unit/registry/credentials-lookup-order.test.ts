// The places credentials are looked for, in order, for each environment a build host may have.
import { describe, expect, it } from 'vitest';
import { credentialSources, type LookupOrderOptions } from '../../../src/registry/credentials/lookup-order.js';

const HOME = '/home/ci';

function order(options: Partial<LookupOrderOptions> & { env: NodeJS.ProcessEnv }): string[] {
  return credentialSources({ home: HOME, uid: 1000, cwd: '/work', ...options }).map((s) => `${s.label} = ${s.path}${s.format === 'legacy' ? ' (legacy)' : ''}`);
}

describe('credentialSources', () => {
  it.each<[string, Partial<LookupOrderOptions> & { env: NodeJS.ProcessEnv }, string[]]>([
    [
      'nothing set: /run/containers/$UID, ~/.config, ~/.docker, ~/.dockercfg',
      { env: {} },
      [
        '/run/containers/1000/auth.json = /run/containers/1000/auth.json',
        '~/.config/containers/auth.json = /home/ci/.config/containers/auth.json',
        '~/.docker/config.json = /home/ci/.docker/config.json',
        '~/.dockercfg = /home/ci/.dockercfg (legacy)',
      ],
    ],
    [
      'everything set, --authfile first',
      {
        authFile: 'ci-auth.json',
        env: { REGISTRY_AUTH_FILE: '/etc/ci/auth.json', XDG_RUNTIME_DIR: '/run/user/1000', XDG_CONFIG_HOME: '/cfg', DOCKER_CONFIG: '/dock' },
      },
      [
        '--authfile ci-auth.json = /work/ci-auth.json',
        '$REGISTRY_AUTH_FILE = /etc/ci/auth.json',
        '$XDG_RUNTIME_DIR/containers/auth.json = /run/user/1000/containers/auth.json',
        '$XDG_CONFIG_HOME/containers/auth.json = /cfg/containers/auth.json',
        '$DOCKER_CONFIG/config.json = /dock/config.json',
        '~/.dockercfg = /home/ci/.dockercfg (legacy)',
      ],
    ],
    [
      'root without XDG_RUNTIME_DIR: where `skopeo login` writes',
      { uid: 0, env: {} },
      [
        '/run/containers/0/auth.json = /run/containers/0/auth.json',
        '~/.config/containers/auth.json = /home/ci/.config/containers/auth.json',
        '~/.docker/config.json = /home/ci/.docker/config.json',
        '~/.dockercfg = /home/ci/.dockercfg (legacy)',
      ],
    ],
    [
      'no uid (not POSIX): no /run/containers path',
      { uid: undefined, env: {} },
      [
        '~/.config/containers/auth.json = /home/ci/.config/containers/auth.json',
        '~/.docker/config.json = /home/ci/.docker/config.json',
        '~/.dockercfg = /home/ci/.dockercfg (legacy)',
      ],
    ],
    [
      'the same file named twice is read once, at its first place',
      { authFile: '/run/user/1000/containers/auth.json', env: { REGISTRY_AUTH_FILE: '/run/user/1000/containers/auth.json', XDG_RUNTIME_DIR: '/run/user/1000' } },
      [
        '--authfile /run/user/1000/containers/auth.json = /run/user/1000/containers/auth.json',
        '~/.config/containers/auth.json = /home/ci/.config/containers/auth.json',
        '~/.docker/config.json = /home/ci/.docker/config.json',
        '~/.dockercfg = /home/ci/.dockercfg (legacy)',
      ],
    ],
    [
      'empty variables count as unset; HOME from the environment',
      { home: undefined, env: { HOME: '/root', XDG_RUNTIME_DIR: '', DOCKER_CONFIG: '', REGISTRY_AUTH_FILE: '' } },
      [
        '/run/containers/1000/auth.json = /run/containers/1000/auth.json',
        '~/.config/containers/auth.json = /root/.config/containers/auth.json',
        '~/.docker/config.json = /root/.docker/config.json',
        '~/.dockercfg = /root/.dockercfg (legacy)',
      ],
    ],
  ])('%s', (_name, options, expected) => {
    expect(order(options)).toEqual(expected);
  });

  it('only --authfile and $REGISTRY_AUTH_FILE are named files (their absence is reported)', () => {
    const named = credentialSources({ authFile: 'a.json', env: { REGISTRY_AUTH_FILE: '/b.json' }, home: HOME, uid: 0 }).filter((s) => s.named);
    expect(named.map((s) => s.label)).toEqual(['--authfile a.json', '$REGISTRY_AUTH_FILE']);
  });
});
