import { useState } from 'react';
import type { Permission, SessionInfo } from '../../../../shared/auth';
import { AuditViewer } from '../audit/AuditViewer';
import { FacilitiesPanel } from './FacilitiesPanel';
import { UsersPanel } from './UsersPanel';

type Tab = 'users' | 'facilities' | 'audit';

const TABS: { tab: Tab; label: string; permission: Permission }[] = [
  { tab: 'users', label: 'Users', permission: 'users.manage' },
  { tab: 'facilities', label: 'Facilities', permission: 'facilities.manage' },
  { tab: 'audit', label: 'Audit trail', permission: 'audit.view' },
];

/** The permissions that open the admin area. */
export const ADMIN_PERMISSIONS: readonly Permission[] = TABS.map((t) => t.permission);

/** Accounts, facilities and the audit trail: what an administrator works on instead of studies. */
export function AdminArea({ session, onError }: { session: SessionInfo; onError: (e: unknown) => void }) {
  const tabs = TABS.filter((t) => session.permissions.includes(t.permission));
  const [tab, setTab] = useState<Tab>(tabs[0]?.tab ?? 'users');
  const canFacilities = session.permissions.includes('facilities.manage');

  return (
    <main className="admin-area" data-testid="admin-area">
      <nav className="admin-tabs" role="tablist" aria-label="Administration">
        {tabs.map((t) => (
          <button
            key={t.tab}
            role="tab"
            aria-selected={tab === t.tab}
            data-testid={`admin-tab-${t.tab}`}
            className={tab === t.tab ? 'selected' : undefined}
            onClick={() => setTab(t.tab)}
          >
            {t.label}
          </button>
        ))}
      </nav>
      <div className="admin-body" role="tabpanel">
        {tab === 'users' && <UsersPanel self={session.user.userId} canListFacilities={canFacilities} onError={onError} />}
        {tab === 'facilities' && <FacilitiesPanel onError={onError} />}
        {tab === 'audit' && <AuditViewer onError={onError} />}
      </div>
    </main>
  );
}
