// OS notifications of received studies, with Electron's Notification and the core faked: shown
// only to a window whose session may see the studies, naming the sender and counts, no patient.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import type { NotificationConstructorOptions } from 'electron';
import type { Events } from '../../shared/api';
import type { ReceivedNotice } from '../../shared/network';
import { notifyReceived } from '../../electron/shell/notify';

const shown: NotificationConstructorOptions[] = [];
class FakeNotification {
  static supported = true;
  static isSupported = () => FakeNotification.supported;
  constructor(private readonly options: NotificationConstructorOptions) {}
  show() {
    shown.push(this.options);
  }
}

function fakeCore(visible: (notice: ReceivedNotice) => ReceivedNotice | undefined) {
  const events = new EventEmitter();
  return {
    emit: (notice: ReceivedNotice) => events.emit('studies.received', notice),
    core: {
      on: <E extends keyof Events>(event: E, listener: (data: Events[E]) => void) => {
        events.on(event, listener);
        return () => events.off(event, listener);
      },
      visibleEvent: <E extends keyof Events>(_connection: unknown, _event: E, data: Events[E]) => visible(data as ReceivedNotice) as Events[E] | undefined,
    },
  };
}

const contents = { send: () => undefined, isDestroyed: () => false };
const notice: ReceivedNotice = {
  callingAeTitle: 'CT_SCANNER',
  instances: 12,
  failures: 1,
  studies: [
    { studyInstanceUid: '1.2.3', patientName: 'SECRET^PATIENT', studyDescription: 'CT HEAD', instances: 8 },
    { studyInstanceUid: '1.2.4', patientName: 'OTHER^PATIENT', studyDescription: 'CT CHEST', instances: 4 },
  ],
};

test('a received association is announced with the sender and counts, never a patient name', () => {
  shown.length = 0;
  const { core, emit } = fakeCore((n) => n);
  const stop = notifyReceived(FakeNotification, core, contents);
  emit(notice);
  assert.equal(shown.length, 1);
  assert.equal(shown[0].title, 'Received 12 images');
  assert.equal(shown[0].body, '2 studies from CT_SCANNER, 1 failed');
  assert.doesNotMatch(JSON.stringify(shown[0]), /PATIENT|CT HEAD/);
  stop();
  emit(notice);
  assert.equal(shown.length, 1, 'nothing after the window closed');
});

test('nothing is shown to a session that may not see the studies, or where the OS has no notifications', () => {
  shown.length = 0;
  const hidden = fakeCore(() => undefined);
  notifyReceived(FakeNotification, hidden.core, contents);
  hidden.emit(notice);
  assert.equal(shown.length, 0);

  const scoped = fakeCore((n) => ({ ...n, studies: n.studies.slice(0, 1), instances: 8, failures: 0 }));
  notifyReceived(FakeNotification, scoped.core, contents);
  scoped.emit(notice);
  assert.deepEqual([shown[0].title, shown[0].body], ['Received 8 images', '1 study from CT_SCANNER']);

  FakeNotification.supported = false;
  const unsupported = fakeCore((n) => n);
  notifyReceived(FakeNotification, unsupported.core, contents);
  unsupported.emit(notice);
  assert.equal(shown.length, 1);
});
