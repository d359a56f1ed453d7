// Errors nobody caught in the main process, and dead renderer or helper processes: logged with
// an errorId; an uncaught exception is shown to the user with that id.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { handleProcessGone, handleUncaughtErrors, startedContext } from '../../electron/shell/crash';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function recorder() {
  const lines: Array<{ event: string; context: Record<string, unknown> }> = [];
  return { lines, log: { error: (event: string, context: Record<string, unknown> = {}) => void lines.push({ event, context }) } };
}

function errorBox(ready: boolean) {
  const shown: Array<{ title: string; content: string }> = [];
  return { shown, box: { isReady: () => ready, showErrorBox: (title: string, content: string) => void shown.push({ title, content }) } };
}

test('an uncaught exception is logged with an errorId and shown in an error box with that id', () => {
  const proc = new EventEmitter();
  const { lines, log } = recorder();
  const { shown, box } = errorBox(true);
  handleUncaughtErrors(proc, log, box);
  const error = new Error('boom');
  assert.doesNotThrow(() => proc.emit('uncaughtException', error, 'uncaughtException'));
  assert.equal(lines.length, 1);
  assert.equal(lines[0].event, 'shell.uncaught');
  assert.equal(lines[0].context.kind, 'uncaughtException');
  assert.equal(lines[0].context.error, error);
  const errorId = lines[0].context.errorId as string;
  assert.match(errorId, UUID);
  assert.equal(shown.length, 1);
  assert.ok(shown[0].content.includes(errorId), 'the box quotes the errorId');
  assert.ok(!shown[0].content.includes('boom'), 'no internals in the box');
});

test('before the app is ready the exception is logged but no box is shown', () => {
  const proc = new EventEmitter();
  const { lines, log } = recorder();
  const { shown, box } = errorBox(false);
  handleUncaughtErrors(proc, log, box);
  proc.emit('uncaughtException', new Error('early'));
  assert.equal(lines.length, 1);
  assert.equal(shown.length, 0);
});

test('an error box that cannot be shown is logged too', () => {
  const proc = new EventEmitter();
  const { lines, log } = recorder();
  handleUncaughtErrors(proc, log, {
    isReady: () => true,
    showErrorBox: () => {
      throw new Error('no display');
    },
  });
  assert.doesNotThrow(() => proc.emit('uncaughtException', new Error('boom')));
  assert.deepEqual(
    lines.map((l) => l.event),
    ['shell.uncaught', 'shell.error_box_failed'],
  );
  assert.equal(lines[1].context.errorId, lines[0].context.errorId);
});

test('an unhandled rejection is logged with an errorId, without a box', () => {
  const proc = new EventEmitter();
  const { lines, log } = recorder();
  const { shown, box } = errorBox(true);
  handleUncaughtErrors(proc, log, box);
  proc.emit('unhandledRejection', 'a string reason', Promise.resolve());
  assert.equal(lines[0].event, 'shell.uncaught');
  assert.equal(lines[0].context.kind, 'unhandledRejection');
  assert.equal(lines[0].context.error, 'a string reason');
  assert.match(lines[0].context.errorId as string, UUID);
  assert.equal(shown.length, 0);
});

test('a renderer or helper process that dies is logged with its reason and an errorId', () => {
  const app = new EventEmitter();
  const { lines, log } = recorder();
  handleProcessGone(app, log);
  app.emit('render-process-gone', {}, { getURL: () => 'noctis://app/index.html' }, { reason: 'oom', exitCode: 137 });
  app.emit('child-process-gone', {}, { type: 'GPU', reason: 'crashed', exitCode: 139, name: 'GPU', serviceName: undefined });
  assert.deepEqual(
    lines.map((l) => l.event),
    ['shell.render_process_gone', 'shell.child_process_gone'],
  );
  assert.equal(lines[0].context.reason, 'oom');
  assert.equal(lines[0].context.exitCode, 137);
  assert.equal(lines[0].context.url, 'noctis://app/index.html');
  assert.equal(lines[1].context.type, 'GPU');
  assert.equal(lines[1].context.reason, 'crashed');
  for (const line of lines) assert.match(line.context.errorId as string, UUID);
  assert.notEqual(lines[0].context.errorId, lines[1].context.errorId);
});

test('shell.started says which versions run', () => {
  const context = startedContext('0.1.0', { ...process.versions, electron: '45.6.0', chrome: '142.0.1' }, { packaged: false });
  assert.equal(context.version, '0.1.0');
  assert.equal(context.electron, '45.6.0');
  assert.equal(context.chrome, '142.0.1');
  assert.equal(context.node, process.versions.node);
  assert.equal(context.v8, process.versions.v8);
  assert.equal(context.packaged, false);
});
