import { useState, type FormEvent } from 'react';
import { PASSWORD_POLICY, passwordProblem, type UserChange, type UserRow } from '../../../../shared/auth';
import { api } from '../../api/client';

interface Props {
  user: UserRow;
  onSaved: (change: UserChange) => void;
  onCancel: () => void;
  onError: (e: unknown) => void;
}

/** A temporary password for someone who forgot theirs: they must change it at the next sign-in. */
export function ResetPasswordForm({ user, onSaved, onCancel, onError }: Props) {
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const problem = passwordProblem(password, user.username);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (problem) return;
    setBusy(true);
    api()
      .invoke('users.resetPassword', { userId: user.userId, password })
      .then(onSaved, onError)
      .finally(() => setBusy(false));
  };

  return (
    <form className="admin-form" data-testid="user-reset-form" onSubmit={submit} aria-label={`Reset the password of ${user.username}`}>
      <h3>Reset the password of {user.username}</h3>
      <input type="text" name="username" autoComplete="off" value={user.username} readOnly hidden />
      <label>
        Temporary password
        <input data-testid="user-reset-password" type="password" autoComplete="new-password" required autoFocus value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      <p className={password && problem ? 'hint warn' : 'hint'}>
        At least {PASSWORD_POLICY.minLength} characters, not containing the username{password && problem ? ` — needs ${problem}` : ''}. Their open
        windows are signed out.
      </p>
      <div className="form-actions">
        <button type="submit" data-testid="user-reset-submit" disabled={busy || problem !== undefined}>
          Reset password
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
