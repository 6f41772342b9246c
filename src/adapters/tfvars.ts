import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError } from "../core/errors.js";
import { parseLiteralTfvars } from "./tfvars-literal.js";

/** terraform/00.global/vars/<env>.tfvars: the one configuration file of an environment. */
export function tfvarsPath(root: string, env: string): string {
  return join(root, "terraform", "00.global", "vars", `${env}.tfvars`);
}

/** Parses a tfvars file into plain data; undefined when the file does not exist. */
export async function readTfvars(path: string): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new ConfigError(`Cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  return parseTfvarsText(path, text);
}

export async function parseTfvarsText(path: string, text: string): Promise<Record<string, unknown>> {
  // Plain data (what init writes) needs no HCL engine; hcl2json's WASM start-up costs ~0.5 s of CPU.
  const literal = parseLiteralTfvars(text);
  if (literal) return literal;
  const { parse } = await import("@cdktf/hcl2json");
  try {
    return (await parse(path, text)) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(`${path} is not valid HCL: ${(error as Error).message}`, {
      code: "bad-tfvars",
      hint: "Fix the file, or re-create it with `aiplat init`.",
      cause: error,
    });
  }
}
