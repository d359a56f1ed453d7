import { useState, type FormEvent } from 'react';
import { passwordProblem, type SessionInfo } from '../../../../shared/auth';
import { api, errorInfo } from '../../api/client';
import { AuthCard, refusalText } from './AuthCard';
import { FormError, PasswordInput, PolicyHint, UsernameInput } from './fields';

/** First run: no account exists yet, so this window creates the first administrator. */
interface Props {
  onDone: (session: SessionInfo) => void;
  /** Someone else created the first admin meanwhile: go to the login screen. */
  onSetupDone: () => void;
}

export function SetupScreen({ onDone, onSetupDone }: Props) {
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const problem = password ? passwordProblem(password, username) : undefined;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const refused = passwordProblem(password, username);
    if (refused) {
      setError(`The password needs ${refused}.`);
      return;
    }
    setBusy(true);
    setError(null);
    api()
      .invoke('auth.setup', { username: username.trim(), password, displayName: displayName.trim() || undefined })
      .then(onDone, (err: unknown) => {
        const info = errorInfo(err);
        setError(refusalText(info));
        setBusy(false);
        if (info.code === 'SETUP_DONE') onSetupDone();
      });
  };

  return (
    <AuthCard title="Create the first administrator" testId="setup-screen">
      <p className="hint">
        This account manages users, facilities, settings and the audit trail. It does not read studies: give readers their own
        accounts.
      </p>
      <form className="auth-form" onSubmit={submit}>
        <UsernameInput label="Username" testId="setup-username" value={username} onChange={setUsername} autoFocus />
        <label>
          Full name (optional)
          <input data-testid="setup-display-name" name="name" autoComplete="name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
        </label>
        <PasswordInput label="Password" testId="setup-password" kind="new" policyId="setup-password-policy" value={password} onChange={setPassword} />
        <PolicyHint id="setup-password-policy" whose="the" problem={problem} />
        <FormError testId="setup-error" error={error} />
        <button type="submit" data-testid="setup-submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create and sign in'}
        </button>
      </form>
    </AuthCard>
  );
}
