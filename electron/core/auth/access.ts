// Who is calling, and may they: checked by the dispatcher before any handler runs, whatever
// the transport. The matrix itself is data in shared/ (CHANNEL_ACCESS, ROLE_PERMISSIONS).
import { ALWAYS_OPEN_CHANNELS, CHANNEL_ACCESS, type Channel } from '../../../shared/api';
import { hasPermission } from '../../../shared/auth';
import { NoctisError } from '../errors';
import type { Connection, Resolved, Session } from './sessions';

/**
 * The caller of one API call: a signed-in window, the local command line (which acts with the
 * rights of whoever can open the data directory), or a window nobody signed in to yet.
 */
export type Principal =
  | { kind: 'user'; session: Session }
  | { kind: 'local'; user: string }
  | { kind: 'anonymous'; connection?: Connection };

/** Why the call is refused, or undefined when it may go on. */
export function checkAccess(channel: Channel, principal: Principal, resolved: Resolved): NoctisError | undefined {
  const need = CHANNEL_ACCESS[channel];
  if (need === 'public' || principal.kind === 'local') return undefined;
  if (principal.kind === 'anonymous') {
    return new NoctisError(resolved && 'ended' in resolved ? 'SESSION_EXPIRED' : 'AUTH_REQUIRED', { channel });
  }
  const { session } = principal;
  const open = ALWAYS_OPEN_CHANNELS.includes(channel);
  if (session.locked && !open) return new NoctisError('SESSION_LOCKED', { channel });
  if (session.mustChangePassword && !open) return new NoctisError('PASSWORD_CHANGE_REQUIRED', { channel });
  if (need === 'session') return undefined;
  if (!hasPermission(session.user.role, need)) {
    return new NoctisError('PERMISSION_DENIED', { channel, role: session.user.role, permission: need, user: session.user.username });
  }
  return undefined;
}
