#!/usr/bin/env node
'use strict';
// Entry of `npx noctis`: runs the bundled CLI that `npm run build` (or `npm install`) made.
const path = require('node:path');
const fs = require('node:fs');

const bundle = path.join(__dirname, '..', '..', 'dist', 'cli.js');
if (!fs.existsSync(bundle)) {
  process.stderr.write('Noctis is not built yet: run `npm install` (or `npm run build`) in the repository first.\n');
  process.exit(1);
}
// `noctis instances | head`: a reader that stops early is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
require(bundle)
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
