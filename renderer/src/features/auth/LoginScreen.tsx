import { useState, type FormEvent } from 'react';
import type { SessionInfo } from '../../../../shared/auth';
import { api, errorInfo } from '../../api/client';
import { AuthCard, refusalText } from './AuthCard';

interface Props {
  notice: string | null;
  onSignedIn: (session: SessionInfo) => void;
}

export function LoginScreen({ notice, onSignedIn }: Props) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    api()
      .invoke('auth.login', { username: username.trim(), password })
      .then(onSignedIn, (err: unknown) => {
        setError(refusalText(errorInfo(err)));
        setPassword('');
        setBusy(false);
      });
  };

  return (
    <AuthCard title="Sign in" testId="login-screen">
      {notice && (
        <p className="auth-notice" role="status" data-testid="login-notice">
          {notice}
        </p>
      )}
      <form className="auth-form" onSubmit={submit}>
        <label>
          Username
          <input
            data-testid="login-username"
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
          Password
          <input
            data-testid="login-password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error && (
          <p className="auth-error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button type="submit" data-testid="login-submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </AuthCard>
  );
}
