// DATA_DIR/admin.json: how `npm run admin` reaches the running server on this machine (its URL and this
// run's local admin key). Readable only by the owner, like the database folder beside it.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface AdminFile {
  pid: number;
  url: string;
  key: string;
}

export const adminFilePath = (dataDir: string) => path.join(dataDir, 'admin.json');

export function writeAdminFile(dataDir: string, content: AdminFile): string {
  const file = adminFilePath(dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  // Written whole under a private name, then renamed into place: a reader never sees half a file.
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(content) + '\n', { mode: 0o600 });
  fs.renameSync(tmp, file);
  return file;
}

/** Removes the file if it is still this run's (another server may have started on the folder since). */
export function removeAdminFile(file: string, key: string) {
  try {
    if ((JSON.parse(fs.readFileSync(file, 'utf8')) as AdminFile).key === key) fs.rmSync(file, { force: true });
  } catch {
    /* gone or unreadable */
  }
}

export function readAdminFile(dataDir: string): AdminFile | null {
  try {
    const f = JSON.parse(fs.readFileSync(adminFilePath(dataDir), 'utf8')) as AdminFile;
    return typeof f.url === 'string' && typeof f.key === 'string' && typeof f.pid === 'number' ? f : null;
  } catch {
    return null;
  }
}
