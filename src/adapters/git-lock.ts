/**
 * One aiplat at a time does git work in a repository. Two runs at once (two terminals, a script)
 * otherwise race for git's index.lock and push each other's commits. The lock is a file in the
 * repository's common git directory, created exclusively; it names its holder so a waiting run can
 * say what it waits for, and a holder that died (its pid is gone) does not block anyone.
 */
import { randomUUID } from "node:crypto";
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import type { Clock } from "../core/clock.js";
import { formatElapsed } from "../core/clock.js";
import { ExternalError } from "../core/errors.js";

export const LOCK_FILE = "aiplat-git.lock";
export const DEFAULT_LOCK_WAIT_MS = 5 * 60_000;
const POLL_MS = 100;

interface Holder {
  token: string;
  pid: number;
  host: string;
  command: string;
  since: number;
}

export interface LockOptions {
  /** What this run does, shown to a run that waits for it (e.g. "deploy-model gemma-4b"). */
  command: string;
  clock: Clock;
  signal?: AbortSignal | undefined;
  /** Called once when the lock is busy, with what is waited for. */
  onWait?: ((message: string) => void) | undefined;
  waitMs?: number | undefined;
}

function readHolder(file: string): Holder | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Holder;
  } catch {
    return undefined;
  }
}

function alive(holder: Holder): boolean {
  if (holder.host !== hostname()) return true; // a shared file system: cannot tell, assume alive
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function tryCreate(file: string, holder: Holder): boolean {
  let fd: number;
  try {
    fd = openSync(file, "wx", 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  writeSync(fd, JSON.stringify(holder));
  closeSync(fd);
  return true;
}

/** Runs `work` holding the repository's aiplat lock; waits (bounded) while another run holds it. */
export async function withGitLock<T>(
  gitCommonDir: string,
  options: LockOptions,
  work: () => Promise<T>,
): Promise<T> {
  const file = join(gitCommonDir, LOCK_FILE);
  const me: Holder = {
    token: randomUUID(),
    pid: process.pid,
    host: hostname(),
    command: options.command,
    since: options.clock.now(),
  };
  const started = options.clock.now();
  const waitMs = options.waitMs ?? DEFAULT_LOCK_WAIT_MS;
  let announced: string | undefined;
  while (!tryCreate(file, me)) {
    const holder = readHolder(file);
    if (holder && !alive(holder)) {
      // Its process is gone: the lock is stale. Remove it only if it is still that holder's.
      if (readHolder(file)?.token === holder.token) unlinkSync(file);
      continue;
    }
    const who = holder ? `aiplat ${holder.command} (pid ${holder.pid})` : "another aiplat";
    if (announced !== who) {
      announced = who;
      options.onWait?.(`Waiting for ${who} to finish its git work in this repository…`);
    }
    if (options.clock.now() - started >= waitMs) {
      throw new ExternalError(`Gave up after ${formatElapsed(waitMs)}: ${who} still holds ${file}.`, {
        code: "git-lock-busy",
        hint: `Let it finish and run the command again. If no aiplat is running, remove the lock: \`rm ${file}\`.`,
        details: { lock: file, holder },
      });
    }
    await options.clock.sleep(POLL_MS, options.signal);
  }
  try {
    return await work();
  } finally {
    if (readHolder(file)?.token === me.token) unlinkSync(file);
  }
}
