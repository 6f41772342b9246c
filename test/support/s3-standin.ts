import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ObjectVersion {
  bucket: string;
  key: string;
  versionId: string;
  body?: string;
  deleteMarker?: boolean;
}

/** aws-chunked: `<hex size>[;chunk-signature=…]\r\n<data>\r\n` … `0\r\n` then trailers. */
function decodeAwsChunked(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = raw.indexOf("\r\n", at);
    if (eol < 0) break;
    const size = Number.parseInt(raw.subarray(at, eol).toString("latin1").split(";")[0] ?? "", 16);
    if (!(size > 0)) break;
    parts.push(raw.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

export interface S3Request {
  method: string;
  bucket: string;
  key: string;
  /** The SigV4 credential scope's region (Authorization: … Credential=<id>/<date>/<region>/s3/…). */
  region: string | undefined;
  ifNoneMatch: string | undefined;
}

/**
 * An in-memory S3 for terraform's s3 backend, path-style (http://127.0.0.1:<port>/<bucket>/<key>):
 * ListObjectsV2 (workspaces), HEAD/GET/PUT/DELETE objects, and PutObject with If-None-Match: *
 * answering 412 when the object exists, which is how use_lockfile takes its lock (S3 conditional
 * writes). It records every request with the region the request was signed for.
 *
 * Buckets, for what `aiplat up` and `aiplat destroy` do to the state bucket through the SDK:
 * HeadBucket (404 for one never made), CreateBucket, Put/GetBucketVersioning, PutBucketEncryption,
 * PutPublicAccessBlock, and versioning as S3 keeps it — every PUT adds a version, a DELETE without
 * versionId adds a delete marker (S3 user guide, "Deleting object versions") — ListObjectVersions,
 * DeleteObjects by version, and DeleteBucket refused with 409 BucketNotEmpty while any version or
 * delete marker is left (S3 API reference, DeleteBucket). Bodies sent with aws-chunked encoding
 * (SDK trailing checksums) are stored decoded.
 */
export async function startS3Standin(): Promise<{
  endpoint: string;
  objects: Map<string, string>;
  /** Buckets made with CreateBucket (objects may be written to any bucket name). */
  buckets: Set<string>;
  /** Every object version and delete marker, oldest first, as ListObjectVersions lists them. */
  versions: ObjectVersion[];
  requests: S3Request[];
  close(): Promise<void>;
}> {
  const objects = new Map<string, string>();
  const requests: S3Request[] = [];
  const buckets = new Set<string>();
  const versions: ObjectVersion[] = [];
  let versionCount = 0;
  /** Requests on the bucket itself (no key); false when it is not one this stand-in answers. */
  const bucketRequest = (method: string, bucket: string, url: URL, body: string, res: ServerResponse) => {
    const q = url.searchParams;
    const error = (status: number, code: string) => {
      res.statusCode = status;
      res.end(
        method === "HEAD" ? undefined : `<Error><Code>${code}</Code><Message>${code}</Message></Error>`,
      );
      return true;
    };
    if (method === "HEAD") {
      if (!buckets.has(bucket)) return error(404, "NotFound");
      res.end();
      return true;
    }
    if (method === "PUT") {
      if (!q.has("versioning") && !q.has("encryption") && !q.has("publicAccessBlock")) buckets.add(bucket);
      res.end();
      return true;
    }
    if (!buckets.has(bucket) && (method === "DELETE" || q.has("versions") || q.has("versioning")))
      return error(404, "NoSuchBucket");
    if (method === "GET" && q.has("versioning")) {
      res.end(
        '<?xml version="1.0" encoding="UTF-8"?><VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>',
      );
      return true;
    }
    if (method === "GET" && q.has("versions")) {
      const mine = versions.filter((v) => v.bucket === bucket);
      const latest = new Map(mine.map((v) => [v.key, v.versionId]));
      const entries = mine.map((v) => {
        const common = `<Key>${v.key}</Key><VersionId>${v.versionId}</VersionId><IsLatest>${latest.get(v.key) === v.versionId}</IsLatest><LastModified>2026-01-01T00:00:00.000Z</LastModified>`;
        return v.deleteMarker
          ? `<DeleteMarker>${common}</DeleteMarker>`
          : `<Version>${common}<Size>${v.body?.length ?? 0}</Size></Version>`;
      });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><ListVersionsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${bucket}</Name><IsTruncated>false</IsTruncated>${entries.join("")}</ListVersionsResult>`,
      );
      return true;
    }
    if (method === "POST" && q.has("delete")) {
      const deleted: string[] = [];
      for (const m of body.matchAll(
        /<Object>\s*<Key>([^<]*)<\/Key>\s*(?:<VersionId>([^<]*)<\/VersionId>)?/g,
      )) {
        const [, k, versionId] = m;
        const index = versions.findIndex(
          (v) => v.bucket === bucket && v.key === k && v.versionId === versionId,
        );
        if (index >= 0) versions.splice(index, 1);
        const left = versions.filter((v) => v.bucket === bucket && v.key === k).at(-1);
        if (left && !left.deleteMarker) objects.set(`${bucket}/${k}`, left.body ?? "");
        else objects.delete(`${bucket}/${k}`);
        deleted.push(`<Deleted><Key>${k}</Key><VersionId>${versionId ?? ""}</VersionId></Deleted>`);
      }
      res.end(`<?xml version="1.0" encoding="UTF-8"?><DeleteResult>${deleted.join("")}</DeleteResult>`);
      return true;
    }
    if (method === "DELETE") {
      if (versions.some((v) => v.bucket === bucket)) return error(409, "BucketNotEmpty");
      buckets.delete(bucket);
      res.statusCode = 204;
      res.end();
      return true;
    }
    return false;
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://s3.local");
    const [bucket = "", ...rest] = url.pathname.slice(1).split("/");
    const key = decodeURIComponent(rest.join("/"));
    const region = /Credential=[^/]+\/\d{8}\/([^/]+)\/s3\//.exec(req.headers.authorization ?? "")?.[1];
    const ifNoneMatch = req.headers["if-none-match"] as string | undefined;
    requests.push({ method: req.method ?? "", bucket, key, region, ifNoneMatch });
    const id = `${bucket}/${key}`;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      res.setHeader("content-type", "application/xml");
      if (
        key === "" &&
        bucketRequest(req.method ?? "", bucket, url, Buffer.concat(chunks).toString("utf8"), res)
      )
        return;
      if (req.method === "GET" && url.searchParams.get("list-type") === "2") {
        const prefix = url.searchParams.get("prefix") ?? "";
        const keys = [...objects.keys()]
          .filter((k) => k.startsWith(`${bucket}/${prefix}`))
          .map((k) => k.slice(bucket.length + 1));
        const contents = keys.map((k) => `<Contents><Key>${k}</Key><Size>1</Size></Contents>`).join("");
        res.end(
          `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${bucket}</Name><Prefix>${prefix}</Prefix><KeyCount>${keys.length}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${contents}</ListBucketResult>`,
        );
        return;
      }
      if (req.method === "PUT") {
        if (ifNoneMatch === "*" && objects.has(id)) {
          res.statusCode = 412;
          res.end("<Error><Code>PreconditionFailed</Code><Message>exists</Message></Error>");
          return;
        }
        const raw = Buffer.concat(chunks);
        const chunked =
          String(req.headers["content-encoding"] ?? "").includes("aws-chunked") ||
          String(req.headers["x-amz-content-sha256"] ?? "").startsWith("STREAMING-");
        const body = (chunked ? decodeAwsChunked(raw) : raw).toString("utf8");
        objects.set(id, body);
        versions.push({ bucket, key, versionId: `v${++versionCount}`, body });
        res.setHeader("etag", `"${objects.size}"`);
        res.end();
        return;
      }
      if (req.method === "DELETE") {
        objects.delete(id);
        if (buckets.has(bucket))
          versions.push({ bucket, key, versionId: `v${++versionCount}`, deleteMarker: true });
        res.statusCode = 204;
        res.end();
        return;
      }
      const body = objects.get(id);
      if (body === undefined) {
        res.statusCode = 404;
        res.end(
          req.method === "HEAD" ? undefined : "<Error><Code>NoSuchKey</Code><Message>none</Message></Error>",
        );
        return;
      }
      res.setHeader("content-type", "application/octet-stream");
      res.setHeader("content-length", Buffer.byteLength(body));
      res.end(req.method === "HEAD" ? undefined : body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    objects,
    buckets,
    versions,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
