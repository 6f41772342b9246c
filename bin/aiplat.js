#!/usr/bin/env node
// Thin launcher: the compiled CLI decides the exit code; this file only hands it to the process.
import { main } from "../dist/cli/main.js";

process.exitCode = await main(process.argv.slice(2), { handleSignals: true });
