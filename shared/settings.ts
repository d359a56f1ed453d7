// Workstation settings: stored in the data directory, read by every process using it.
import { z } from 'zod';

export const settingsSchema = z
  .object({
    /** Imports and the receiver refuse work when the store's disk has less free space (MB). */
    minFreeDiskMB: z.number().int().min(0).max(100_000_000),
  })
  .strict();

export type Settings = z.output<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  minFreeDiskMB: 1024,
};
