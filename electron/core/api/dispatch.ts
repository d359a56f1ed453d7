import { unwrapReply, type Channel, type Payload, type Reply, type Result } from '../../../shared/api';
import { isChannel, payloadSchemas } from '../../../shared/schemas';
import { NoctisError, newErrorId, toErrorInfo } from '../errors';
import type { Logger } from '../log/logger';
import type { CallContext, Handler, HandlerTable } from './handlers';

export type Dispatch = (channel: unknown, payload: unknown, ctx: CallContext) => Promise<Reply<unknown>>;

/**
 * The single entry point of every transport: checks the channel and validates the payload at
 * runtime (it crossed a process boundary), runs the handler, and turns any failure into
 * `{ code, message, recovery, errorId }` with the same errorId in the log.
 */
export function createDispatch(table: HandlerTable, log: Logger, onCall?: (ok: boolean) => void): Dispatch {
  return async (channel, payload, ctx) => {
    const reply = await dispatchOne(table, log, channel, payload, ctx);
    onCall?.(reply.ok);
    return reply;
  };
}

async function dispatchOne(table: HandlerTable, log: Logger, channel: unknown, payload: unknown, ctx: CallContext): Promise<Reply<unknown>> {
  try {
    if (!isChannel(channel)) throw new NoctisError('UNKNOWN_CHANNEL', { channel: String(channel).slice(0, 100) });
    const parsed = payloadSchemas[channel].safeParse(payload ?? {});
    if (!parsed.success) {
      throw new NoctisError('VALIDATION_FAILED', { channel, issues: parsed.error.issues.slice(0, 5) });
    }
    const handler: Handler<Channel> = table[channel];
    return { ok: true, result: await handler(parsed.data, ctx) };
  } catch (err) {
    const errorId = newErrorId();
    const info = toErrorInfo(err, errorId);
    const details = err instanceof NoctisError ? err.details : { error: err };
    const level = info.code === 'INTERNAL' ? 'error' : 'warn';
    log[level]('api.call_failed', { channel: String(channel).slice(0, 100), code: info.code, errorId, ...details });
    return { ok: false, error: info };
  }
}

/** A typed call through the handler table, for in-process callers (the CLI): rejects with ErrorInfo. */
export async function call<C extends Channel>(dispatch: Dispatch, channel: C, payload: Payload<C>, ctx: CallContext): Promise<Result<C>> {
  return unwrapReply((await dispatch(channel, payload, ctx)) as Reply<Result<C>>);
}
