import os from 'node:os';
import path from 'node:path';

export const APP_NAME = 'Noctis';

/**
 * The desktop app's data directory, the same folder Electron's `userData` resolves to, so
 * that the CLI, the host and the app share one store. `NOCTIS_DATA_DIR` overrides it.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.NOCTIS_DATA_DIR) return path.resolve(env.NOCTIS_DATA_DIR);
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_NAME);
}

/** Who the command line acts as in the audit trail: the operating-system user, `cli:alice`. */
export function localUser(): string {
  let name: string;
  try {
    name = os.userInfo().username;
  } catch {
    name = process.env.USER ?? process.env.USERNAME ?? 'unknown'; // no passwd entry (containers)
  }
  return `cli:${name}`;
}
