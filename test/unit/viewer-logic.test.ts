// The viewer's plain logic, without a browser: orientation letters, window presets, stacks of
// image ids (multi-frame instances as frames), nearest slices for synchronised scrolling,
// shortcuts, measurement labels and their stored form, the prefetch window, the tag filter.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SeriesDetail, StudyDetail } from '../../shared/api';
import type { Measurement, TagNode } from '../../shared/viewer';
import { labelOf, readStored, toAnnotation } from '../../renderer/src/features/viewer/measurements';
import { edgeLabels, orientationLabel } from '../../renderer/src/features/viewer/orientation';
import { prefetchPlan } from '../../renderer/src/features/viewer/prefetchPlan';
import { CT_PRESETS, presetsFor } from '../../renderer/src/features/viewer/presets';
import { commandFor } from '../../renderer/src/features/viewer/shortcuts';
import { imageIdFor, nearestByPosition, studyStacks } from '../../renderer/src/features/viewer/stacks';
import { filterTags } from '../../renderer/src/features/viewer/tagFilter';

test('orientation letters follow the strongest directions in patient space (LPS)', () => {
  assert.equal(orientationLabel([1, 0, 0]), 'L');
  assert.equal(orientationLabel([-1, 0, 0]), 'R');
  assert.equal(orientationLabel([0, -1, 0]), 'A');
  assert.equal(orientationLabel([0, 0, 1]), 'H');
  assert.equal(orientationLabel([0.1, 0.9, -0.4]), 'PF', 'oblique: strongest first, weak components left out');
  assert.equal(orientationLabel([0, 0, 0]), '');
  // Axial: screen right is the patient's left, screen down posterior.
  assert.deepEqual(edgeLabels([1, 0, 0], [0, 1, 0]), { right: 'L', left: 'R', bottom: 'P', top: 'A' });
  // Coronal (IOP 1\0\0\0\0\-1): down is towards the feet.
  assert.deepEqual(edgeLabels([1, 0, 0], [0, 0, -1]), { right: 'L', left: 'R', bottom: 'F', top: 'H' });
});

test('CT has the usual window presets; every modality gets the windows its file carries', () => {
  assert.deepEqual(
    CT_PRESETS.map((p) => p.key),
    ['brain', 'subdural', 'stroke', 'lung', 'mediastinum', 'abdomen', 'liver', 'bone'],
  );
  assert.deepEqual(CT_PRESETS.find((p) => p.key === 'lung'), { key: 'lung', label: 'Lung', center: -600, width: 1500 });
  const mr = presetsFor('MR', [
    { center: 600, width: 1200, explanation: 'T2 soft' },
    { center: 300, width: 0 },
  ]);
  assert.deepEqual(mr, [{ key: 'file-1', label: 'T2 soft', center: 600, width: 1200 }], 'a zero width is no window');
  assert.equal(presetsFor('CT', [{ center: 40, width: 400 }]).at(-1)?.label, 'File');
});

function series(uid: string, instances: { sop: string; frames?: number; position?: number[] }[], frameOfReferenceUid = ''): SeriesDetail {
  return {
    seriesInstanceUid: uid,
    modality: 'CT',
    seriesNumber: 1,
    seriesDescription: '',
    frameOfReferenceUid,
    instances: instances.map((i, n) => ({
      sopInstanceUid: i.sop,
      instanceNumber: n + 1,
      frames: i.frames ?? 1,
      url: `http://127.0.0.1:9/instances/${i.sop}?k=key`,
      imagePositionPatient: i.position ?? null,
    })),
  };
}

test('a study becomes stacks of image ids: one per instance, one per frame of a multi-frame instance', () => {
  assert.equal(imageIdFor('http://h/instances/1.2?k=x', null), 'wadouri:http://h/instances/1.2?k=x');
  assert.equal(imageIdFor('http://h/instances/1.2?k=x', 3), 'wadouri:http://h/instances/1.2?k=x&frame=3');
  assert.equal(imageIdFor('noctis://app/instances/1.2', 1), 'wadouri:noctis://app/instances/1.2?frame=1');
  const study = {
    series: [series('1.1', [{ sop: '1.1.1', position: [0, 0, 0] }, { sop: '1.1.2', position: [0, 0, 2] }]), series('1.2', []), series('1.3', [{ sop: '1.3.1', frames: 3 }])],
  } as StudyDetail;
  const stacks = studyStacks(study);
  assert.deepEqual(
    stacks.stacks.map((s) => s.series.seriesInstanceUid),
    ['1.1', '1.3'],
    'a series without images has no stack',
  );
  const cine = stacks.bySeries.get('1.3')!;
  assert.deepEqual(
    cine.images.map((i) => [i.frame, i.position]),
    [
      [1, null],
      [2, null],
      [3, null],
    ],
  );
  const second = stacks.imageIdOf('1.3.1', 2)!;
  assert.deepEqual(stacks.byImageId.get(second), { seriesInstanceUid: '1.3', index: 1, sopInstanceUid: '1.3.1', frame: 2 });
  assert.equal(stacks.imageIdOf('1.1.2', 1), stacks.bySeries.get('1.1')!.imageIds[1]);
});

test('synchronised scrolling goes to the nearest slice by position; without positions, nowhere', () => {
  const images = [0, 2.5, 5, 7.5].map((z, i) => ({ imageId: `i${i}`, sopInstanceUid: `${i}`, frame: 1, position: [0, 0, z] }));
  assert.equal(nearestByPosition(images, [0, 0, 3]), 1);
  assert.equal(nearestByPosition(images, [0, 0, 100]), 3);
  assert.equal(nearestByPosition(images.map((i) => ({ ...i, position: null })), [0, 0, 3]), -1);
});

