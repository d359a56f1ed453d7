// Files and folders dropped on the window. Electron gives their paths; a browser gives only
// their contents, which are uploaded to the host as one batch and imported from there.
import { UPLOAD_ROUTE } from '../../../../shared/api';

/** What a drop carried, captured during the event (DataTransfer empties right after it). */
export interface Dropped {
  files: File[];
  entries: FileSystemEntry[];
}

export function captureDrop(data: DataTransfer): Dropped {
  const entries = [...data.items].map((item) => item.webkitGetAsEntry()).filter((e): e is FileSystemEntry => e !== null);
  return { files: [...data.files], entries };
}

/** Uploads every file under the dropped entries; resolves with the batch id and the count. */
export async function uploadDropped(dropped: Dropped, onFile?: (done: number) => void): Promise<{ batch: string; files: number }> {
  const batch = crypto.randomUUID();
  const queue: Array<{ file: File; path: string }> = [];
  for (const entry of dropped.entries) await collect(entry, '', queue);
  // Some sources (synthetic drops, some platforms) give files but no entries: upload them flat.
  if (dropped.entries.length === 0) for (const file of dropped.files) queue.push({ file, path: file.name });
  let done = 0;
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const url = new URL(`.${UPLOAD_ROUTE}/${batch}/${next.path.split('/').map(encodeURIComponent).join('/')}`, window.location.href);
      const response = await fetch(url, { method: 'PUT', body: next.file });
      if (!response.ok) throw new Error(`Upload of ${next.path} failed (${response.status}).`);
      onFile?.(++done);
    }
  };
  const total = queue.length;
  await Promise.all(Array.from({ length: 4 }, worker));
  return { batch, files: total };
}

async function collect(entry: FileSystemEntry, prefix: string, out: Array<{ file: File; path: string }>): Promise<void> {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ file, path });
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries returns a folder in chunks: call until it returns none.
  for (;;) {
    const chunk = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (chunk.length === 0) break;
    for (const child of chunk) await collect(child, path, out);
  }
}
