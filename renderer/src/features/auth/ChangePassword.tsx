import { useState, type FormEvent } from 'react';
import { PASSWORD_POLICY, passwordProblem, type SessionInfo } from '../../../../shared/auth';
import { api, errorInfo } from '../../api/client';
import { AuthCard, refusalText } from './AuthCard';

interface Props {
  session: SessionInfo;
  onChanged: (session: SessionInfo) => void;
  onSignOut: () => void;
  /** A refusal that may have ended the session (e.g. the account locked): ask the core again. */
  onRefused: () => void;
}

/** An administrator set this password: the user chooses their own before anything else works. */
export function ChangePassword({ session, onChanged, onSignOut, onRefused }: Props) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const username = session.user.username;
  const problem = next ? passwordProblem(next, username) : undefined;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const refused = passwordProblem(next, username) ?? (next === current ? 'to differ from the current one' : undefined);
    if (refused) {
      setError(`The new password needs ${refused}.`);
      return;
    }
    setBusy(true);
    setError(null);
    api()
      .invoke('auth.changePassword', { currentPassword: current, newPassword: next })
      .then(onChanged, (err: unknown) => {
        const info = errorInfo(err);
        setError(refusalText(info));
        setBusy(false);
        if (info.code !== 'LOGIN_FAILED' && info.code !== 'PASSWORD_POLICY') onRefused();
      });
  };

  return (
    <AuthCard title="Choose a new password" testId="password-change">
      <p className="hint">
        Signed in as <strong data-testid="password-username">{username}</strong>. Your password was set by an administrator: choose your own
        to go on.
      </p>
      <form className="auth-form" onSubmit={submit}>
        {/* Lets password managers tie the new password to this account. */}
        <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
        <label>
          Current password
          <input
            data-testid="password-current"
            type="password"
            autoComplete="current-password"
            required
            autoFocus
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
          />
        </label>
        <label>
          New password
          <input
            data-testid="password-new"
            type="password"
            autoComplete="new-password"
            required
            aria-describedby="password-policy"
            value={next}
            onChange={(e) => setNext(e.target.value)}
          />
        </label>
        <p id="password-policy" className={problem ? 'hint warn' : 'hint'}>
          At least {PASSWORD_POLICY.minLength} characters, not containing your username{problem ? ` — needs ${problem}` : ''}.
        </p>
        {error && (
          <p className="auth-error" role="alert" data-testid="password-error">
            {error}
          </p>
        )}
        <div className="auth-actions">
          <button type="submit" data-testid="password-submit" disabled={busy}>
            {busy ? 'Saving…' : 'Change password'}
          </button>
          <button type="button" data-testid="password-logout" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </form>
    </AuthCard>
  );
}
