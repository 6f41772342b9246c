import { accessSync, chmodSync, constants, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeTempDir } from "./temp.js";

function which(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(":")) {
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
    } catch {
      continue;
    }
    return path;
  }
  return undefined;
}

/**
 * A PATH made of chosen real binaries (symlinked) plus fake scripts, so a test can remove a tool or
 * replace it with one that prints an old version — without touching the machine's own PATH.
 */
export function makeFakePath(options: { real?: string[]; scripts?: Record<string, string> }): string {
  const dir = join(makeTempDir("aiplat-bin-"), "bin");
  mkdirSync(dir);
  for (const name of options.real ?? []) {
    const target = which(name);
    if (target) symlinkSync(target, join(dir, name));
  }
  for (const [name, body] of Object.entries(options.scripts ?? {})) {
    const path = join(dir, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
  }
  return dir;
}
