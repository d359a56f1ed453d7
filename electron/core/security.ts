// Accounts, sessions, facilities and the audit trail, wired together for the core: what the
// dispatcher asks (who is calling), what the byte routes and events ask (may they see it), and
// the events of the application itself (start, stop, chain checks).
import os from 'node:os';
import type { EventName, Events } from '../../shared/api';
import { hasPermission } from '../../shared/auth';
import type { HealthCheck } from '../../shared/health';
import type { AuditVerifyResult } from '../../shared/audit';
import type { Principal } from './auth/access';
import { createAccounts } from './auth/accounts';
import { actorOf, studyScope } from './auth/actor';
import { createFacilities } from './auth/facilities';
import { createSessions, type Connection } from './auth/sessions';
import { createAuditTrail } from './audit/trail';
import type { ImportOptions } from './import/importJob';
import type { Logger } from './log/logger';
import type { Catalog } from './store/catalog';
import type { Db } from './store/db';
import type { RunKind } from './store/runs';
import type { SettingsStore } from './store/settings';

export interface SecurityDeps {
  db: Db;
  catalog: Catalog;
  settings: SettingsStore;
  log: Logger;
  kind: RunKind;
}

const MAX_AUDITED_UIDS = 10_000;

export function createSecurity({ db, catalog, settings, log, kind }: SecurityDeps) {
  const facilities = createFacilities(db);
  const accounts = createAccounts(db, (id) => facilities.list().some((f) => f.facilityId === id));
  const sessions = createSessions(() => settings.get());
  const audit = createAuditTrail(db, { host: os.hostname() });
  let lastVerify: AuditVerifyResult | undefined;
  // The command line opens the store for one command: only long-running processes say they started.
  const announces = kind !== 'cli';

  const verifyChain = async () => {
    const result = await audit.verifyInBackground();
    lastVerify = result;
    if (result.ok) {
      log.info('audit.verified', { checked: result.checked, durationMs: result.durationMs });
      return;
    }
    log.error('audit.chain_broken', { ...result });
    audit.append({
      code: '110113',
      action: 'E',
      outcome: 12,
      user: 'system',
      description: `audit chain broken at event ${result.firstBad?.eventId} (${result.firstBad?.problem}): ${result.firstBad?.detail}`,
    });
  };

  return {
    accounts,
    facilities,
    sessions,
    audit,

    /** Application Start, then a check of the whole chain without holding up the start. */
    start(): void {
      if (!announces) return;
      audit.append({ code: '110100', typeCode: '110120', action: 'E', outcome: 0, user: 'system', description: `${kind} started (pid ${process.pid})` });
      verifyChain().catch((error: unknown) => log.error('audit.verify_failed', { error }));
    },
    stop(): void {
      sessions.close();
      if (!announces) return;
      try {
        audit.append({ code: '110100', typeCode: '110121', action: 'E', outcome: 0, user: 'system', description: `${kind} stopped (pid ${process.pid})` });
      } catch (error) {
        log.warn('audit.stop_not_recorded', { error }); // e.g. a full disk: closing goes on
      }
    },

    /** The window or tab went away: its session ends (and says so in the audit trail). */
    disconnect(connection: Connection): void {
      const resolved = sessions.resolve(connection);
      if (!resolved || !('session' in resolved)) return;
      audit.append({ ...actorOf({ kind: 'user', session: resolved.session }), code: '110114', typeCode: '110123', action: 'E', outcome: 0, description: 'signed out: window closed' });
      sessions.end(resolved.session);
    },

    onDenied(channel: string, principal: Principal): void {
      audit.append({
        ...actorOf(principal),
        code: '110113',
        typeCode: '110132',
        action: 'E',
        outcome: 4,
        description: `permission denied: ${channel}`,
      });
    },

    /** The importer's facility for new studies, and the job's Import audit event at its end. */
    importAs(principal: Principal): Pick<ImportOptions, 'facilityId' | 'onCommitted' | 'onFinished'> {
      const studies = new Set<string>();
      return {
        facilityId: principal.kind === 'user' ? principal.session.user.facilityId : null,
        onCommitted: (uids) => {
          for (const uid of uids) if (studies.size < MAX_AUDITED_UIDS) studies.add(uid);
        },
        onFinished: (report) => {
          const studyUids = [...studies];
          audit.append({
            ...actorOf(principal),
            code: '110107',
            action: 'C',
            outcome: report.status === 'completed' ? 0 : 4,
            studyUids,
            patientIds: catalog.patientIdsOf(studyUids),
            description: `import ${report.status} (${report.source}): ${report.imported} imported, ${report.duplicates} duplicates, ${report.conflicts} conflicts, ${report.invalid} invalid of ${report.totalFiles} files`,
          });
        },
      };
    },

    /** An instance URL's key must belong to a live, unlocked session allowed to see that study. */
    instanceAllowed(key: string | null, facilityId: number | null): boolean {
      const session = sessions.byBytesKey(key);
      if (!session || session.mustChangePassword || !hasPermission(session.user.role, 'studies.view')) return false;
      const scope = studyScope({ kind: 'user', session });
      return !scope || scope.facilityId === facilityId;
    },

    /** What of a core event this connection may receive (undefined: nothing). */
    visibleEvent<E extends EventName>(connection: Connection, event: E, data: Events[E]): Events[E] | undefined {
      if (event === 'app.command') return data;
      const resolved = sessions.resolve(connection);
      const session = resolved && 'session' in resolved ? resolved.session : undefined;
      if (!session || session.locked || session.mustChangePassword) return undefined;
      const role = session.user.role;
      if (event === 'import.progress' || event === 'import.finished') return hasPermission(role, 'import') ? data : undefined;
      if (event === 'send.progress' || event === 'send.finished') return hasPermission(role, 'send') ? data : undefined;
      if (event === 'receiver.changed') return hasPermission(role, 'health.view') || hasPermission(role, 'settings.manage') ? data : undefined;
      if (event === 'studies.received') {
        if (!hasPermission(role, 'studies.view')) return undefined;
        const scope = studyScope({ kind: 'user', session });
        const notice = data as Events['studies.received'];
        if (!scope) return data;
        const studies = notice.studies.filter((s) => catalog.studyFacility(s.studyInstanceUid) === scope.facilityId);
        const instances = studies.reduce((n, s) => n + s.instances, 0);
        return studies.length > 0 ? ({ ...notice, studies, instances, failures: 0 } as Events[E]) : undefined;
      }
      if (event === 'studies.changed') {
        if (!hasPermission(role, 'studies.view')) return undefined;
        const scope = studyScope({ kind: 'user', session });
        if (!scope) return data;
        const { studyInstanceUids } = data as Events['studies.changed'];
        const visible = studyInstanceUids.filter((uid) => catalog.studyFacility(uid) === scope.facilityId);
        return visible.length > 0 ? ({ studyInstanceUids: visible } as Events[E]) : undefined;
      }
      return undefined; // auth.changed goes to its own connection only, through notify
    },

    /** Walks the whole chain now (seconds at a million events) and keeps the result for health. */
    verifyNow(): AuditVerifyResult {
      lastVerify = audit.verify();
      return lastVerify;
    },

    /** For the health report: the last verification of the chain, or none yet (no check). */
    auditHealth(): { detail: string; check?: HealthCheck } {
      if (!lastVerify) {
        return { detail: announces ? 'The audit chain is being verified.' : 'Not verified by this command: add --check, or run noctis audit verify.' };
      }
      if (!lastVerify.ok) {
        const detail = `The audit chain is broken at event ${lastVerify.firstBad?.eventId} (${lastVerify.firstBad?.problem}).`;
        return { detail, check: { name: 'audit', status: 'critical', detail } };
      }
      const detail = `${lastVerify.checked.toLocaleString('en')} events verified intact in ${lastVerify.durationMs} ms.`;
      return { detail, check: { name: 'audit', status: 'ok', detail } };
    },
  };
}

export type Security = ReturnType<typeof createSecurity>;
