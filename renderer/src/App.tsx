import { useCallback, useEffect, useRef, useState } from 'react';
import type { SessionInfo } from '../../shared/auth';
import type { ErrorInfo } from '../../shared/errors';
import { api, errorInfo, isSessionRefusal } from './api/client';
import { ChangePassword } from './features/auth/ChangePassword';
import { LockScreen } from './features/auth/LockScreen';
import { LoginScreen } from './features/auth/LoginScreen';
import { SetupScreen } from './features/auth/SetupScreen';
import { useAuth } from './features/auth/useAuth';
import { useIdleLock } from './features/auth/useIdleLock';
import { ErrorToast } from './features/errors/ErrorToast';
import { installErrorReporting } from './features/errors/reportError';
import { Workspace } from './features/workspace/Workspace';

/**
 * The auth gate: first-run setup, sign-in, a forced password change, or the workspace. A locked
 * session keeps the workspace mounted (the open study, panels, layout) but inert and hidden
 * under the lock screen.
 */
export function App() {
  const [error, setError] = useState<ErrorInfo | null>(null);
  // Refusals for the session's state are the gate's business (it shows the right screen), not a toast's.
  const showError = useCallback((e: unknown) => {
    if (!isSessionRefusal(e)) setError(errorInfo(e));
  }, []);
  const auth = useAuth(showError);
  const { apply, refresh, signedOut } = auth;
  const session = auth.status?.session ?? null;
  const working = session !== null && !session.mustChangePassword;
  // Shown at once on Lock, before the core has answered: the screen must not wait to hide.
  // Kept per sign-in, so that a later sign-in never starts locked.
  const [lockingSignIn, setLockingSignIn] = useState<number | null>(null);
  const { generation } = auth;
  const locked = (session?.locked ?? false) || (working && lockingSignIn === generation);

  useEffect(() => installErrorReporting(setError), []);

  // Where the user was typing or scrolling, to go back there after unlocking.
  const focusBeforeLock = useRef<HTMLElement | null>(null);
  const lock = useCallback(() => {
    focusBeforeLock.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setLockingSignIn(generation);
    // On success the session itself says locked; on failure the screen stays locked all the same
    // (unlocking an unlocked session only checks the password).
    api()
      .invoke('auth.lock', {})
      .then((locked) => {
        apply(locked);
        setLockingSignIn(null);
      }, showError);
  }, [apply, showError, generation]);
  const unlocked = useCallback(
    (session: SessionInfo) => {
      setLockingSignIn(null);
      apply(session);
      // After React has lifted `inert` from the workspace.
      setTimeout(() => focusBeforeLock.current?.focus(), 0);
    },
    [apply],
  );
  const signOut = useCallback(() => {
    setError(null);
    setLockingSignIn(null);
    api()
      .invoke('auth.logout', {})
      .then(signedOut, (e: unknown) => {
        showError(e);
        refresh();
      });
  }, [signedOut, refresh, showError]);

  useIdleLock(working && !locked, session?.idleLockSeconds ?? 0, lock, refresh, showError);

  let screen;
  if (!auth.status) {
    screen = <p className="auth-loading">Connecting…</p>;
  } else if (auth.status.setupRequired) {
    screen = <SetupScreen onDone={apply} onSetupDone={refresh} />;
  } else if (!session) {
    screen = <LoginScreen notice={auth.notice} onSignedIn={apply} />;
  } else if (session.mustChangePassword) {
    screen = <ChangePassword session={session} onChanged={apply} onSignOut={signOut} onRefused={refresh} />;
  } else {
    screen = (
      <>
        <div className="workspace-shell" inert={locked} aria-hidden={locked || undefined} style={locked ? { visibility: 'hidden' } : undefined}>
          <Workspace
            key={generation}
            session={session}
            locked={locked}
            onLock={lock}
            onSignOut={signOut}
            onError={showError}
            onSettingsSaved={refresh}
          />
        </div>
        {locked && <LockScreen session={session} onUnlocked={unlocked} onSignOut={signOut} onRefused={refresh} />}
      </>
    );
  }

  return (
    <>
      {screen}
      {error && <ErrorToast key={error.errorId} error={error} onDismiss={() => setError(null)} />}
    </>
  );
}
