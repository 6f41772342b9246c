/**
 * `aiplat --help` without loading the CLI: the help and version texts are pure functions of the
 * installed code, the arguments and the terminal width, so the real binary keeps each one it has
 * printed in the user's cache directory and prints it from there next time. Loading commander
 * and the command modules is most of `--help`'s start-up cost (bench/RESULTS.md, "startup").
 *
 * The key is the package version, the size and mtime of the compiled shell files,
 * the arguments and the width; any rebuild or upgrade changes it, so a stale text is never
 * served. This module imports only node:fs, node:os and node:path (no commander, no hashing lib).
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const HELP_FLAGS = new Set(["--help", "-h"]);
const VERSION_FLAGS = new Set(["--version", "-V"]);

/** Only argv that print help or the version and nothing else: `--help`, `<command> --help`, `--version`. */
export function isHelpOnly(argv: readonly string[]): boolean {
  if (argv.length === 1) return HELP_FLAGS.has(argv[0]!) || VERSION_FLAGS.has(argv[0]!);
  if (argv.length === 2) return /^[a-z][a-z-]*$/.test(argv[0]!) && HELP_FLAGS.has(argv[1]!);
  return false;
}

/** 32-bit FNV-1a, twice with different seeds: a file name, not a security boundary. */
function fnv(text: string, seed: number): string {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

/**
 * `tsc` rewrites every output file on each build, so the mtimes of a few files that make up the
 * help (the shell, the command list, init's flag table) change with any rebuild; size catches a
 * copy that kept mtimes. Stat-ing all 80-odd files instead measurably slowed --help under load.
 */
const SIGNATURE_FILES = ["main.js", "program.js", "commands/index.js", "init/options.js"];

function codeSignature(): string {
  const parts: string[] = [];
  for (const name of SIGNATURE_FILES) {
    const s = statSync(fileURLToPath(new URL(name, import.meta.url)));
    parts.push(`${name}:${s.size}:${s.mtimeMs}`);
  }
  parts.push(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
  return parts.join("|");
}

export interface HelpCacheEntry {
  file: string;
  key: string;
}

/**
 * Where this argv's text is (or would be) kept; undefined when there is no usable cache
 * directory. `env` and `columns` are the process's (the width decides commander's wrapping).
 */
export function helpCacheEntry(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  columns: number | undefined,
): HelpCacheEntry | undefined {
  if (!isHelpOnly(argv)) return undefined;
  const home = env.HOME || homedir();
  const base = env.XDG_CACHE_HOME || (home ? join(home, ".cache") : "");
  if (base === "") return undefined;
  try {
    const key = `${codeSignature()}\n${argv.join(" ")}\n${columns ?? 0}`;
    return { file: join(base, "aiplat", "help", `${fnv(key, 0x811c9dc5)}${fnv(key, 0x1000193)}.txt`), key };
  } catch {
    return undefined;
  }
}

/** The kept text, or undefined on a miss (or a file whose first line is not this exact key). */
export function readHelpCache(entry: HelpCacheEntry): string | undefined {
  try {
    const text = readFileSync(entry.file, "utf8");
    const header = `${entry.key}\n\0\n`;
    return text.startsWith(header) ? text.slice(header.length) : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps the text; a read-only or full disk only means the next --help is not faster. */
export function writeHelpCache(entry: HelpCacheEntry, text: string): void {
  try {
    mkdirSync(join(entry.file, ".."), { recursive: true });
    const temp = `${entry.file}.${process.pid}.tmp`;
    writeFileSync(temp, `${entry.key}\n\0\n${text}`);
    renameSync(temp, entry.file); // atomic: a concurrent --help never reads half a file
  } catch {
    // not cached; nothing else changes
  }
}
