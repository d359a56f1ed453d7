// The viewer's side of the core on real files: the tag browser's elements (charsets, implicit
// VR, sequences, compressed pixel data), each user's measurements, and series thumbnails, all
// within the caller's facility.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import type { ErrorInfo } from '../../shared/errors';
import type { TagNode } from '../../shared/viewer';
import { convertTransferSyntax } from '../fixtures/convert';
import { writeStudy } from '../fixtures/generate';
import { api, signedIn, tempCore, tempDir, testWindow, TEST_PASSWORD } from '../helpers';
import { dcmtk } from '../network';

const find = (nodes: TagNode[], tag: string) => nodes.find((n) => n.tag === tag);
const refused = (code: string) => (e: ErrorInfo) => e.code === code;

test('the tag browser lists every element: decoded text, dictionary keywords, sequences, pixel data by size', async () => {
  const dir = tempDir();
  const study = writeStudy(dir, { patientName: 'Müller^Jürgen=山田^太郎', patientId: 'TAG1', charset: 'ISO_IR 192', slicesPerSeries: 2 });
  const [plain, implicit] = study.instances;
  convertTransferSyntax(implicit.path, implicit.path, 'implicit-le');
  const edit = await dcmtk('dcmodify', ['-nb', '-i', '(0008,1140)[0].(0008,1150)=1.2.840.10008.5.1.4.1.1.2', '-i', '(0008,1140)[0].(0008,1155)=1.2.3.4', plain.path]);
  assert.equal(edit.code, 0, edit.stderr);
  const core = tempCore();
  await core.importFiles([dir]);

  const tags = await api(core, 'instances.tags', { sopInstanceUid: plain.sopInstanceUid });
  assert.deepEqual(find(tags, '(0010,0010)'), { tag: '(0010,0010)', keyword: 'PatientName', vr: 'PN', value: 'Müller^Jürgen=山田^太郎' });
  assert.equal(find(tags, '(0002,0010)')?.keyword, 'TransferSyntaxUID', 'the meta header is listed too');
  assert.match(find(tags, '(7FE0,0010)')?.value ?? '', /^<\d+ bytes>$/);
  assert.equal(find(tags, '(0028,0010)')?.value, '64', 'Rows, read as a number');
  const sequence = find(tags, '(0008,1140)');
  assert.equal(sequence?.vr, 'SQ');
  assert.equal(sequence?.keyword, 'ReferencedImageSequence');
  assert.equal(sequence?.items?.length, 1);
  assert.equal(find(sequence?.items?.[0] ?? [], '(0008,1155)')?.value, '1.2.3.4');

  // Implicit VR: the file says no VR; the dictionary does.
  const implicitTags = await api(core, 'instances.tags', { sopInstanceUid: implicit.sopInstanceUid });
  assert.deepEqual(find(implicitTags, '(0020,000D)'), { tag: '(0020,000D)', keyword: 'StudyInstanceUID', vr: 'UI', value: study.studyInstanceUid });
  assert.equal(find(implicitTags, '(0028,0100)')?.vr, 'US');

  const compressed = tempDir();
  const cine = writeStudy(compressed, { patientName: 'TAG^CINE', patientId: 'TAG2', modality: 'US', frames: 4, rows: 32, columns: 40 });
  convertTransferSyntax(cine.instances[0].path, cine.instances[0].path, 'jpeg-baseline');
  await core.importFiles([compressed]);
  const cineTags = await api(core, 'instances.tags', { sopInstanceUid: cine.instances[0].sopInstanceUid });
  assert.match(find(cineTags, '(7FE0,0010)')?.value ?? '', /^<4 fragment\(s\)/);
  await assert.rejects(api(core, 'instances.tags', { sopInstanceUid: '1.2.3.999' }), refused('INSTANCE_NOT_FOUND'));
});

