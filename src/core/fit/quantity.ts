/**
 * Kubernetes quantities as the InferenceEndpoint accepts them (the RGD's patterns): memory
 * `^[0-9]+([.][0-9]+)?([kMGTPE]|[KMGTPE]i)?$`, CPU `^[0-9]+([.][0-9]+)?m?$`. Decimal suffixes
 * are k M G T P E (lower-case k only), binary ones Ki Mi Gi Ti Pi Ei (upper-case K only).
 * https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
 */
export const MEMORY_PATTERN = /^[0-9]+([.][0-9]+)?([kMGTPE]|[KMGTPE]i)?$/;
export const CPU_PATTERN = /^[0-9]+([.][0-9]+)?m?$/;

const DECIMAL: Record<string, number> = { k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** Bytes of a memory quantity, NaN when it does not match MEMORY_PATTERN. */
export function parseMemoryBytes(text: string): number {
  const match = MEMORY_PATTERN.exec(text);
  if (!match) return Number.NaN;
  const suffix = match[2] ?? "";
  const value = Number(text.slice(0, text.length - suffix.length));
  if (suffix === "") return value;
  return value * (BINARY[suffix] ?? DECIMAL[suffix] ?? Number.NaN);
}

export function parseMemoryGiB(text: string): number {
  return parseMemoryBytes(text) / 2 ** 30;
}

/** Cores of a CPU quantity ("4" → 4, "500m" → 0.5), NaN when it does not match CPU_PATTERN. */
export function parseCpu(text: string): number {
  if (!CPU_PATTERN.test(text)) return Number.NaN;
  return text.endsWith("m") ? Number(text.slice(0, -1)) / 1000 : Number(text);
}
