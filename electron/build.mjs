// Bundles the main-process side: the Electron shell, its preload and the CLI (the renderer is
// built by Vite). Runtime dependencies stay external: they ship in node_modules (native ones
// unpacked from the asar).
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const external = ['electron', ...Object.keys(pkg.dependencies)];
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };

await Promise.all([
  build({ ...common, entryPoints: ['electron/shell/main.ts'], outfile: 'dist/electron/main.js', external }),
  // A sandboxed preload can require only 'electron': everything else is bundled into it.
  build({ ...common, entryPoints: ['electron/shell/preload.ts'], outfile: 'dist/electron/preload.js', external: ['electron'] }),
  build({ ...common, entryPoints: ['electron/cli/main.ts'], outfile: 'dist/cli.js', external }),
  // Worker threads load a file from disk: in the packaged app it is unpacked from the asar, so it
  // carries its (pure JavaScript) dependencies inside.
  build({ ...common, entryPoints: ['electron/core/import/worker.ts'], outfile: 'dist/importWorker.js' }),
]);
