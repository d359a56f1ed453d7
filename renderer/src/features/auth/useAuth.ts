import { useCallback, useEffect, useRef, useState } from 'react';
import type { AuthStatus, SessionInfo } from '../../../../shared/auth';
import { api, onSessionRefused } from '../../api/client';

export interface AuthState {
  /** null until the core has answered auth.status. */
  status: AuthStatus | null;
  /**
   * Counts sign-ins: the workspace is keyed by it, so a new sign-in starts afresh (its image
   * URLs carry the new session's key) while a lock and unlock keep everything as it was.
   */
  generation: number;
  /** Said on the login screen after a session ended without the user signing out. */
  notice: string | null;
  /** The session a call returned (sign-in, unlock, lock, password change). */
  apply: (session: SessionInfo) => void;
  /** Signed out on purpose: the login screen, no notice. */
  signedOut: () => void;
  /** Asks the core again (after a refusal or a failed unlock). */
  refresh: () => void;
}

const ENDED = 'Your session has ended. Sign in again.';

/** This window's session as the core sees it, kept current by auth.changed and by refused calls. */
export function useAuth(onError: (error: unknown) => void): AuthState {
  const [state, setState] = useState<{ status: AuthStatus | null; generation: number; notice: string | null }>({
    status: null,
    generation: 0,
    notice: null,
  });

  const set = useCallback((status: AuthStatus, notice: string | null) => {
    setState((prev) => {
      const before = prev.status?.session ?? null;
      const after = status.session;
      const fresh = after !== null && (before === null || before.user.userId !== after.user.userId);
      // A session that disappears while signed in ended on the core's side (expiry, admin change).
      const ended = before !== null && after === null ? ENDED : null;
      return {
        status,
        generation: fresh ? prev.generation + 1 : prev.generation,
        notice: after ? null : (notice ?? ended ?? prev.notice),
      };
    });
  }, []);

  // Many refused calls at once (a panel refreshing, a list searching) ask the core only once.
  const asking = useRef(false);
  const refresh = useCallback(() => {
    if (asking.current) return;
    asking.current = true;
    api()
      .invoke('auth.status', {})
      .then((status) => set(status, null))
      .catch(onError)
      .finally(() => {
        asking.current = false;
      });
  }, [set, onError]);

  useEffect(() => {
    refresh();
    const offChanged = api().on('auth.changed', (status) => set(status, null));
    const offRefused = onSessionRefused((error) => {
      if (error.code === 'SESSION_EXPIRED') setState((prev) => ({ ...prev, notice: ENDED }));
      refresh();
    });
    return () => {
      offChanged();
      offRefused();
    };
  }, [refresh, set]);

  const apply = useCallback((session: SessionInfo) => set({ setupRequired: false, session }, null), [set]);
  const signedOut = useCallback(() => setState((prev) => ({ ...prev, status: { setupRequired: false, session: null }, notice: null })), []);

  return { ...state, apply, signedOut, refresh };
}
