import { useState, type FormEvent } from 'react';
import { PASSWORD_POLICY, passwordProblem, type SessionInfo } from '../../../../shared/auth';
import { api, errorInfo } from '../../api/client';
import { AuthCard, refusalText } from './AuthCard';

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
        <label>
          Username
          <input
            data-testid="setup-username"
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            autoFocus
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </label>
        <label>
          Full name (optional)
          <input data-testid="setup-display-name" name="name" autoComplete="name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
        </label>
        <label>
          Password
          <input
            data-testid="setup-password"
            name="new-password"
            type="password"
            autoComplete="new-password"
            required
            aria-describedby="setup-password-policy"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <p id="setup-password-policy" className={problem ? 'hint warn' : 'hint'}>
          At least {PASSWORD_POLICY.minLength} characters, not containing the username{problem ? ` — needs ${problem}` : ''}.
        </p>
        {error && (
          <p className="auth-error" role="alert" data-testid="setup-error">
            {error}
          </p>
        )}
        <button type="submit" data-testid="setup-submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create and sign in'}
        </button>
      </form>
    </AuthCard>
  );
}