test("measurements are each user's own, per image, and stay inside the study and the facility", async () => {
  const dir = tempDir();
  const study = writeStudy(dir, { patientName: 'MEASURE^ME', patientId: 'MS1', slicesPerSeries: 2, institutionName: 'North Hospital' });
  const other = writeStudy(dir, { patientName: 'OTHER^STUDY', patientId: 'MS2', slicesPerSeries: 1, institutionName: 'South Hospital' });
  const core = tempCore();
  await api(core, 'facilities.create', { name: 'North', institutions: ['North Hospital'] });
  await api(core, 'facilities.create', { name: 'South', institutions: ['South Hospital'] });
  await core.importFiles([dir]);
  const ana = await signedIn(core, 'radiologist', { username: 'ana', facility: 'North' });
  const ben = await signedIn(core, 'radiologist', { facility: 'North' });
  const viewer = await signedIn(core, 'facility_user', { facility: 'North' });
  const southViewer = await signedIn(core, 'facility_user', { facility: 'South' });

  const length = {
    measurementId: 'length-1',
    studyInstanceUid: study.studyInstanceUid,
    sopInstanceUid: study.instances[1].sopInstanceUid,
    tool: 'Length' as const,
    data: { points: [[0, 0, 0], [30, 40, 0]], length: 50, unit: 'mm' },
    label: '50.0 mm',
  };
  const saved = await ana.call('measurements.save', length);
  assert.equal(saved.frame, 1);
  assert.equal(saved.label, '50.0 mm');
  const moved = await ana.call('measurements.save', { ...length, data: { ...length.data, length: 52 }, label: '52.0 mm' });
  assert.equal(moved.createdAt, saved.createdAt);
  assert.deepEqual(
    (await ana.call('measurements.list', { studyInstanceUid: study.studyInstanceUid })).map((m) => [m.measurementId, m.label, m.data.length]),
    [['length-1', '52.0 mm', 52]],
  );
  assert.deepEqual(await ben.call('measurements.list', { studyInstanceUid: study.studyInstanceUid }), [], "another user's are not listed");
  await assert.rejects(ben.call('measurements.save', { ...length, label: 'taken over' }), refused('PERMISSION_DENIED'));
  assert.equal((await ben.call('measurements.delete', { measurementId: 'length-1' })).deleted, false);
  await assert.rejects(viewer.call('measurements.save', { ...length, measurementId: 'fu-1' }), refused('PERMISSION_DENIED'));
  await assert.rejects(
    ana.call('measurements.save', { ...length, measurementId: 'wrong-study', sopInstanceUid: other.instances[0].sopInstanceUid }),
    refused('INSTANCE_NOT_FOUND'),
  );
  await assert.rejects(southViewer.call('measurements.list', { studyInstanceUid: study.studyInstanceUid }), refused('STUDY_NOT_FOUND'));

  assert.equal((await ana.call('measurements.delete', { measurementId: 'length-1' })).deleted, true);
  assert.deepEqual(await ana.call('measurements.list', { studyInstanceUid: study.studyInstanceUid }), []);
  // The store survives a restart: a new core on the same data directory.
  await ana.call('measurements.save', { ...length, measurementId: 'kept' });
  core.close();
  const anaAgain = testWindow(tempCore(path.dirname(core.paths.dbFile)));
  await anaAgain.call('auth.login', { username: 'ana', password: TEST_PASSWORD });
  assert.deepEqual((await anaAgain.call('measurements.list', { studyInstanceUid: study.studyInstanceUid })).map((m) => m.measurementId), ['kept']);
});

test('a series thumbnail is made once by a window and served from the store, only within the facility', async () => {
  const dir = tempDir();
  const north = writeStudy(dir, { patientName: 'THUMB^NORTH', patientId: 'TH1', seriesCount: 2, slicesPerSeries: 1, institutionName: 'North Hospital' });
  const south = writeStudy(dir, { patientName: 'THUMB^SOUTH', patientId: 'TH2', slicesPerSeries: 1, institutionName: 'South Hospital' });
  const core = tempCore();
  await api(core, 'facilities.create', { name: 'North', institutions: ['North Hospital'] });
  await api(core, 'facilities.create', { name: 'South', institutions: ['South Hospital'] });
  await core.importFiles([dir]);
  const radiologist = await signedIn(core, 'radiologist', { facility: 'North' });
  const northViewer = await signedIn(core, 'facility_user', { facility: 'North' });
  const png = `data:image/png;base64,${Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('rest of a png')]).toString('base64')}`;
  const [first, second] = north.seriesInstanceUids;

  assert.deepEqual(await radiologist.call('thumbnails.get', { seriesInstanceUids: [first, second] }), {}, 'none made yet');
  assert.deepEqual(await radiologist.call('thumbnails.put', { seriesInstanceUid: first, png }), { saved: true });
  await radiologist.call('thumbnails.put', { seriesInstanceUid: south.seriesInstanceUids[0], png });
  assert.deepEqual(await northViewer.call('thumbnails.get', { seriesInstanceUids: [first, second, south.seriesInstanceUids[0]] }), { [first]: png });
  await assert.rejects(northViewer.call('thumbnails.put', { seriesInstanceUid: south.seriesInstanceUids[0], png }), refused('STUDY_NOT_FOUND'));
  await assert.rejects(radiologist.call('thumbnails.put', { seriesInstanceUid: second, png: 'data:image/png;base64,PGh0bWw+' }), refused('VALIDATION_FAILED'));
  await assert.rejects(radiologist.call('thumbnails.put', { seriesInstanceUid: second, png: 'x'.repeat(300_000) }), refused('VALIDATION_FAILED'));
});

