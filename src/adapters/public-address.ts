/**
 * The caller's public IPv4 address, for `aiplat init`'s default of who may reach the public
 * Kubernetes API (issue 17 point 9). Asked of AWS's checkip service, which answers with the address
 * and a newline; AIPLAT_CHECKIP_URL points it elsewhere (empty: do not ask). Best effort: a
 * timeout, an error or an answer that is not an address all mean "unknown", never a failure.
 */
const DEFAULT_URL = "https://checkip.amazonaws.com/";
const TIMEOUT_MS = 3000;

export async function findPublicAddress(
  env: Readonly<Record<string, string | undefined>>,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const url = env.AIPLAT_CHECKIP_URL ?? DEFAULT_URL;
  if (url === "") return undefined;
  try {
    const timeout = AbortSignal.timeout(TIMEOUT_MS);
    const response = await fetch(url, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    if (!response.ok) return undefined;
    const text = (await response.text()).trim();
    return isPublicIpv4(text) ? text : undefined;
  } catch {
    return undefined;
  }
}

/** A dotted IPv4 address outside the private, loopback and link-local ranges. */
export function isPublicIpv4(text: string): boolean {
  const parts = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text)?.slice(1).map(Number);
  if (!parts || parts.some((p) => p > 255)) return false;
  const [a, b] = parts as [number, number];
  if (a === 10 || a === 127 || a === 0 || a >= 224) return false;
  if (a === 172 && b >= 16 && b <= 31) return false;
  if (a === 192 && b === 168) return false;
  if (a === 169 && b === 254) return false;
  return true;
}
