// Writing a fixed file: to a temporary file beside it, then rename over it, so that a crash or a
// full disk leaves either the old file or the new one, never half of each. Mode and owner are
// kept (the tree may be a checkout owned by another user).
import { randomBytes } from 'node:crypto';
import { chown, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const info = await stat(path);
  const temporary = join(dirname(path), `.${basename(path)}.retag-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx', info.mode & 0o7777);
  try {
    await handle.chmod(info.mode & 0o7777); // the umask applied at open
    await handle.writeFile(text, 'utf8');
    await handle.sync();
    await handle.close();
    await chown(temporary, info.uid, info.gid).catch(() => undefined); // only root may; not needed otherwise
    await rename(temporary, path);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw error;
  }
}
