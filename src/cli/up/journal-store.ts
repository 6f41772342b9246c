import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { emptyJournal, parseJournal, type UpJournal } from "../../core/stages/journal.js";

export async function loadJournal(path: string, env: string): Promise<UpJournal> {
  try {
    return parseJournal(env, JSON.parse(await readFile(path, "utf8")));
  } catch {
    return emptyJournal(env);
  }
}

/** Written to a temp file and renamed, so a crash never leaves half a journal. */
export async function saveJournal(path: string, journal: UpJournal): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp`;
  await writeFile(tmp, `${JSON.stringify(journal, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, path);
}
