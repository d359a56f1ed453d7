// Extracts a .zip archive into a folder, entry by entry (streamed: never whole in memory).
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';

/** Returns how many files were extracted. Entries that would land outside `dir` are refused. */
export async function extractZip(archive: string, dir: string): Promise<number> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(archive, { lazyEntries: true, autoClose: true }, (err, z) => (err ? reject(err) : resolve(z))),
  );
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const root = path.resolve(dir);
  let count = 0;
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      const target = path.resolve(root, entry.fileName);
      if (entry.fileName.endsWith('/') || !target.startsWith(root + path.sep)) {
        zip.readEntry();
        return;
      }
      zip.openReadStream(entry, (err, stream) => {
        if (err) return reject(err);
        fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
        pipeline(stream, fs.createWriteStream(target, { mode: 0o600 }))
          .then(() => {
            count++;
            zip.readEntry();
          })
          .catch(reject);
      });
    });
    zip.readEntry();
  });
  return count;
}