test('shortcuts: keys to commands, none with Ctrl, Alt or Meta; Caps Lock does not matter but Shift+R resets', () => {
  const key = (k: string, mods: Partial<{ ctrlKey: boolean; altKey: boolean; metaKey: boolean }> = {}) => commandFor({ key: k, ctrlKey: false, altKey: false, metaKey: false, ...mods });
  assert.deepEqual(key('ArrowDown'), { kind: 'scroll', delta: 1 });
  assert.deepEqual(key('PageUp'), { kind: 'scroll', delta: -10 });
  assert.deepEqual(key('l'), { kind: 'tool', tool: 'length', measuring: true });
  assert.deepEqual(key('L'), { kind: 'tool', tool: 'length', measuring: true });
  assert.deepEqual(key('r'), { kind: 'view', action: 'rotate' });
  assert.deepEqual(key('R'), { kind: 'view', action: 'reset' });
  assert.deepEqual(key('3'), { kind: 'preset', index: 2 });
  assert.deepEqual(key(' '), { kind: 'cine' });
  assert.equal(key('r', { ctrlKey: true }), undefined, 'Ctrl+R reloads; it is not ours');
  assert.equal(key('q'), undefined);
});

test('measurement labels say the figures and their units, px without pixel spacing', () => {
  assert.equal(labelOf('Length', { length: 42.345, unit: 'mm' }), '42.3 mm');
  assert.equal(labelOf('Length', { length: 120 }), '120.0 px');
  assert.equal(labelOf('Angle', { angle: 37.51 }), '37.5°');
  assert.equal(
    labelOf('EllipticalROI', { mean: 40.12, stdDev: 3.21, min: 35, max: 47, area: 120.44, areaUnit: 'mm²', modalityUnit: 'HU' }),
    'mean 40.1 HU, SD 3.2, min 35, max 47, area 120.4 mm²',
  );
  assert.equal(labelOf('Probe', { value: 1064, modalityUnit: 'HU' }), '1064.0 HU');
  assert.equal(labelOf('RectangleROI', {}), 'mean ?, SD ?, min ?, max ?, area ?');
});

test('a stored measurement becomes an annotation on this session’s image id; foreign data is refused', () => {
  const m: Measurement = {
    measurementId: 'abc-1',
    studyInstanceUid: '1.2',
    sopInstanceUid: '1.2.3',
    frame: 1,
    tool: 'Length',
    data: { points: [[0, 0, 0], [3, 4, 0]], textBox: { hasMoved: true, worldPosition: [5, 5, 0] }, viewPlaneNormal: [0, 0, -1], stats: { length: 5, unit: 'mm' } },
    label: '5.0 mm',
    createdAt: '',
    updatedAt: '',
  };
  const a = toAnnotation(m, 'wadouri:http://x/instances/1.2.3?k=new', '1.9');
  assert.equal(a?.annotationUID, 'abc-1');
  assert.equal(a?.metadata?.referencedImageId, 'wadouri:http://x/instances/1.2.3?k=new');
  assert.equal(a?.metadata?.toolName, 'Length');
  assert.equal(a?.invalidated, true, 'its figures are computed again');
  assert.deepEqual(a?.data.handles?.points, [
    [0, 0, 0],
    [3, 4, 0],
  ]);
  assert.equal(a?.data.handles?.textBox?.hasMoved, true);
  assert.equal(readStored({ points: [[0, 0]] }), undefined);
  assert.equal(toAnnotation({ ...m, data: { points: 'no' } }, 'x', undefined), undefined);
});

test('prefetching stays inside the cache budget with every viewport prefetching on both sides', () => {
  const MB = 1024 * 1024;
  // 1 GB of 0.5 MB slices: 2048 images, less 1 on screen and 3 thumbnails, over both sides.
  assert.deepEqual(prefetchPlan(1024 * MB, 0.5 * MB, 1, 3), { perSide: 1022 });
  assert.deepEqual(prefetchPlan(1024 * MB, 0.5 * MB, 4, 3), { perSide: 255 });
  assert.deepEqual(prefetchPlan(128 * MB, 100 * MB, 4, 3), { perSide: 1 }, 'at least the neighbours');
  assert.ok(prefetchPlan(1024 * MB, 0, 1, 1).perSide > 0, 'before the first image is known');
});

test('the tag filter keeps matches and the sequences that hold them', () => {
  const tags: TagNode[] = [
    { tag: '(0010,0010)', keyword: 'PatientName', vr: 'PN', value: 'DOE^JANE' },
    {
      tag: '(0008,1140)',
      keyword: 'ReferencedImageSequence',
      vr: 'SQ',
      value: '1 item',
      items: [[{ tag: '(0008,1155)', keyword: 'ReferencedSOPInstanceUID', vr: 'UI', value: '1.2.3.4' }]],
    },
  ];
  assert.deepEqual(
    filterTags(tags, 'jane').map((t) => t.tag),
    ['(0010,0010)'],
  );
  assert.deepEqual(filterTags(tags, '00100010').map((t) => t.tag), ['(0010,0010)'], 'a tag without punctuation');
  const nested = filterTags(tags, '1.2.3.4');
  assert.deepEqual(nested.map((t) => t.tag), ['(0008,1140)']);
  assert.deepEqual(nested[0].items?.[0].map((t) => t.tag), ['(0008,1155)']);
  assert.equal(filterTags(tags, '').length, 2);
});
