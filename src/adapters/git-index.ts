/**
 * The user's index, exactly as it was: aiplat stages one path before it commits, so a commit that
 * fails (a hook refuses, signing fails, another git holds index.lock) must put the index back byte
 * for byte, or the user's next `git commit` would take aiplat's file along.
 */
import {
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";

export interface IndexSnapshot {
  file: string;
  /** undefined: there was no index file (a repository without any staged or committed file). */
  bytes: Buffer | undefined;
}

export function snapshotIndex(file: string): IndexSnapshot {
  return { file, bytes: existsSync(file) ? readFileSync(file) : undefined };
}

/**
 * Writes the snapshot back the way git itself replaces its index: through `<index>.lock`, created
 * exclusively, then renamed over the index. When another git holds that lock (the user runs git at
 * the same moment), nothing is overwritten and false is returned so the caller can say so.
 */
export function restoreIndex(snapshot: IndexSnapshot): boolean {
  const lock = `${snapshot.file}.lock`;
  let fd: number;
  try {
    fd = openSync(lock, "wx", 0o644);
  } catch {
    return false;
  }
  try {
    if (snapshot.bytes === undefined) {
      closeSync(fd);
      unlinkSync(lock);
      if (existsSync(snapshot.file)) unlinkSync(snapshot.file);
      return true;
    }
    writeSync(fd, snapshot.bytes);
    closeSync(fd);
    renameSync(lock, snapshot.file);
    return true;
  } catch {
    if (existsSync(lock)) unlinkSync(lock);
    return false;
  }
}

/** Work-tree files as they were, so a failed `git rm` + commit can put them back. */
export function snapshotFiles(cwd: string, paths: readonly string[]): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const path of paths) {
    const full = join(cwd, path);
    if (existsSync(full)) files.set(full, readFileSync(full));
  }
  return files;
}

export function restoreFiles(files: Map<string, Buffer>): void {
  for (const [full, bytes] of files) if (!existsSync(full)) writeFileSync(full, bytes);
}
