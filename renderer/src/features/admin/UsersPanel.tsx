import { useCallback, useEffect, useState } from 'react';
import type { FacilityRow, UserChange, UserRow } from '../../../../shared/auth';
import { api } from '../../api/client';
import { roleLabel } from '../auth/UserBadge';
import { ResetPasswordForm } from './ResetPasswordForm';
import { UserForm } from './UserForm';
import { userStatus } from './userStatus';

interface Props {
  /** The signed-in admin's own account. */
  self: number;
  canListFacilities: boolean;
  onError: (e: unknown) => void;
}

type Editing = { kind: 'create' } | { kind: 'edit'; user: UserRow } | { kind: 'reset'; user: UserRow } | null;

/** Facilities named by the accounts, for an account manager who may not list facilities. */
function facilitiesOfUsers(users: UserRow[]): FacilityRow[] {
  const byId = new Map<number, FacilityRow>();
  for (const u of users) {
    if (u.facilityId !== null) byId.set(u.facilityId, { facilityId: u.facilityId, name: u.facilityName ?? `#${u.facilityId}`, institutions: [], createdAt: '' });
  }
  return [...byId.values()];
}

/** The accounts: create, edit, disable or enable (never delete), reset a password, unlock. */
export function UsersPanel({ self, canListFacilities, onError }: Props) {
  const [users, setUsers] = useState<UserRow[] | null>(null);
  const [facilities, setFacilities] = useState<FacilityRow[]>([]);
  const [editing, setEditing] = useState<Editing>(null);
  const [notice, setNotice] = useState<{ text: string; warnings: string[] } | null>(null);

  const load = useCallback(() => {
    api().invoke('users.list', {}).then(setUsers).catch(onError);
    if (canListFacilities) api().invoke('facilities.list', {}).then(setFacilities).catch(onError);
  }, [canListFacilities, onError]);
  useEffect(load, [load]);

  const done = (what: string) => (change: UserChange) => {
    setNotice({ text: `${change.user.username}: ${what}.`, warnings: change.warnings });
    setEditing(null);
    load();
  };
  const act = (channel: 'users.disable' | 'users.enable' | 'users.unlock', user: UserRow, what: string) => {
    api().invoke(channel, { userId: user.userId }).then(done(what), onError);
  };

  const choices = canListFacilities ? facilities : facilitiesOfUsers(users ?? []);

  return (
    <section className="users-panel" data-testid="users-panel">
      <header className="admin-header">
        <h2>Users</h2>
        <button data-testid="user-create" onClick={() => setEditing({ kind: 'create' })} disabled={editing?.kind === 'create'}>
          New user…
        </button>
      </header>
      {notice && (
        <div className="admin-notice" role="status" data-testid="user-notice">
          {notice.text}
          {notice.warnings.map((w) => (
            <p key={w} className="warn" data-testid="user-warning">
              Note: {w}
            </p>
          ))}
        </div>
      )}
      {(editing?.kind === 'create' || editing?.kind === 'edit') && (
        <UserForm
          key={editing.kind === 'edit' ? editing.user.userId : 'new'}
          user={editing.kind === 'edit' ? editing.user : null}
          facilities={choices}
          onSaved={done(editing.kind === 'edit' ? 'saved' : 'created')}
          onCancel={() => setEditing(null)}
          onError={onError}
        />
      )}
      {editing?.kind === 'reset' && (
        <ResetPasswordForm user={editing.user} onSaved={done('password reset; to be changed at the next sign-in')} onCancel={() => setEditing(null)} onError={onError} />
      )}
      <table className="admin-table">
        <thead>
          <tr>
            <th>Username</th>
            <th>Name</th>
            <th>Role</th>
            <th>Facility</th>
            <th>License</th>
            <th>Specialization</th>
            <th>Status</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {users?.map((u) => {
            const status = userStatus(u);
            return (
              <tr key={u.userId} data-testid="user-row" data-username={u.username} data-role={u.role} data-status={status.state}>
                <td>{u.username}</td>
                <td>{u.displayName}</td>
                <td>{roleLabel(u.role)}</td>
                <td>{u.facilityName ?? '–'}</td>
                <td>{u.licenseNumber || '–'}</td>
                <td>{u.specialization || '–'}</td>
                <td data-testid="user-status">
                  <span className={`user-state-${status.state}`}>{status.text}</span>
                  {u.mustChangePassword && <span className="hint"> · must change password</span>}
                </td>
                <td className="row-actions">
                  <button data-testid="user-edit" onClick={() => setEditing({ kind: 'edit', user: u })}>
                    Edit
                  </button>
                  {u.disabled ? (
                    <button data-testid="user-enable" onClick={() => act('users.enable', u, 'enabled')}>
                      Enable
                    </button>
                  ) : (
                    <button data-testid="user-disable" disabled={u.userId === self} title={u.userId === self ? 'You cannot disable your own account' : undefined} onClick={() => act('users.disable', u, 'disabled')}>
                      Disable
                    </button>
                  )}
                  <button data-testid="user-reset" onClick={() => setEditing({ kind: 'reset', user: u })}>
                    Reset password
                  </button>
                  {status.state === 'locked' && (
                    <button data-testid="user-unlock" onClick={() => act('users.unlock', u, 'unlocked')}>
                      Unlock
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {users === null && <p className="hint">Loading…</p>}
    </section>
  );
}
