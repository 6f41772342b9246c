import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { CommandContext } from "../context.js";
import type { CompletionSources } from "./complete.js";

function baseNames(dir: string, extension: RegExp): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => extension.test(f))
      .map((f) => f.replace(extension, ""));
  } catch {
    return [];
  }
}

/**
 * Names from the working copy. Outside a platform repository there are none, and completion
 * still offers commands and options: a Tab press never prints an error.
 */
export function repositorySources(root: string | undefined): CompletionSources {
  return {
    async catalogNames() {
      if (root === undefined) return [];
      const { readCatalog } = await import("../deploy/platform-files.js");
      try {
        return (await readCatalog(root)).map((m) => m.name);
      } catch {
        return [];
      }
    },
    endpointNames: () =>
      root === undefined ? [] : baseNames(join(root, "platform", "workloads"), /\.ya?ml$/),
    environmentNames: () =>
      root === undefined
        ? []
        : baseNames(join(root, "terraform", "00.global", "vars"), /\.tfvars$/).filter((n) => n !== "example"),
  };
}

/** The --root among the words typed so far, so `aiplat --root ../other deploy-model <Tab>` looks there. */
export function rootFromWords(ctx: CommandContext, words: readonly string[]): string | undefined {
  const index = words.indexOf("--root");
  const inline = words.find((w) => w.startsWith("--root="));
  const explicit = inline?.slice("--root=".length) ?? (index >= 0 ? words[index + 1] : undefined);
  return explicit ?? ctx.globals.root;
}
