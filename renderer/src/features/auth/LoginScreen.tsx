import { useState, type FormEvent } from 'react';
import type { SessionInfo } from '../../../../shared/auth';
import { api, errorInfo } from '../../api/client';
import { AuthCard, refusalText } from './AuthCard';
import { FormError, PasswordInput, UsernameInput } from './fields';

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
        <UsernameInput label="Username" testId="login-username" value={username} onChange={setUsername} autoFocus />
        <PasswordInput label="Password" testId="login-password" kind="current" value={password} onChange={setPassword} />
        <FormError testId="login-error" error={error} />
        <button type="submit" data-testid="login-submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </AuthCard>
  );
}
