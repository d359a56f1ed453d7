'use strict';
// Runs a TypeScript worker entry from the sources (tests, development): registers tsx first.
// The built app runs the bundled JavaScript worker instead.
require('tsx/cjs');
require(require('node:worker_threads').workerData.entry);
