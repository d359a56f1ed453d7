// OS notifications for studies received over the network, for a window whose session may see
// them. They name the sender and the counts, not patients: a notification centre or a locked
// screen is no place for names.
import type { Notification as ElectronNotification, NotificationConstructorOptions, WebContents } from 'electron';
import type { Core } from '../core';
import { connectionOf } from './ipc';

type NotificationClass = { new (options: NotificationConstructorOptions): Pick<ElectronNotification, 'show'>; isSupported(): boolean };

export function notifyReceived(Notification: NotificationClass, core: Pick<Core, 'on' | 'visibleEvent'>, contents: Pick<WebContents, 'send' | 'isDestroyed'>): () => void {
  return core.on('studies.received', (notice) => {
    if (contents.isDestroyed() || !Notification.isSupported()) return;
    const visible = core.visibleEvent(connectionOf(contents), 'studies.received', notice);
    if (!visible) return;
    const studies = visible.studies.length;
    new Notification({
      title: `Received ${visible.instances} image${visible.instances === 1 ? '' : 's'}`,
      body: `${studies} stud${studies === 1 ? 'y' : 'ies'} from ${visible.callingAeTitle}${visible.failures > 0 ? `, ${visible.failures} failed` : ''}`,
      silent: true,
    }).show();
  });
}
