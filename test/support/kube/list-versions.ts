import { badRequest, invalid, KubeError } from "./errors.js";
import type { WatchHub } from "./watch-hub.js";

/**
 * How kube-apiserver treats `resourceVersion`, `resourceVersionMatch` and `continue` on a LIST
 * (https://kubernetes.io/docs/reference/using-api/api-concepts/#the-resourceversion-parameter).
 * This server always answers from the current state, which satisfies "not older than" for any
 * resourceVersion it has issued; what it checks is what a real server refuses:
 * - `resourceVersionMatch=Exact` older than the kept history: 410 Expired (etcd compacted it);
 * - a `continue` token whose list is older than the kept history: 410 Expired;
 * - a resourceVersion newer than the store: 504 "Too large resource version" (the real server
 *   waits ~3 s for its cache first; this store is never behind, so it answers at once);
 * - the ListOptions validation errors (422) and `continue` with a resourceVersion (400).
 * A plain LIST with an old resourceVersion (no match, i.e. NotOlderThan) is served, as on a real
 * server: only watches answer 410 for it.
 */
export interface ListVersionOptions {
  resourceVersion?: string;
  resourceVersionMatch?: string;
  /** The resourceVersion the continue token was issued at. */
  continueRv?: string;
}

const MATCHES = ["Exact", "NotOlderThan"];

const forbidden = (message: string): KubeError =>
  invalid("ListOptions.meta.k8s.io", "meta.k8s.io", "", [
    { field: "resourceVersionMatch", type: "FieldValueForbidden", message: `Forbidden: ${message}` },
  ]);

export function checkListVersion(hub: WatchHub, currentRv: number, opts: ListVersionOptions): void {
  const rv = opts.resourceVersion ?? "";
  const match = opts.resourceVersionMatch ?? "";
  const continuing = opts.continueRv !== undefined;
  if (match) {
    if (!MATCHES.includes(match)) {
      throw invalid("ListOptions.meta.k8s.io", "meta.k8s.io", "", [
        {
          field: "resourceVersionMatch",
          type: "FieldValueNotSupported",
          message: `Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`,
        },
      ]);
    }
    if (!rv) throw forbidden("resourceVersionMatch is forbidden unless resourceVersion is provided");
    if (continuing) throw forbidden("resourceVersionMatch is forbidden when continue is provided");
    if (match === "Exact" && rv === "0")
      throw forbidden('resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
  }
  if (continuing) {
    if (rv && rv !== "0") throw badRequest("specifying resource version is not allowed when using continue");
    const issued = Number(opts.continueRv);
    if (Number.isInteger(issued) && hub.isCompacted(issued)) {
      throw new KubeError(
        410,
        "Expired",
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.",
      );
    }
    return;
  }
  if (!rv || rv === "0") return;
  const n = Number(rv);
  if (!/^\d+$/.test(rv) || !Number.isSafeInteger(n)) throw badRequest(`invalid resource version: ${rv}`);
  if (n > currentRv) {
    throw new KubeError(504, "Timeout", `Too large resource version: ${n}, current: ${currentRv}`, {
      causes: [{ type: "ResourceVersionTooLarge", message: "Too large resource version" }],
      retryAfterSeconds: 1,
    });
  }
  if (match === "Exact" && hub.isCompacted(n)) {
    throw new KubeError(410, "Expired", "The resourceVersion for the provided list is too old.");
  }
}
