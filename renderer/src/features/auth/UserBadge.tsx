import type { SessionInfo } from '../../../../shared/auth';

const ROLE_LABELS: Record<SessionInfo['user']['role'], string> = {
  admin: 'administrator',
  radiologist: 'radiologist',
  technologist: 'technologist',
  facility_user: 'facility user',
};

export function roleLabel(role: SessionInfo['user']['role']): string {
  return ROLE_LABELS[role];
}

/** Who is signed in on this window, with the ways to step away from it. */
export function UserBadge(props: { session: SessionInfo; onLock: () => void; onSignOut: () => void; onChangePassword: () => void }) {
  const { session, onLock, onSignOut, onChangePassword } = props;
  const { user } = session;
  return (
    <span className="user-badge">
      <span data-testid="session-user" data-username={user.username} data-role={user.role} title={user.username}>
        {user.displayName || user.username} <small>· {roleLabel(user.role)}{user.facilityName ? ` · ${user.facilityName}` : ''}</small>
      </span>
      <button data-testid="password-open" onClick={onChangePassword}>
        Password…
      </button>
      <button data-testid="lock-now" onClick={onLock} title="Lock the screen; your work is kept">
        Lock
      </button>
      <button data-testid="logout" onClick={onSignOut}>
        Sign out
      </button>
    </span>
  );
}
