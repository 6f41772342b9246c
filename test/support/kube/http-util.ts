import type { IncomingMessage, ServerResponse } from "node:http";
import { badRequest, KubeError, type StatusBody } from "./errors.js";

/** Small HTTP helpers shared by the request handlers. */
const MAX_BODY = 16 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new KubeError(413, "BadRequest", "request entity too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function parseJson(raw: string): unknown {
  if (raw.trim() === "") return undefined;
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw badRequest(`the body of the request was in an unknown format - ${(error as Error).message}`);
  }
}

export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  sendRaw(res, code, JSON.stringify(body));
}

export function sendRaw(
  res: ServerResponse,
  code: number,
  json: string,
  contentType = "application/json",
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(code, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(json) });
  res.end(json);
}

export function sendError(res: ServerResponse, error: unknown): void {
  const kubeError =
    error instanceof KubeError
      ? error
      : new KubeError(
          500,
          "InternalError",
          `Internal error occurred: ${String((error as Error)?.message ?? error)}`,
        );
  const status: StatusBody = kubeError.toStatus();
  if (kubeError.code === 429 && kubeError.details?.retryAfterSeconds !== undefined) {
    res.setHeader("Retry-After", String(kubeError.details.retryAfterSeconds));
  }
  sendJson(res, kubeError.code, status);
}

/** A query flag set to true the ways Go's strconv.ParseBool and kubectl send it. */
export function queryFlag(query: URLSearchParams, name: string): boolean {
  const v = query.get(name);
  return v === "true" || v === "1" || v === "True" || v === "t";
}

export function wantsTable(req: IncomingMessage): boolean {
  return (req.headers.accept ?? "").includes("as=Table");
}
