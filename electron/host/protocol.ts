// Messages of the host's WebSocket. The renderer's client (renderer/src/api) speaks the same.
import type { EventName, Events, Reply } from '../../shared/api';

export interface ClientMessage {
  id: number;
  channel: string;
  payload: unknown;
}

export type ServerMessage = { id: number; reply: Reply<unknown> } | { event: EventName; data: Events[EventName] };

/** Validates one message from a client; anything else is rejected. */
export function parseClientMessage(text: string): ClientMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { id, channel, payload } = value as Record<string, unknown>;
  if (!Number.isSafeInteger(id) || typeof channel !== 'string' || channel.length > 100) return undefined;
  return { id: id as number, channel, payload };
}
