import { useState, type FormEvent } from 'react';
import { passwordProblem, type SessionInfo } from '../../../../shared/auth';
import { api, errorInfo } from '../../api/client';
import { AuthCard, refusalText } from './AuthCard';
import { FormError, PasswordInput, PolicyHint } from './fields';

interface Props {
  session: SessionInfo;
  onChanged: (session: SessionInfo) => void;
  onSignOut: () => void;
  /** A refusal that may have ended the session (e.g. the account locked): ask the core again. */
  onRefused: () => void;
  /** Given when the user chose to change it (over the workspace); absent when an admin's password forces it. */
  onCancel?: () => void;
}

/**
 * Forced: an administrator set this password, and the user chooses their own before anything
 * else works. Voluntary (with onCancel): from the header, over the kept workspace.
 */
export function ChangePassword({ session, onChanged, onSignOut, onRefused, onCancel }: Props) {
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
    <AuthCard title={onCancel ? 'Change your password' : 'Choose a new password'} testId="password-change" overlay={onCancel !== undefined}>
      <p className="hint">
        Signed in as <strong data-testid="password-username">{username}</strong>.
        {onCancel ? '' : ' Your password was set by an administrator: choose your own to go on.'}
      </p>
      <form className="auth-form" onSubmit={submit}>
        {/* Lets password managers tie the new password to this account. */}
        <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
        <PasswordInput label="Current password" testId="password-current" kind="current" value={current} onChange={setCurrent} autoFocus />
        <PasswordInput label="New password" testId="password-new" kind="new" policyId="password-policy" value={next} onChange={setNext} />
        <PolicyHint id="password-policy" whose="your" problem={problem} />
        <FormError testId="password-error" error={error} />
        <div className="auth-actions">
          <button type="submit" data-testid="password-submit" disabled={busy}>
            {busy ? 'Saving…' : 'Change password'}
          </button>
          {onCancel ? (
            <button type="button" data-testid="password-cancel" onClick={onCancel}>
              Cancel
            </button>
          ) : (
            <button type="button" data-testid="password-logout" onClick={onSignOut}>
              Sign out
            </button>
          )}
        </div>
      </form>
    </AuthCard>
  );
}
