// Settings in the store, so that the app, `noctis serve` and the CLI share them.
import { DEFAULT_SETTINGS, settingsSchema, type Settings } from '../../../shared/settings';
import type { Db } from './db';

export function createSettings(db: Db) {
  const all = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM settings');
  const upsert = db.prepare<[string, string]>(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );

  // Read once per change: the receiver asks for each instance. data_version moves when another
  // connection (the CLI, `noctis serve`) commits; this one's writes go through set().
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
  let cached: { version: number; settings: Settings } | undefined;

  const read = (): Settings => {
    const stored: Record<string, unknown> = {};
    for (const row of all.all()) {
      if (row.key in DEFAULT_SETTINGS) stored[row.key] = JSON.parse(row.value) as unknown;
    }
    // A value a newer or older version wrote that no longer validates falls back to its default.
    const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    for (const [key, value] of Object.entries(stored)) {
      if (settingsSchema.safeParse({ ...DEFAULT_SETTINGS, [key]: value }).success) merged[key] = value;
    }
    return settingsSchema.parse(merged);
  };

  const get = (): Settings => {
    const version = dataVersion.get() as number;
    if (cached?.version !== version) cached = { version, settings: read() };
    return structuredClone(cached.settings);
  };

  return {
    get,
    /** Stores the given values (validated by the caller's schema) and returns all settings. */
    set(values: Partial<Settings>): Settings {
      const checked = settingsSchema.parse({ ...get(), ...values });
      db.transaction(() => {
        for (const key of Object.keys(values) as (keyof Settings)[]) upsert.run(key, JSON.stringify(checked[key]));
      })();
      cached = undefined;
      return checked;
    },
  };
}

export type SettingsStore = ReturnType<typeof createSettings>;
