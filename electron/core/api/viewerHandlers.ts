// Handlers of the viewer: measurements (each user's own, per image), series thumbnails (made
// once by a window, kept in the store) and the tag browser's elements. Another facility's
// study, series or instance is "not found", as everywhere.
import fs from 'node:fs';
import type { Principal } from '../auth/access';
import { actorOf, studyScope } from '../auth/actor';
import type { AuditTrail } from '../audit/types';
import { dumpElements } from '../dicom/dump';
import { NoctisError } from '../errors';
import type { Catalog } from '../store/catalog';
import type { Measurements, Thumbnails } from '../store/viewerStore';
import type { HandlerTable } from './handlers';

export interface ViewerServices {
  catalog: Catalog;
  measurements: Measurements;
  thumbnails: Thumbnails;
  /** The absolute path of an instance's file. */
  resolvePath: (path: string, linked: boolean) => string;
  /** The viewer's cache budget, from the workstation's settings. */
  viewerCacheMB: () => number;
  audit: AuditTrail;
}

type ViewerChannel = Extract<
  keyof HandlerTable,
  `measurements.${string}` | `thumbnails.${string}` | 'instances.tags' | 'instances.exported' | 'viewer.config'
>;

const PNG_PREFIX = 'data:image/png;base64,';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** A file above this is described up to its pixel data only (a 500 MB cine is not read whole). */
const WHOLE_FILE_BYTES = 64 * 1024 * 1024;

export function createViewerHandlers(services: ViewerServices): Pick<HandlerTable, ViewerChannel> {
  const { catalog, measurements, thumbnails } = services;

  const visible = (principal: Principal, owner: { facilityId: number | null } | undefined): boolean => {
    if (!owner) return false;
    const scope = studyScope(principal);
    return !scope || owner.facilityId === scope.facilityId;
  };
  /** Measurements belong to a person: the command line (no account) has none. */
  const userOf = (principal: Principal): number => {
    if (principal.kind !== 'user') throw new NoctisError('NOT_SUPPORTED', { reason: 'measurements belong to a signed-in user' });
    return principal.session.user.userId;
  };

  return {
    'measurements.list': ({ studyInstanceUid }, _ctx, principal) => {
      if (principal.kind !== 'user') return [];
      if (!visible(principal, { facilityId: catalog.studyFacility(studyInstanceUid) })) throw new NoctisError('STUDY_NOT_FOUND', { studyInstanceUid });
      return measurements.list(userOf(principal), studyInstanceUid);
    },
    'measurements.save': ({ frame = 1, label = '', ...m }, _ctx, principal) => {
      const owner = catalog.instanceStudy(m.sopInstanceUid);
      if (!owner || owner.studyInstanceUid !== m.studyInstanceUid || !visible(principal, owner)) {
        throw new NoctisError('INSTANCE_NOT_FOUND', { sopInstanceUid: m.sopInstanceUid });
      }
      const saved = measurements.save(userOf(principal), { ...m, frame, label });
      if (!saved) throw new NoctisError('PERMISSION_DENIED', { measurementId: m.measurementId, reason: "another user's measurement" });
      return saved;
    },
    'measurements.delete': ({ measurementId }, _ctx, principal) => ({ deleted: measurements.remove(userOf(principal), measurementId) }),
    'thumbnails.get': ({ seriesInstanceUids }, _ctx, principal) => {
      const found: Record<string, string> = {};
      for (const uid of seriesInstanceUids) {
        if (!visible(principal, catalog.seriesStudy(uid))) continue;
        const png = thumbnails.get(uid);
        if (png) found[uid] = PNG_PREFIX + png.toString('base64');
      }
      return found;
    },
    'thumbnails.put': ({ seriesInstanceUid, png }, _ctx, principal) => {
      if (!visible(principal, catalog.seriesStudy(seriesInstanceUid))) throw new NoctisError('STUDY_NOT_FOUND', { seriesInstanceUid });
      const bytes = png.startsWith(PNG_PREFIX) ? Buffer.from(png.slice(PNG_PREFIX.length), 'base64') : Buffer.alloc(0);
      if (!bytes.subarray(0, 8).equals(PNG_SIGNATURE)) throw new NoctisError('VALIDATION_FAILED', { reason: 'not a PNG image' });
      thumbnails.put(seriesInstanceUid, bytes);
      return { saved: true };
    },
    'viewer.config': () => ({ cacheMB: services.viewerCacheMB() }),
    'instances.exported': ({ studyInstanceUid, sopInstanceUid, format }, _ctx, principal) => {
      const owner = catalog.instanceStudy(sopInstanceUid);
      if (!owner || owner.studyInstanceUid !== studyInstanceUid || !visible(principal, owner)) {
        throw new NoctisError('INSTANCE_NOT_FOUND', { sopInstanceUid });
      }
      services.audit.append({
        ...actorOf(principal),
        code: '110106',
        action: 'R',
        outcome: 0,
        patientIds: catalog.patientIdsOf([studyInstanceUid]),
        studyUids: [studyInstanceUid],
        description: `image exported as ${format.toUpperCase()} from the viewer: instance ${sopInstanceUid}`,
      });
      return { audited: true };
    },
    'instances.tags': ({ sopInstanceUid }, _ctx, principal) => {
      const file = catalog.instanceFile(sopInstanceUid);
      if (!file || !visible(principal, file)) throw new NoctisError('INSTANCE_NOT_FOUND', { sopInstanceUid });
      const filePath = services.resolvePath(file.path, file.linked);
      const raw = file.rawDataset ? file.transferSyntaxUid : undefined;
      if (file.size <= WHOLE_FILE_BYTES) return dumpElements(fs.readFileSync(filePath), raw);
      const head = Buffer.alloc(WHOLE_FILE_BYTES);
      const fd = fs.openSync(filePath, 'r');
      try {
        fs.readSync(fd, head, 0, head.length, 0);
      } finally {
        fs.closeSync(fd);
      }
      return dumpElements(head, raw, { untilPixelData: true });
    },
  };
}
