// `npm run build`: dist/ is one ES-module bundle of src/ and its dependencies, made by esbuild.
//
// Why a bundle: start-up is the one cost of a run that is not a round trip (issue 4). Node loads
// an ES module graph file by file, and the unbundled CLI read about 200 files (zod alone 95) for
// about 80 ms before its first request; the bundle takes about 45 ms (`npm run bench`, start-up ms).
// Types are checked by `npm run typecheck` (tsc), not here: esbuild only strips them.
//
// Layout: dist/cli/main.js is the entry bin/retag.js imports; each command is its own chunk under
// dist/chunks/, loaded when the command runs, so `retag --help` loads no HTTP stack, logger, YAML
// parser or schema library (test/integration/startup.test.ts). The bundled packages' licences are
// collected into dist/THIRD-PARTY-NOTICES.txt, which the npm package ships.
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

rmSync('dist', { recursive: true, force: true });

const result = await build({
  entryPoints: ['src/cli/main.ts'],
  outbase: 'src',
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.18',
  chunkNames: 'chunks/[name]-[hash]',
  metafile: true,
  logLevel: 'warning',
  // CommonJS dependencies (undici, pino) call require() for Node's own modules; an ES module has
  // no require of its own, so each output file gets one.
  banner: { js: "import { createRequire as __retagCreateRequire } from 'node:module';\nconst require = __retagCreateRequire(import.meta.url);" },
});

/** node_modules/<name>/... or node_modules/@scope/<name>/... -> the package folder */
function packageDir(input) {
  const match = /^(.*?node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  return match?.[1];
}

const dirs = [...new Set(Object.keys(result.metafile.inputs).map(packageDir).filter(Boolean))].sort();
const notices = dirs.map((dir) => {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const licenceFile = readdirSync(dir).find((name) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(name));
  const text = licenceFile ? readFileSync(join(dir, licenceFile), 'utf8').trim() : `License: ${pkg.license ?? 'see the package'}`;
  return `${pkg.name} ${pkg.version} (${pkg.license ?? 'unknown licence'})\n${'-'.repeat(60)}\n${text}\n`;
});
writeFileSync(
  join('dist', 'THIRD-PARTY-NOTICES.txt'),
  `retag's dist/ bundles the following packages. Their licences follow.\n\n${notices.join('\n')}`,
);
if (!existsSync(join('dist', 'cli', 'main.js'))) throw new Error('build: dist/cli/main.js was not written');
process.stdout.write(`build: dist/ bundled (${Object.keys(result.metafile.outputs).length} files, ${dirs.length} packages)\n`);
