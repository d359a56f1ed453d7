import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { WorkerPool } from '../../electron/core/import/pool';
import { tempDir } from '../helpers';

test('a worker that dies fails only its task; the pool replaces it and goes on', async () => {
  const dir = tempDir();
  const entry = path.join(dir, 'worker.cjs');
  fs.writeFileSync(
    entry,
    `const { parentPort } = require('node:worker_threads');
     parentPort.on('message', ({ id, task }) => {
       if (task === 'die') process.exit(3);
       if (task === 'throw') setImmediate(() => { throw new Error('escaped'); });
       else parentPort.postMessage({ id, result: task * 2 });
     });`,
  );
  const pool = new WorkerPool<number | string, number>({ file: entry }, 2);
  try {
    const results = await Promise.allSettled([pool.run(1), pool.run('die'), pool.run(2), pool.run('throw'), pool.run(3), pool.run(4)]);
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value : 'failed')),
      [2, 'failed', 4, 'failed', 6, 8],
    );
    assert.equal(await pool.run(21), 42, 'still serving after two deaths');
  } finally {
    await pool.close();
  }
});
