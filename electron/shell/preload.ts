// Runs sandboxed in the renderer before the page: exposes window.noctis and nothing else.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { IPC_EVENT, IPC_INVOKE, isEventName, unwrapReply, type NoctisApi, type Reply } from '../../shared/api';

const api: NoctisApi = {
  invoke: async (channel, payload) =>
    unwrapReply((await ipcRenderer.invoke(IPC_INVOKE, channel, payload)) as Reply<never>),
  on(event, listener) {
    if (!isEventName(event)) throw new Error(`Unknown event: ${String(event)}`);
    const handler = (_e: IpcRendererEvent, name: unknown, data: unknown) => {
      if (name === event) listener(data as never);
    };
    ipcRenderer.on(IPC_EVENT, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, handler);
    };
  },
  // Dropped files: Electron knows their paths, so they are imported where they are.
  pathForFile: (file) => webUtils.getPathForFile(file as Parameters<typeof webUtils.getPathForFile>[0]),
};

contextBridge.exposeInMainWorld('noctis', api);
