import type { UserRow } from '../../../../shared/auth';

/** The account's state as one phrase (disabled, locked until…, active), plus a pending password change. */
export function userStatus(user: UserRow, now = Date.now()): { state: 'disabled' | 'locked' | 'active'; text: string } {
  if (user.disabled) return { state: 'disabled', text: 'disabled' };
  if (user.lockedUntil && Date.parse(user.lockedUntil) > now) {
    return { state: 'locked', text: `locked until ${new Date(user.lockedUntil).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}` };
  }
  return { state: 'active', text: 'active' };
}
