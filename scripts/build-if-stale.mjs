// `npm run demo` builds only what is older than its sources: dist/ (tsc of src/) and .build/
// (the demo script and the test helpers it uses). A second `npm run demo` starts at once.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

function newest(paths) {
  let latest = 0;
  for (const path of paths) {
    const full = join(root, path);
    if (!existsSync(full)) continue;
    const info = statSync(full);
    if (info.isDirectory()) latest = Math.max(latest, newest(readdirSync(full).map((name) => join(path, name))));
    else latest = Math.max(latest, info.mtimeMs);
  }
  return latest;
}

function built(path) {
  const full = join(root, path);
  return existsSync(full) ? statSync(full).mtimeMs : -1;
}

const config = ['package.json', 'package-lock.json', 'tsconfig.json'];
if (newest(['src', 'tsconfig.build.json', 'scripts/build-schema.mjs', ...config]) > built('dist/cli/main.js')) {
  execSync('npm run build', { cwd: root, stdio: 'inherit' });
}
if (newest(['scripts', 'test/helpers', 'src', 'tsconfig.scripts.json', ...config]) > built('.build/scripts/demo.js')) {
  execSync('npm run build:scripts', { cwd: root, stdio: 'inherit' });
}
