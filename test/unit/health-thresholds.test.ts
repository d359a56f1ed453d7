// The documented thresholds that turn measured figures into ok / warning / critical.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diskCheck, errorCheck, integrityCheck, shutdownCheck } from '../../electron/core/health/collect';
import { HEALTH_THRESHOLDS, worstStatus, type PeriodCounts } from '../../shared/health';

const DAY = 86_400_000;
const now = Date.parse('2026-12-03T12:00:00Z');
const ago = (days: number) => new Date(now - days * DAY).toISOString();

test('disk: critical below the floor, warning below twice the floor', () => {
  const floor = 1e9;
  assert.equal(diskCheck(floor - 1, floor).status, 'critical');
  assert.equal(diskCheck(floor, floor).status, 'warning');
  assert.equal(diskCheck(floor * HEALTH_THRESHOLDS.disk.warningFloorMultiple - 1, floor).status, 'warning');
  assert.equal(diskCheck(floor * HEALTH_THRESHOLDS.disk.warningFloorMultiple, floor).status, 'ok');
  assert.equal(diskCheck(5e6, 0).status, 'ok', 'a floor of 0 turns the check off');
});

test('errors: judged from the minimum number of calls, warning and critical rates', () => {
  const hour = (apiCalls: number, apiErrors: number): PeriodCounts => ({
    imports: 0, instancesImported: 0, instancesReceived: 0, instancesSent: 0, apiCalls, apiErrors, errorRate: apiCalls ? apiErrors / apiCalls : null,
  });
  assert.equal(errorCheck(hour(0, 0)).status, 'ok');
  assert.equal(errorCheck(hour(19, 19)).status, 'ok', 'too few calls');
  assert.equal(errorCheck(hour(100, 4)).status, 'ok');
  assert.equal(errorCheck(hour(100, 5)).status, 'warning');
  assert.equal(errorCheck(hour(100, 25)).status, 'critical');
  assert.match(errorCheck(hour(100, 25)).detail, /25 of 100/);
});

test('integrity: damage is critical; a check (or a new store) older than the limit is a warning', () => {
  const ok = (days: number) => ({ result: 'ok', checkedAt: ago(days), durationMs: 5 });
  assert.equal(integrityCheck(ok(1), ago(100), now).status, 'ok');
  assert.equal(integrityCheck(ok(HEALTH_THRESHOLDS.integrity.maxAgeDays + 1), ago(100), now).status, 'warning');
  assert.equal(integrityCheck({ result: 'row 3 missing from index x', checkedAt: ago(0), durationMs: 5 }, ago(1), now).status, 'critical');
  const never = { result: null, checkedAt: null, durationMs: null };
  assert.equal(integrityCheck(never, ago(2), now).status, 'ok');
  assert.equal(integrityCheck(never, ago(30), now).status, 'warning');
});

test('shutdowns and the overall status', () => {
  assert.equal(shutdownCheck(0).status, 'ok');
  assert.equal(shutdownCheck(1).status, 'warning');
  assert.equal(worstStatus([]), 'ok');
  assert.equal(worstStatus(['ok', 'warning', 'ok']), 'warning');
  assert.equal(worstStatus(['warning', 'critical', 'ok']), 'critical');
});
