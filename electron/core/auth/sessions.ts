// Sessions live in the core's memory, one per connection (an Electron window, a browser tab's
// WebSocket): a restart signs everyone out. Each has an idle lock and an absolute limit.
import { randomBytes } from 'node:crypto';
import { FACILITY_SCOPED_ROLES, ROLE_PERMISSIONS, type AuthStatus, type SessionInfo, type UserRow } from '../../../shared/auth';

/** What a transport keeps per window or socket; the core sets `sessionId` when it signs in. */
export interface Connection {
  sessionId?: string;
  /** Pushes `auth.changed` to this window only (lock on idle, expiry). */
  notify?: (status: AuthStatus) => void;
}

export interface Session {
  readonly id: string;
  readonly user: UserRow;
  readonly createdAt: number;
  lastActivity: number;
  locked: boolean;
  mustChangePassword: boolean;
  /** Put in instance URLs: the byte routes serve only what this session may see. */
  readonly bytesKey: string;
  readonly connection: Connection;
}

export interface SessionLimits {
  idleLockMinutes: number;
  sessionHours: number;
}

export type Resolved = { session: Session } | { ended: 'expired' } | undefined;

const MINUTE_MS = 60_000;
const SWEEP_MS = 15_000;

export function scopeOf(user: Pick<UserRow, 'role' | 'facilityId'>): { facilityId: number } | undefined {
  if (!FACILITY_SCOPED_ROLES.includes(user.role)) return undefined;
  // A scoped account always has a facility (checked on create); -1 matches no study if not.
  return { facilityId: user.facilityId ?? -1 };
}

export function createSessions(limits: () => SessionLimits, now: () => number = Date.now) {
  const byId = new Map<string, Session>();
  const byKey = new Map<string, Session>();
  /** Sessions that ended by expiry, so the window hears "expired" rather than "sign in". */
  const expired = new WeakSet<Connection>();

  const info = (s: Session): SessionInfo => ({
    user: {
      userId: s.user.userId,
      username: s.user.username,
      displayName: s.user.displayName,
      role: s.user.role,
      facilityId: s.user.facilityId,
      facilityName: s.user.facilityName,
    },
    permissions: [...ROLE_PERMISSIONS[s.user.role]],
    locked: s.locked,
    mustChangePassword: s.mustChangePassword,
    idleLockSeconds: limits().idleLockMinutes * 60,
    expiresAt: new Date(s.createdAt + limits().sessionHours * 60 * MINUTE_MS).toISOString(),
  });

  const remove = (s: Session) => {
    byId.delete(s.id);
    byKey.delete(s.bytesKey);
    if (s.connection.sessionId === s.id) s.connection.sessionId = undefined;
  };

  /** Applies the absolute limit and the idle lock; returns false when the session is over. */
  const refresh = (s: Session, t: number): boolean => {
    if (t - s.createdAt >= limits().sessionHours * 60 * MINUTE_MS) {
      remove(s);
      expired.add(s.connection);
      s.connection.notify?.({ setupRequired: false, session: null });
      return false;
    }
    if (!s.locked && t - s.lastActivity >= limits().idleLockMinutes * MINUTE_MS) {
      s.locked = true;
      s.connection.notify?.({ setupRequired: false, session: info(s) });
    }
    return true;
  };

  // Locks idle windows even when they make no call, so that the lock screen comes up on time.
  const sweeper = setInterval(() => {
    const t = now();
    for (const s of [...byId.values()]) refresh(s, t);
  }, SWEEP_MS);
  sweeper.unref();

  return {
    info,
    open(user: UserRow, connection: Connection, mustChangePassword: boolean): Session {
      const previous = connection.sessionId ? byId.get(connection.sessionId) : undefined;
      if (previous) remove(previous);
      const t = now();
      const session: Session = {
        id: randomBytes(24).toString('base64url'),
        user,
        createdAt: t,
        lastActivity: t,
        locked: false,
        mustChangePassword,
        bytesKey: randomBytes(24).toString('base64url'),
        connection,
      };
      byId.set(session.id, session);
      byKey.set(session.bytesKey, session);
      connection.sessionId = session.id;
      expired.delete(connection);
      return session;
    },
    /** The connection's live session (idle lock applied), or why there is none. */
    resolve(connection: Connection | undefined): Resolved {
      if (!connection) return undefined;
      const s = connection.sessionId ? byId.get(connection.sessionId) : undefined;
      if (!s) return expired.has(connection) ? { ended: 'expired' } : undefined;
      return refresh(s, now()) ? { session: s } : { ended: 'expired' };
    },
    /** The session behind an instance URL's key, if it is live and unlocked. */
    byBytesKey(key: string | null): Session | undefined {
      const s = key ? byKey.get(key) : undefined;
      return s && refresh(s, now()) && !s.locked ? s : undefined;
    },
    touch(s: Session): void {
      if (!s.locked) s.lastActivity = now();
    },
    lock(s: Session): void {
      s.locked = true;
    },
    unlock(s: Session): void {
      s.locked = false;
      s.lastActivity = now();
    },
    end(s: Session): void {
      remove(s);
    },
    /** Ends every session of an account (disabled, role or facility changed): it signs in anew. */
    endForUser(userId: number): number {
      let n = 0;
      for (const s of [...byId.values()]) {
        if (s.user.userId !== userId) continue;
        remove(s);
        s.connection.notify?.({ setupRequired: false, session: null });
        n++;
      }
      return n;
    },
    count: (): number => byId.size,
    close(): void {
      clearInterval(sweeper);
      byId.clear();
      byKey.clear();
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;
