import { Chalk } from "chalk";
import type { Style } from "./io-host.js";

/** Colour only on a TTY, and never when NO_COLOR is set (https://no-color.org). */
export function shouldUseColour(isTTY: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR === "0") return false;
  return isTTY;
}

export function createStyle(colour: boolean): Style {
  const chalk = new Chalk({ level: colour ? 1 : 0 });
  return {
    ok: (t) => chalk.green(t),
    warn: (t) => chalk.yellow(t),
    fail: (t) => chalk.red(t),
    dim: (t) => chalk.dim(t),
    bold: (t) => chalk.bold(t),
  };
}
