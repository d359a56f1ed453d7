// Workstation settings: stored in the data directory, read by every process using it.
import { z } from 'zod';
import { aeTitleProblem, parseAllowEntry } from './network';

const aeTitle = z.string().refine((v) => aeTitleProblem(v) === undefined, 'an AE title: 1 to 16 characters, no backslash');
const allowEntry = z.string().refine((v) => parseAllowEntry(v) !== undefined, 'AET or AET@host');

export const settingsSchema = z
  .object({
    /** Imports and the receiver refuse work when the store's disk has less free space (MB). */
    minFreeDiskMB: z.number().int().min(0).max(100_000_000),
    /** A window with no input for this long locks; its password unlocks it, the work kept. */
    idleLockMinutes: z.number().int().min(1).max(240),
    /** A session ends this long after sign-in, active or not. */
    sessionHours: z.number().int().min(1).max(24),
    /** The DICOM receiver (C-ECHO, C-STORE) runs with the app and `noctis serve`. */
    scpEnabled: z.boolean(),
    scpAeTitle: aeTitle,
    scpPort: z.number().int().min(1).max(65535),
    /** The address the receiver listens on; empty: every interface (modalities must reach it). */
    scpBindAddress: z.string().max(64).regex(/^[0-9A-Fa-f:.]*$/, 'an IP address, or empty for all'),
    /** Calling AE titles (AET or AET@host) allowed to store; empty: any caller may. */
    scpAllow: z.array(allowEntry).max(500),
    /** Associations served at once; more are refused as "local limit exceeded". */
    scpMaxAssociations: z.number().int().min(1).max(100),
    /** The largest PDU the receiver accepts (bytes), told to the peer at association. */
    scpMaxPduBytes: z.number().int().min(4096).max(1_048_576),
    /** A peer silent for this long (in an association, or mid-PDU) is aborted. */
    scpTimeoutSeconds: z.number().int().min(5).max(3600),
    /** The viewer's decoded-image cache (MB); prefetching stays within it. */
    viewerCacheMB: z.number().int().min(128).max(65536),
  })
  .strict();

export type Settings = z.output<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  minFreeDiskMB: 1024,
  idleLockMinutes: 15,
  sessionHours: 12,
  scpEnabled: false,
  scpAeTitle: 'NOCTIS',
  scpPort: 11112,
  scpBindAddress: '',
  scpAllow: [],
  scpMaxAssociations: 10,
  scpMaxPduBytes: 65536,
  scpTimeoutSeconds: 60,
  viewerCacheMB: 1024,
};
