import { KubeError } from "./errors.js";
import type { KubeObject } from "./types.js";

/**
 * Just enough of the Kubernetes protobuf encoding to accept what `kubectl create namespace |
 * configmap | secret` send (kubectl's typed clients post protobuf for built-ins): the `k8s\0`
 * envelope (runtime.Unknown) around Namespace, ConfigMap or Secret with their ObjectMeta name,
 * generateName, namespace, labels, annotations and finalizers. Anything else is a 415 naming the
 * JSON alternative. Field numbers: k8s.io/api generated.proto and apimachinery meta/v1.
 */
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

type Field = { no: number; wire: number; value: bigint | Buffer };

function readVarint(buf: Buffer, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    const byte = buf[pos++];
    if (byte === undefined) throw new Error("truncated varint");
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [result, pos];
    shift += 7n;
  }
}

function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [key, next] = readVarint(buf, pos);
    pos = next;
    const no = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (wire === 0) {
      const [v, p] = readVarint(buf, pos);
      out.push({ no, wire, value: v });
      pos = p;
    } else if (wire === 2) {
      const [len, p] = readVarint(buf, pos);
      const end = p + Number(len);
      out.push({ no, wire, value: buf.subarray(p, end) });
      pos = end;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
  return out;
}

const bytes = (f: Field): Buffer => (Buffer.isBuffer(f.value) ? f.value : Buffer.alloc(0));
const str = (f: Field): string => bytes(f).toString("utf8");

function mapOf(entries: Field[], asBase64 = false): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of entries) {
    const kv = fields(bytes(e));
    const k = kv.find((f) => f.no === 1);
    const v = kv.find((f) => f.no === 2);
    out[k ? str(k) : ""] = v ? (asBase64 ? bytes(v).toString("base64") : str(v)) : "";
  }
  return out;
}

function objectMeta(buf: Buffer): Record<string, unknown> {
  const fs = fields(buf);
  const meta: Record<string, unknown> = {};
  const one = (no: number) => fs.find((f) => f.no === no);
  const many = (no: number) => fs.filter((f) => f.no === no);
  // Go's protobuf writes empty strings too; an empty field means unset.
  const text = (no: number) => {
    const f = one(no);
    return f ? str(f) || undefined : undefined;
  };
  if (text(1)) meta.name = text(1);
  if (text(2)) meta.generateName = text(2);
  if (text(3)) meta.namespace = text(3);
  if (many(11).length > 0) meta.labels = mapOf(many(11));
  if (many(12).length > 0) meta.annotations = mapOf(many(12));
  if (many(14).length > 0) meta.finalizers = many(14).map(str);
  return meta;
}

function decodeObject(kind: string, raw: Buffer): KubeObject {
  const fs = fields(raw);
  const meta = fs.find((f) => f.no === 1);
  const obj: KubeObject = { metadata: meta ? objectMeta(bytes(meta)) : {} };
  const many = (no: number) => fs.filter((f) => f.no === no);
  switch (kind) {
    case "Namespace":
      return obj;
    case "ConfigMap":
      if (many(2).length > 0) obj.data = mapOf(many(2));
      if (many(3).length > 0) obj.binaryData = mapOf(many(3), true);
      return obj;
    case "Secret": {
      if (many(2).length > 0) obj.data = mapOf(many(2), true);
      const type = fs.find((f) => f.no === 3);
      if (type && str(type)) obj.type = str(type);
      if (many(4).length > 0) obj.stringData = mapOf(many(4));
      return obj;
    }
    default:
      throw new KubeError(
        415,
        "UnsupportedMediaType",
        `this test server decodes protobuf only for Namespace, ConfigMap and Secret (got ${kind}); send JSON or YAML, e.g. kubectl apply -f`,
      );
  }
}

export function decodeProtobufBody(body: Buffer): KubeObject {
  if (!body.subarray(0, 4).equals(MAGIC))
    throw new KubeError(415, "UnsupportedMediaType", "protobuf body without the k8s envelope");
  try {
    const unknown = fields(body.subarray(4));
    const typeMeta = fields(
      bytes(unknown.find((f) => f.no === 1) ?? { no: 1, wire: 2, value: Buffer.alloc(0) }),
    );
    const apiVersion = str(typeMeta.find((f) => f.no === 1) ?? { no: 1, wire: 2, value: Buffer.alloc(0) });
    const kind = str(typeMeta.find((f) => f.no === 2) ?? { no: 2, wire: 2, value: Buffer.alloc(0) });
    const raw = bytes(unknown.find((f) => f.no === 2) ?? { no: 2, wire: 2, value: Buffer.alloc(0) });
    return { apiVersion, kind, ...decodeObject(kind, raw) };
  } catch (error) {
    if (error instanceof KubeError) throw error;
    throw new KubeError(
      400,
      "BadRequest",
      `the body of the request was in an unknown format: ${(error as Error).message}`,
    );
  }
}
