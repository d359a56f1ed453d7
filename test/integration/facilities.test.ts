// Facility isolation: a facility_user never receives another facility's study from any channel —
// search, open by UID, instance bytes, events — and studies belong to facilities by the admin's
// institution mapping, else by the importing user's facility.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { StudyDetail } from '../../shared/api';
import type { ImportReport } from '../../shared/import';
import { writeStudy } from '../fixtures/generate';
import { api, signedIn, tempCore, tempDir, type TestWindow } from '../helpers';

const core = tempCore();
const uids: Record<'north' | 'south' | 'none' | 'byNorthTech', string> = { north: '', south: '', none: '', byNorthTech: '' };
let northUser: TestWindow;
let southUser: TestWindow;
let radiologist: TestWindow;

function study(name: string, institutionName?: string): { dir: string; uid: string } {
  const dir = tempDir();
  const { studyInstanceUid } = writeStudy(dir, { patientName: `${name}^TEST`, patientId: name, institutionName, slicesPerSeries: 2 });
  return { dir, uid: studyInstanceUid };
}

function finished(jobId: string): Promise<ImportReport> {
  return new Promise((resolve) => {
    const off = core.on('import.finished', (report) => {
      if (report.jobId !== jobId) return;
      off();
      resolve(report);
    });
  });
}

before(async () => {
  await api(core, 'facilities.create', { name: 'North', institutions: ['North Hospital'] });
  await api(core, 'facilities.create', { name: 'South', institutions: ['South Hospital'] });
  const north = study('NORTH', '  north hospital'); // spelled another way by the modality
  const south = study('SOUTH', 'South Hospital');
  const none = study('NOWHERE');
  await core.importFiles([north.dir, south.dir, none.dir]);
  Object.assign(uids, { north: north.uid, south: south.uid, none: none.uid });

  // A technologist's import: studies with no mapped institution belong to the technologist's facility.
  const tech = await signedIn(core, 'technologist', { facility: 'North' });
  const mine = study('BYTECH');
  const { jobId } = await tech.call('import.start', { paths: [mine.dir] });
  assert.equal((await finished(jobId)).imported, 2);
  uids.byNorthTech = mine.uid;

  northUser = await signedIn(core, 'facility_user', { facility: 'North' });
  southUser = await signedIn(core, 'facility_user', { facility: 'South' });
  radiologist = await signedIn(core, 'radiologist', { facility: 'South' });
});

const found = async (window: TestWindow) => (await window.call('studies.search', {})).studies.map((s) => s.studyInstanceUid).sort();

test('search returns only the facility_user’s facility, and its total counts only those', async () => {
  assert.deepEqual(await found(northUser), [uids.north, uids.byNorthTech].sort());
  assert.deepEqual(await found(southUser), [uids.south]);
  assert.equal((await northUser.call('studies.search', {})).total, 2);
  assert.equal((await northUser.call('studies.search', { query: 'SOUTH' })).total, 0, 'not even by name');
  // Other roles are not limited to their facility.
  assert.deepEqual(await found(radiologist), Object.values(uids).sort());
});

test('another facility’s study is not found by its UID, and its bytes are not served', async () => {
  await assert.rejects(northUser.call('studies.get', { studyInstanceUid: uids.south }), { code: 'STUDY_NOT_FOUND' });
  await assert.rejects(northUser.call('studies.get', { studyInstanceUid: uids.none }), { code: 'STUDY_NOT_FOUND' }, 'a study of no facility either');
  const own: StudyDetail = await northUser.call('studies.get', { studyInstanceUid: uids.north });
  const southStudy = await southUser.call('studies.get', { studyInstanceUid: uids.south });
  const northKey = new URL(own.series[0].instances[0].url, 'http://x').searchParams.get('k');
  const southSop = southStudy.series[0].instances[0].sopInstanceUid;
  assert.ok(core.instanceFileForKey(own.series[0].instances[0].sopInstanceUid, northKey));
  assert.equal(core.instanceFileForKey(southSop, northKey), undefined, 'the south image with the north key');
  const southKey = new URL(southStudy.series[0].instances[0].url, 'http://x').searchParams.get('k');
  assert.ok(core.instanceFileForKey(southSop, southKey));
});

test('events about other facilities’ studies do not reach a facility_user', () => {
  const connection = northUser.ctx.connection!;
  const changed = { studyInstanceUids: [uids.north, uids.south, uids.none] };
  assert.deepEqual(core.visibleEvent(connection, 'studies.changed', changed), { studyInstanceUids: [uids.north] });
  assert.equal(core.visibleEvent(connection, 'studies.changed', { studyInstanceUids: [uids.south] }), undefined);
  assert.equal(core.visibleEvent(connection, 'import.finished', {} as ImportReport), undefined, 'no import reports (paths, institutions)');
  assert.deepEqual(core.visibleEvent(radiologist.ctx.connection!, 'studies.changed', changed), changed);
  assert.equal(core.visibleEvent({}, 'studies.changed', changed), undefined, 'a window nobody signed in to hears nothing');
});

test('mapping an institution later moves its studies to that facility', async () => {
  const clinic = study('CLINIC', 'Hill Clinic');
  await core.importFiles([clinic.dir]);
  assert.ok(!(await found(southUser)).includes(clinic.uid));
  const south = (await api(core, 'facilities.list', {})).find((f) => f.name === 'South');
  assert.ok(south);
  const updated = await api(core, 'facilities.update', { facilityId: south.facilityId, institutions: [...south.institutions, 'HILL CLINIC'] });
  assert.deepEqual(updated.institutions, ['HILL CLINIC', 'South Hospital']);
  assert.ok((await found(southUser)).includes(clinic.uid));
  // One institution belongs to one facility.
  const north = (await api(core, 'facilities.list', {})).find((f) => f.name === 'North');
  await assert.rejects(api(core, 'facilities.update', { facilityId: north!.facilityId, institutions: ['hill clinic'] }), { code: 'FACILITY_EXISTS' });
  await assert.rejects(api(core, 'facilities.create', { name: 'north' }), { code: 'FACILITY_EXISTS' }, 'names ignore case');
});
