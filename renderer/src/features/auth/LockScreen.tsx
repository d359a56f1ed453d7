import { useState, type FormEvent } from 'react';
import type { SessionInfo } from '../../../../shared/auth';
import { api, errorInfo } from '../../api/client';
import { refusalText } from './AuthCard';
import { FormError, PasswordInput } from './fields';

interface Props {
  session: SessionInfo;
  onUnlocked: (session: SessionInfo) => void;
  onSignOut: () => void;
  /** A refusal that ended the session (account locked or disabled meanwhile). */
  onRefused: () => void;
}

const swallow = (e: { preventDefault: () => void }) => e.preventDefault();

/**
 * An opaque overlay over the kept workspace (which is inert and hidden underneath): only this
 * session's password brings it back, exactly as it was.
 */
export function LockScreen({ session, onUnlocked, onSignOut, onRefused }: Props) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { username, displayName } = session.user;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    api()
      .invoke('auth.unlock', { password })
      .then(onUnlocked, (err: unknown) => {
        const info = errorInfo(err);
        setError(refusalText(info));
        setPassword('');
        setBusy(false);
        if (info.code !== 'LOGIN_FAILED') onRefused();
      });
  };

  return (
    // Files dropped here must not open in the window (the browser would navigate away from the work).
    <div className="lock-screen" data-testid="lock-screen" role="dialog" aria-modal="true" aria-labelledby="lock-title" onDragOver={swallow} onDrop={swallow}>
      <section className="auth-card">
        <p className="brand">Noctis</p>
        <h1 id="lock-title">Locked</h1>
        <p className="hint">
          <strong data-testid="lock-user" data-username={username}>
            {displayName || username}
          </strong>
          {displayName && ` (${username})`}. Your work is kept: enter your password to go on.
        </p>
        <form className="auth-form" onSubmit={submit}>
          <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
          <PasswordInput label="Password" testId="lock-password" kind="current" value={password} onChange={setPassword} autoFocus />
          <FormError testId="lock-error" error={error} />
          <div className="auth-actions">
            <button type="submit" data-testid="lock-submit" disabled={busy}>
              {busy ? 'Unlocking…' : 'Unlock'}
            </button>
            <button type="button" data-testid="lock-logout" onClick={onSignOut}>
              Sign out
            </button>
          </div>
        </form>
      </section>
    </div>
  );
}
