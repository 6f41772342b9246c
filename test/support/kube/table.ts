import { isObject, type KubeObject, type PrinterColumn, type ResourceType } from "./types.js";

/**
 * `application/json;as=Table;v=v1;g=meta.k8s.io` answers, which is what `kubectl get` asks for
 * first: Name, the type's columns (a CRD's additionalPrinterColumns) and Age.
 */
export function durationSince(timestamp: string | undefined, now = Date.now()): string {
  if (!timestamp) return "<unknown>";
  const s = Math.max(0, Math.floor((now - Date.parse(timestamp)) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return `${m}m${s % 60 ? `${s % 60}s` : ""}`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

/** `.a.b`, `.a[0].b` and `.status.conditions[?(@.type=="Ready")].status`: what printer columns use. */
export function evalColumnPath(obj: unknown, jsonPath: string): unknown {
  let cur: unknown = obj;
  const path = jsonPath.replace(/^\{|\}$/g, "").replace(/^\$/, "");
  const tokens = path.match(/\.[^.[]+|\[[^\]]*\]/g) ?? [];
  for (const token of tokens) {
    if (cur === undefined || cur === null) return undefined;
    if (token.startsWith(".")) {
      cur = isObject(cur) ? cur[token.slice(1)] : undefined;
      continue;
    }
    const inner = token.slice(1, -1);
    const filter = /^\?\(@\.([\w.]+)\s*==\s*["']([^"']*)["']\)$/.exec(inner);
    if (filter && Array.isArray(cur)) {
      cur = cur.find((item) => String(evalColumnPath(item, `.${filter[1]}`)) === filter[2]);
    } else if (/^\d+$/.test(inner) && Array.isArray(cur)) {
      cur = cur[Number(inner)];
    } else return undefined;
  }
  return cur;
}

function cell(obj: KubeObject, column: PrinterColumn): unknown {
  const value = evalColumnPath(obj, column.jsonPath);
  // Built-in printers count entries (ConfigMap and Secret DATA); CRD columns never use this format.
  if (column.format === "count")
    return Array.isArray(value) ? value.length : isObject(value) ? Object.keys(value).length : 0;
  if (value === undefined || value === null)
    return column.type === "integer" || column.type === "number" ? null : "";
  if (column.type === "date") return durationSince(String(value));
  if (isObject(value) || Array.isArray(value)) return JSON.stringify(value);
  return value;
}

export function tableColumns(type: ResourceType): Record<string, unknown>[] {
  const def = (name: string, colType: string, description: string, priority = 0, format = "") => ({
    name,
    type: colType,
    format,
    description,
    priority,
  });
  return [
    def("Name", "string", "Name must be unique within a namespace.", 0, "name"),
    ...type.columns.map((c) =>
      def(
        c.name,
        c.type === "date" ? "string" : c.type,
        c.description ?? c.jsonPath,
        c.priority ?? 0,
        c.format === "count" ? "" : (c.format ?? ""),
      ),
    ),
    def(
      "Age",
      "string",
      "CreationTimestamp is a timestamp representing the server time when this object was created.",
    ),
  ];
}

function partialMetadata(obj: KubeObject): KubeObject {
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: obj.metadata ?? {} };
}

/** includeObject: None | Metadata (default) | Object, as in the real server. */
export function tableRow(
  type: ResourceType,
  obj: KubeObject,
  includeObject: string | null,
): Record<string, unknown> {
  const cells = [
    obj.metadata?.name ?? "",
    ...type.columns.map((c) => cell(obj, c)),
    durationSince(obj.metadata?.creationTimestamp),
  ];
  const row: Record<string, unknown> = { cells };
  if (includeObject === "Object") row.object = obj;
  else if (includeObject !== "None") row.object = partialMetadata(obj);
  return row;
}

export function toTable(
  type: ResourceType,
  objects: KubeObject[],
  meta: Record<string, unknown>,
  includeObject: string | null,
  withColumns = true,
): Record<string, unknown> {
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: meta,
    ...(withColumns ? { columnDefinitions: tableColumns(type) } : {}),
    rows: objects.map((o) => tableRow(type, o, includeObject)),
  };
}
