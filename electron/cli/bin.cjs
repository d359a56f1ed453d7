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
require(bundle)
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
