// Who an audit event names for a call, and what studies a caller may see.
import type { Principal } from './access';
import { scopeOf } from './sessions';

export function actorOf(principal: Principal, attempted?: string): { user: string; role: string | null } {
  if (principal.kind === 'user') return { user: principal.session.user.username, role: principal.session.user.role };
  if (principal.kind === 'local') return { user: principal.user, role: null };
  return { user: attempted ?? 'unknown', role: null };
}

/** The facility a caller is limited to, or undefined for every study. */
export function studyScope(principal: Principal): { facilityId: number } | undefined {
  return principal.kind === 'user' ? scopeOf(principal.session.user) : undefined;
}
