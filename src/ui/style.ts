import type { Style } from "./io-host.js";

/** Colour only on a TTY, and never when NO_COLOR is set (https://no-color.org). */
export function shouldUseColour(isTTY: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR === "0") return false;
  return isTTY;
}

// Five SGR codes are all aiplat needs; a colour library would cost start-up time on every run.
const sgr = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

export function createStyle(colour: boolean): Style {
  if (!colour) {
    const plain = (text: string) => text;
    return { ok: plain, warn: plain, fail: plain, dim: plain, bold: plain };
  }
  return { ok: sgr(32, 39), warn: sgr(33, 39), fail: sgr(31, 39), dim: sgr(2, 22), bold: sgr(1, 22) };
}
