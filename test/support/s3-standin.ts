import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

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
 */
export async function startS3Standin(): Promise<{
  endpoint: string;
  objects: Map<string, string>;
  requests: S3Request[];
  close(): Promise<void>;
}> {
  const objects = new Map<string, string>();
  const requests: S3Request[] = [];
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
        objects.set(id, Buffer.concat(chunks).toString("utf8"));
        res.setHeader("etag", `"${objects.size}"`);
        res.end();
        return;
      }
      if (req.method === "DELETE") {
        objects.delete(id);
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
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
