// Workstation settings: stored in the data directory, read by every process using it.
import { z } from 'zod';

export const settingsSchema = z
  .object({
    /** Imports and the receiver refuse work when the store's disk has less free space (MB). */
    minFreeDiskMB: z.number().int().min(0).max(100_000_000),
    /** A window with no input for this long locks; its password unlocks it, the work kept. */
    idleLockMinutes: z.number().int().min(1).max(240),
    /** A session ends this long after sign-in, active or not. */
    sessionHours: z.number().int().min(1).max(24),
  })
  .strict();

export type Settings = z.output<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  minFreeDiskMB: 1024,
  idleLockMinutes: 15,
  sessionHours: 12,
};
