#!/usr/bin/env node
// Thin launcher: the compiled CLI decides the exit code; this file only hands it to the process.
// `--help` and `--version` are printed from the user's cache when this exact build printed them
// before (dist/cli/help-cache.js), without loading the CLI at all.
import { helpCacheEntry, readHelpCache, writeHelpCache } from "../dist/cli/help-cache.js";

const argv = process.argv.slice(2);
const entry = helpCacheEntry(argv, process.env, process.stdout.isTTY ? process.stdout.columns : undefined);
const kept = entry === undefined ? undefined : readHelpCache(entry);
if (kept !== undefined) {
  // `aiplat --help | head -1`: a reader that went away is not an error.
  process.stdout.on("error", (error) => {
    if (error.code !== "EPIPE") throw error;
  });
  process.stdout.write(kept);
} else {
  const { main } = await import("../dist/cli/main.js");
  process.exitCode = await main(argv, {
    handleSignals: true,
    ...(entry === undefined ? {} : { keepHelpText: (text) => writeHelpCache(entry, text) }),
  });
}
