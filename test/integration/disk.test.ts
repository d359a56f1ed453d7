// Disk safety on a real, small filesystem (tmpfs, mounted by the test as root): the floor stops
// an import before the disk fills; a disk that fills anyway (ENOSPC) stops it cleanly, with
// nothing half-written indexed, and a later import completes the rest.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { writeStudy } from '../fixtures/generate';
import { api, tempCore, tempDir } from '../helpers';

const mounts: string[] = [];
after(() => {
  for (const dir of mounts) spawnSync('umount', [dir]);
});

/** A tmpfs of `mb` megabytes, or the reason there cannot be one here. */
function smallDisk(mb: number): string | { skip: string } {
  const dir = tempDir('noctis-disk-');
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${mb}m`, 'tmpfs', dir], { encoding: 'utf8' });
  if (mounted.status !== 0) return { skip: `cannot mount a tmpfs here (${(mounted.stderr || mounted.error?.message || '').trim()}); needs root` };
  mounts.push(dir);
  return dir;
}

const canMount = (() => {
  const probe = smallDisk(1);
  if (typeof probe !== 'string') return probe.skip;
  spawnSync('umount', [probe]);
  mounts.pop();
  return true;
})();
const skip = canMount === true ? false : canMount;

/** About `mb` MB of CT slices (512×512×16 bit, 0.5 MB each) in one study. */
function bigStudy(mb: number) {
  const source = tempDir();
  const study = writeStudy(source, { patientName: 'DISK^FULL', patientId: 'DF1', rows: 512, columns: 512, slicesPerSeries: mb * 2 });
  return { source, study };
}

function assertIndexedFilesComplete(core: ReturnType<typeof tempCore>): number {
  let n = 0;
  for (const instance of core.instances()) {
    const bytes = fs.readFileSync(instance.path);
    // Content-addressed store: the file name is the sha256 of the whole file.
    assert.equal(createHash('sha256').update(bytes).digest('hex'), path.basename(instance.path, '.dcm'), `${instance.path} is whole`);
    n++;
  }
  return n;
}

test('the disk filling up mid-import stops the job cleanly; a re-import after freeing space completes it', { skip }, async () => {
  const disk = smallDisk(24) as string;
  const { source, study } = bigStudy(40);
  const core = tempCore(path.join(disk, 'data'));
  await api(core, 'settings.set', { minFreeDiskMB: 0 }); // no floor: let it hit ENOSPC

  const report = await core.importFiles([source]);
  assert.equal(report.status, 'failed');
  assert.equal(report.stoppedBy?.code, 'DISK_FULL');
  assert.ok(report.imported > 0 && report.imported < study.instances.length, `${report.imported} imported`);
  assert.equal(report.invalid, 0, 'no file is blamed for the full disk');
  assert.ok(report.notes.some((n) => n.includes('Stopped early')));
  assert.equal(assertIndexedFilesComplete(core), report.imported);
  assert.deepEqual(fs.readdirSync(core.paths.tmpDir).filter((f) => f.endsWith('.part')), [], 'no partial copy left');
  assert.equal((await api(core, 'health.check', {})).result, 'ok');
  const job = await api(core, 'import.get', { jobId: report.jobId });
  assert.equal(job.status, 'failed');
  assert.equal(job.report?.stoppedBy?.code, 'DISK_FULL');

  execFileSync('mount', ['-o', 'remount,size=64m', disk]);
  const again = await core.importFiles([source]);
  assert.equal(again.status, 'completed');
  assert.equal(again.imported + again.duplicates, study.instances.length);
  assert.equal(assertIndexedFilesComplete(core), study.instances.length);
  core.close();
});

test('below the free-space floor an import stops before the disk is full', { skip }, async () => {
  const disk = smallDisk(24) as string;
  const { source, study } = bigStudy(40);
  const core = tempCore(path.join(disk, 'data'));
  await api(core, 'settings.set', { minFreeDiskMB: 8 });

  const report = await core.importFiles([source]);
  assert.equal(report.status, 'failed');
  assert.equal(report.stoppedBy?.code, 'DISK_SPACE_LOW');
  assert.ok(report.imported > 0 && report.imported < study.instances.length);
  const free = fs.statfsSync(disk).bavail * fs.statfsSync(disk).bsize;
  // The files already being copied when the floor was crossed (a window of them) still land.
  assert.ok(free > 2e6, `stopped with ${free} bytes free, not at ENOSPC`);
  assert.equal(assertIndexedFilesComplete(core), report.imported);
  const health = await api(core, 'health.get', {});
  assert.notEqual(health.checks.find((c) => c.name === 'disk')?.status, 'ok');

  // A new import is refused outright while the disk stays below the floor.
  await api(core, 'settings.set', { minFreeDiskMB: Math.ceil(free / 1e6) + 1 });
  await assert.rejects(core.importFiles([source]), { code: 'DISK_SPACE_LOW' });
  core.close();
});
