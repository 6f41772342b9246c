import { randomUUID } from "node:crypto";
import { invalid } from "./errors.js";
import { nowTimestamp } from "./json.js";
import { isObject, type KubeObject, type ResourceType } from "./types.js";

/**
 * What the real server fills in or checks on its own: names, uid, timestamps, generation, and the
 * few per-type defaults clients look at (namespace phase, Secret stringData, Service clusterIP,
 * Pod phase).
 */
const subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Kinds whose name must be a DNS-1123 label (no dots, 63 characters). */
const labelNamed = new Set(["Namespace", "Service"]);

/** Built-ins without metadata.generation. */
const withoutGeneration = new Set([
  "ConfigMap",
  "Secret",
  "Namespace",
  "Event",
  "Endpoints",
  "ServiceAccount",
  "Node",
  "Lease",
]);

export function validateName(type: ResourceType, name: string): void {
  const isLabel = !type.custom && labelNamed.has(type.kind);
  const ok = isLabel ? label.test(name) && name.length <= 63 : subdomain.test(name) && name.length <= 253;
  if (!ok) {
    const rule = isLabel
      ? "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
      : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
    throw invalid(type.kind, type.group, name, [
      { field: "metadata.name", message: `Invalid value: "${name}": ${rule}` },
    ]);
  }
}

const suffixAlphabet = "bcdfghjklmnpqrstvwxz2456789";

export function generateName(prefix: string): string {
  let suffix = "";
  for (let i = 0; i < 5; i++) suffix += suffixAlphabet[Math.floor(Math.random() * suffixAlphabet.length)];
  return `${prefix}${suffix}`;
}

export function hasGeneration(type: ResourceType): boolean {
  return type.custom || !(type.group === "" && withoutGeneration.has(type.kind));
}

/** Server-owned metadata of a new object; status reset where a status subresource owns it. */
export function prepareCreate(type: ResourceType, obj: KubeObject): void {
  obj.metadata ??= {};
  const meta = obj.metadata;
  meta.uid = randomUUID();
  meta.creationTimestamp = nowTimestamp();
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  if (hasGeneration(type)) meta.generation = 1;
  else delete meta.generation;
  if (type.statusSubresource) delete obj.status;
  applyTypeDefaults(type, obj);
}

let nextServiceIp = 1;

/** Defaults applied on every write of these kinds (stringData folds into data on update too). */
export function applyTypeDefaults(type: ResourceType, obj: KubeObject): void {
  if (type.group !== "" || type.custom) return;
  const meta = obj.metadata ?? {};
  const spec = isObject(obj.spec) ? obj.spec : undefined;
  switch (type.kind) {
    case "Namespace": {
      meta.labels = { ...(meta.labels ?? {}), "kubernetes.io/metadata.name": meta.name ?? "" };
      obj.spec = { finalizers: ["kubernetes"], ...(spec ?? {}) };
      if (!isObject(obj.status)) obj.status = { phase: "Active" };
      break;
    }
    case "Secret": {
      if (!obj.type) obj.type = "Opaque";
      if (isObject(obj.stringData)) {
        const data = isObject(obj.data) ? { ...obj.data } : {};
        for (const [k, v] of Object.entries(obj.stringData))
          data[k] = Buffer.from(String(v)).toString("base64");
        obj.data = data;
        delete obj.stringData;
      }
      break;
    }
    case "Service": {
      const s: Record<string, unknown> = spec ?? {};
      obj.spec = s;
      s.type ??= "ClusterIP";
      if (s.clusterIP === undefined && s.type !== "ExternalName") {
        const n = nextServiceIp++;
        s.clusterIP = `10.96.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`;
        s.clusterIPs = [s.clusterIP];
      }
      break;
    }
    case "Pod": {
      if (!isObject(obj.status)) obj.status = { phase: "Pending", qosClass: "BestEffort" };
      break;
    }
  }
}

/** Whether a write changes more than metadata and status, which is what bumps metadata.generation. */
export function specChanged(before: KubeObject, after: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = o;
    return JSON.stringify(sortKeys(rest));
  };
  return strip(before) !== strip(after);
}

export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) if (value[k] !== undefined) out[k] = sortKeys(value[k]);
  return out;
}
