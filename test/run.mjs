// The test command (`npm test`): builds (unless NOCTIS_SKIP_BUILD=1), then runs every test file
// under test/unit, test/integration and test/e2e with Node's test runner, ending with
// a line "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const kinds = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['unit', 'integration', 'e2e'];

if (process.env.NOCTIS_SKIP_BUILD !== '1') {
  const built = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const files = kinds.flatMap((kind) => findTests(path.join(root, 'test', kind)));
const run = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    // A test file whose tests have all ended exits even if it leaked a socket or a worker: a
    // hang would cost CI its whole time budget. (Leaks are still bugs: test/network.ts stops
    // every receiver a test starts.)
    '--test-force-exit',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=./test/summary-reporter.mjs',
    '--test-reporter-destination=stdout',
    ...files,
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(run.status ?? 1);

function findTests(dir) {
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return findTests(full);
    return /\.test\.tsx?$/.test(name) ? [path.relative(root, full)] : [];
  });
}
