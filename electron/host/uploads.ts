// Dropped files in a browser window have no path the core could read: the page uploads them
// here (PUT /uploads/<batch>/<relative path>) and then imports the batch. Electron windows pass
// real paths instead and never use this.
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { UPLOAD_ROUTE } from '../../shared/api';

const BATCH = /^[0-9a-f-]{36}$/;

/** The file an upload URL names inside `uploadsDir`, or undefined for anything unsafe. */
export function uploadTarget(uploadsDir: string, urlPath: string): string | undefined {
  if (!urlPath.startsWith(`${UPLOAD_ROUTE}/`)) return undefined;
  let parts: string[];
  try {
    parts = urlPath.slice(UPLOAD_ROUTE.length + 1).split('/').map(decodeURIComponent);
  } catch {
    return undefined;
  }
  const [batch, ...rest] = parts;
  if (!BATCH.test(batch) || rest.length === 0 || rest.length > 64) return undefined;
  if (rest.some((p) => p === '' || p === '.' || p === '..' || /[\\/\0]/.test(p) || p.length > 255)) return undefined;
  return path.join(uploadsDir, batch, ...rest);
}

export async function receiveUpload(req: http.IncomingMessage, target: string): Promise<void> {
  fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
  await pipeline(req, fs.createWriteStream(target, { flags: 'wx', mode: 0o600 }));
}
