import { useState, type FormEvent } from 'react';
import {
  FACILITY_REQUIRED_ROLES,
  LICENSE_REQUIRED_ROLES,
  ROLES,
  passwordProblem,
  type FacilityRow,
  type Role,
  type UserChange,
  type UserRow,
} from '../../../../shared/auth';
import { api } from '../../api/client';
import { PasswordInput, PolicyHint } from '../auth/fields';
import { roleLabel } from '../auth/UserBadge';

interface Props {
  /** The account to edit, or null to create one. */
  user: UserRow | null;
  facilities: FacilityRow[];
  onSaved: (change: UserChange) => void;
  onCancel: () => void;
  onError: (e: unknown) => void;
}

/** What the form still lacks, as the core would refuse it (the core checks again). */
function problems(f: { username: string; role: Role; facilityId: string; license: string; password: string }, creating: boolean): string[] {
  const out: string[] = [];
  if (creating && !f.username.trim()) out.push('a username');
  if (FACILITY_REQUIRED_ROLES.includes(f.role) && !f.facilityId) out.push(`a facility (every ${roleLabel(f.role)} has one)`);
  if (LICENSE_REQUIRED_ROLES.includes(f.role) && !f.license.trim()) out.push(`a license number (every ${roleLabel(f.role)} has one)`);
  const weak = creating ? passwordProblem(f.password, f.username) : undefined;
  if (weak) out.push(`an initial password of ${weak}`);
  return out;
}

export function UserForm({ user, facilities, onSaved, onCancel, onError }: Props) {
  const creating = user === null;
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState(user?.displayName ?? '');
  const [role, setRole] = useState<Role>(user?.role ?? 'radiologist');
  const [facilityId, setFacilityId] = useState(user?.facilityId ? String(user.facilityId) : '');
  const [license, setLicense] = useState(user?.licenseNumber ?? '');
  const [specialization, setSpecialization] = useState(user?.specialization ?? '');
  const [password, setPassword] = useState('');
  const [mustChange, setMustChange] = useState(true);
  const [busy, setBusy] = useState(false);
  const missing = problems({ username, role, facilityId, license, password }, creating);
  const needsFacility = FACILITY_REQUIRED_ROLES.includes(role);
  const needsLicense = LICENSE_REQUIRED_ROLES.includes(role);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (missing.length > 0) return;
    setBusy(true);
    const fields = {
      role,
      displayName: displayName.trim(),
      facilityId: facilityId ? Number(facilityId) : null,
      licenseNumber: license.trim(),
      specialization: specialization.trim(),
    };
    const saved = user
      ? api().invoke('users.update', { userId: user.userId, ...fields })
      : api().invoke('users.create', { ...fields, username: username.trim(), password, mustChangePassword: mustChange });
    saved.then(onSaved, onError).finally(() => setBusy(false));
  };

  return (
    <form className="admin-form" data-testid="user-form" onSubmit={submit} aria-label={creating ? 'New user' : `Edit ${user.username}`}>
      <h3>{creating ? 'New user' : `Edit ${user.username}`}</h3>
      {creating && (
        <label>
          Username
          <input data-testid="user-form-username" autoComplete="off" autoCapitalize="none" spellCheck={false} required autoFocus value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
      )}
      <label>
        Full name
        <input data-testid="user-form-display-name" autoComplete="off" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
      </label>
      <label>
        Role
        <select data-testid="user-form-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {roleLabel(r)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Facility{needsFacility ? ' (required)' : ''}
        <select data-testid="user-form-facility" value={facilityId} onChange={(e) => setFacilityId(e.target.value)}>
          <option value="">— none —</option>
          {facilities.map((f) => (
            <option key={f.facilityId} value={String(f.facilityId)}>
              {f.name}
            </option>
          ))}
        </select>
      </label>
      {needsFacility && facilities.length === 0 && <p className="hint warn">No facility exists yet: create one under Facilities first.</p>}
      <label>
        License number{needsLicense ? ' (required)' : ''}
        <input data-testid="user-form-license" autoComplete="off" value={license} onChange={(e) => setLicense(e.target.value)} />
      </label>
      <label>
        Specialization{role === 'radiologist' ? ' (recommended)' : ''}
        <input data-testid="user-form-specialization" autoComplete="off" value={specialization} onChange={(e) => setSpecialization(e.target.value)} />
      </label>
      {creating && (
        <>
          <PasswordInput label="Initial password" testId="user-form-password" kind="new" policyId="user-form-policy" value={password} onChange={setPassword} />
          <PolicyHint id="user-form-policy" whose="the" />
          <label className="inline">
            <input data-testid="user-form-must-change" type="checkbox" checked={mustChange} onChange={(e) => setMustChange(e.target.checked)} />
            The user chooses a new password at the first sign-in
          </label>
        </>
      )}
      {missing.length > 0 && (
        <p className="hint warn" data-testid="user-form-missing">
          Still needed: {missing.join('; ')}.
        </p>
      )}
      <div className="form-actions">
        <button type="submit" data-testid="user-form-submit" disabled={busy || missing.length > 0}>
          {creating ? 'Create' : 'Save'}
        </button>
        <button type="button" data-testid="user-form-cancel" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
