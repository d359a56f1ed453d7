import { unwrapReply, type Channel, type Payload, type Reply, type Result } from '../../../shared/api';
import { isChannel, payloadSchemas } from '../../../shared/schemas';
import { checkAccess, type Principal } from '../auth/access';
import type { Resolved } from '../auth/sessions';
import { NoctisError, newErrorId, toErrorInfo } from '../errors';
import type { Logger } from '../log/logger';
import type { CallContext, Handler, HandlerTable } from './handlers';

export type Dispatch = (channel: unknown, payload: unknown, ctx: CallContext) => Promise<Reply<unknown>>;

export interface DispatchHooks {
  /** The connection's session, if any (idle lock and expiry applied). */
  resolve(ctx: CallContext): Resolved;
  /** A signed-in user asked for what their role may not do (a security alert). */
  onDenied?(channel: Channel, principal: Principal): void;
  onCall?(ok: boolean): void;
}

export function principalOf(ctx: CallContext, resolved: Resolved): Principal {
  if (ctx.local) return { kind: 'local', user: ctx.local.user };
  if (resolved && 'session' in resolved) return { kind: 'user', session: resolved.session };
  return { kind: 'anonymous', connection: ctx.connection };
}

/**
 * The single entry point of every transport: checks the channel, who calls and whether their
 * role may (before anything else), validates the payload at runtime (it crossed a process
 * boundary), runs the handler, and turns any failure into `{ code, message, recovery, errorId }`
 * with the same errorId in the log.
 */
export function createDispatch(table: HandlerTable, log: Logger, hooks: DispatchHooks): Dispatch {
  return async (channel, payload, ctx) => {
    const reply = await dispatchOne(table, log, hooks, channel, payload, ctx);
    hooks.onCall?.(reply.ok);
    return reply;
  };
}

async function dispatchOne(
  table: HandlerTable,
  log: Logger,
  hooks: DispatchHooks,
  channel: unknown,
  payload: unknown,
  ctx: CallContext,
): Promise<Reply<unknown>> {
  try {
    if (!isChannel(channel)) throw new NoctisError('UNKNOWN_CHANNEL', { channel: String(channel).slice(0, 100) });
    const resolved = hooks.resolve(ctx);
    const principal = principalOf(ctx, resolved);
    const refused = checkAccess(channel, principal, resolved);
    if (refused) {
      if (refused.code === 'PERMISSION_DENIED') hooks.onDenied?.(channel, principal);
      throw refused;
    }
    const parsed = payloadSchemas[channel].safeParse(payload ?? {});
    if (!parsed.success) {
      throw new NoctisError('VALIDATION_FAILED', { channel, issues: parsed.error.issues.slice(0, 5) });
    }
    const handler: Handler<Channel> = table[channel];
    return { ok: true, result: await handler(parsed.data, ctx, principal) };
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
