// The inputs every sign-in form shares, so that they keep the same autocomplete hints, labels
// and error role everywhere.
import { PASSWORD_POLICY } from '../../../../shared/auth';

interface InputProps {
  label: string;
  testId: string;
  value: string;
  onChange: (value: string) => void;
  autoFocus?: boolean;
}

export function UsernameInput({ label, testId, value, onChange, autoFocus }: InputProps) {
  return (
    <label>
      {label}
      <input
        data-testid={testId}
        name="username"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        required
        autoFocus={autoFocus}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </label>
  );
}

/** `current`: the password a password manager fills in; `new`: one being chosen (with its policy hint). */
export function PasswordInput({ label, testId, value, onChange, autoFocus, kind, policyId }: InputProps & { kind: 'current' | 'new'; policyId?: string }) {
  return (
    <label>
      {label}
      <input
        data-testid={testId}
        name={kind === 'new' ? 'new-password' : 'password'}
        type="password"
        autoComplete={kind === 'new' ? 'new-password' : 'current-password'}
        required
        autoFocus={autoFocus}
        aria-describedby={policyId}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </label>
  );
}

export function PolicyHint({ id, whose, problem }: { id: string; whose: 'the' | 'your'; problem?: string }) {
  return (
    <p id={id} className={problem ? 'hint warn' : 'hint'}>
      At least {PASSWORD_POLICY.minLength} characters, not containing {whose} username{problem ? ` — needs ${problem}` : ''}.
    </p>
  );
}

export function FormError({ testId, error }: { testId: string; error: string | null }) {
  if (!error) return null;
  return (
    <p className="auth-error" role="alert" data-testid={testId}>
      {error}
    </p>
  );
}
