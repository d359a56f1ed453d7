// window.noctis over the local host's WebSocket, for when the renderer runs in a browser.
// The same NoctisApi as Electron's preload gives: the renderer cannot tell them apart.
import { unwrapReply, type EventName, type Events, type NoctisApi, type Reply } from '../../../shared/api';

type Incoming = { id: number; reply: Reply<unknown> } | { event: EventName; data: unknown };

export function connectWebSocketApi(url: string): Promise<NoctisApi> {
  const socket = new WebSocket(url);
  const waiting = new Map<number, (reply: Reply<unknown>) => void>();
  const listeners = new Map<EventName, Set<(data: never) => void>>();
  let nextId = 1;

  socket.addEventListener('message', (e: MessageEvent<string>) => {
    const message = JSON.parse(e.data) as Incoming;
    if ('id' in message) {
      waiting.get(message.id)?.(message.reply);
      waiting.delete(message.id);
    } else {
      listeners.get(message.event)?.forEach((listener) => listener(message.data as never));
    }
  });
  socket.addEventListener('close', () => {
    const lost: Reply<unknown> = {
      ok: false,
      error: {
        code: 'INTERNAL',
        message: 'The connection to Noctis was lost.',
        recovery: 'Check that noctis serve is still running, then reload the page.',
        errorId: 'connection-lost',
      },
    };
    waiting.forEach((resolve) => resolve(lost));
    waiting.clear();
  });

  const api: NoctisApi = {
    invoke(channel, payload) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, (reply) => {
          try {
            resolve(unwrapReply(reply) as never);
          } catch (error) {
            // Rejects with the plain ErrorInfo, exactly as the Electron preload does.
            // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
            reject(error);
          }
        });
        socket.send(JSON.stringify({ id, channel, payload }));
      });
    },
    on<E extends EventName>(event: E, listener: (data: Events[E]) => void) {
      const set = listeners.get(event) ?? new Set<(data: never) => void>();
      set.add(listener);
      listeners.set(event, set);
      return () => {
        set.delete(listener);
      };
    },
  };

  return new Promise((resolve, reject) => {
    socket.addEventListener('open', () => resolve(api), { once: true });
    socket.addEventListener('error', () => reject(new Error(`Cannot connect to ${url}`)), { once: true });
  });
}