test('a study opens with what the viewer syncs by: each series’ frame of reference and each image’s position', async () => {
  const dir = tempDir();
  const study = writeStudy(dir, { patientName: 'SYNC^ME', patientId: 'SY1', slicesPerSeries: 3, seriesCount: 2, frameOfReferenceUid: '1.2.3.44' });
  const cr = writeStudy(dir, { patientName: 'SYNC^CR', patientId: 'SY2', modality: 'CR', rows: 32, columns: 32 });
  const core = tempCore();
  await core.importFiles([dir]);
  const reader = await signedIn(core, 'radiologist');
  const detail = await reader.call('studies.get', { studyInstanceUid: study.studyInstanceUid });
  assert.deepEqual(
    detail.series.map((s) => s.frameOfReferenceUid),
    ['1.2.3.44', '1.2.3.44'],
  );
  assert.deepEqual(
    detail.series[0].instances.map((i) => i.imagePositionPatient),
    [
      [0, 0, 0],
      [0, 0, 2.5],
      [0, 0, 5],
    ],
  );
  const radiograph = await reader.call('studies.get', { studyInstanceUid: cr.studyInstanceUid });
  assert.equal(radiograph.series[0].frameOfReferenceUid, '', 'none in the file: empty');
  assert.equal(radiograph.series[0].instances[0].imagePositionPatient, null);
});

test('the viewer reads its cache budget from the settings, whatever role views studies', async () => {
  const core = tempCore();
  const radiologist = await signedIn(core, 'radiologist');
  const facilityUser = await signedIn(core, 'facility_user');
  assert.deepEqual(await facilityUser.call('viewer.config', {}), { cacheMB: 1024 });
  await api(core, 'settings.set', { viewerCacheMB: 2048 });
  assert.deepEqual(await radiologist.call('viewer.config', {}), { cacheMB: 2048 });
  await assert.rejects(api(core, 'settings.set', { viewerCacheMB: 16 }), refused('VALIDATION_FAILED'));
  const admin = await signedIn(core, 'admin');
  await assert.rejects(admin.call('viewer.config', {}), refused('PERMISSION_DENIED'), 'an admin does not read studies');
});

test('an image exported from the viewer is audited as an export, for roles that may export, naming its own study', async () => {
  const dir = tempDir();
  const study = writeStudy(dir, { patientName: 'EXPORT^ME', patientId: 'EX1', slicesPerSeries: 1, institutionName: 'North Hospital' });
  const other = writeStudy(dir, { patientName: 'EXPORT^OTHER', patientId: 'EX2', slicesPerSeries: 1, institutionName: 'North Hospital' });
  const core = tempCore();
  await api(core, 'facilities.create', { name: 'North', institutions: ['North Hospital'] });
  await core.importFiles([dir]);
  const radiologist = await signedIn(core, 'radiologist', { username: 'exporter', facility: 'North' });
  const technologist = await signedIn(core, 'technologist', { facility: 'North' });
  const sop = study.instances[0].sopInstanceUid;

  assert.deepEqual(await radiologist.call('instances.exported', { studyInstanceUid: study.studyInstanceUid, sopInstanceUid: sop, format: 'png' }), { audited: true });
  const events = (await api(core, 'audit.list', { code: '110106' })).events;
  assert.equal(events.length, 1);
  assert.equal(events[0].user, 'exporter');
  assert.deepEqual([events[0].patientIds, events[0].studyUids], [['EX1'], [study.studyInstanceUid]]);
  assert.match(events[0].description, new RegExp(`image exported as PNG from the viewer: instance ${sop.replace(/\./g, '\\.')}`));
  await assert.rejects(technologist.call('instances.exported', { studyInstanceUid: study.studyInstanceUid, sopInstanceUid: sop, format: 'png' }), refused('PERMISSION_DENIED'));
  await assert.rejects(
    radiologist.call('instances.exported', { studyInstanceUid: other.studyInstanceUid, sopInstanceUid: sop, format: 'png' }),
    refused('INSTANCE_NOT_FOUND'),
    'an instance of another study',
  );
});
