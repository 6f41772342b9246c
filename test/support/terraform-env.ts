import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeTempDir } from "./temp.js";

/**
 * Environment for running the real terraform offline: its own empty CLI config (the machine points
 * TF_CLI_CONFIG_FILE at a missing file), no checkpoint calls, automation mode.
 */
export function terraformTestEnv(): Record<string, string> {
  const dir = makeTempDir("aiplat-tf-");
  const config = join(dir, "terraformrc");
  writeFileSync(config, "");
  return {
    TF_CLI_CONFIG_FILE: config,
    CHECKPOINT_DISABLE: "1",
    TF_IN_AUTOMATION: "1",
    TF_PLUGIN_CACHE_DIR: "",
  };
}
