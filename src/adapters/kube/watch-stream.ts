import type { ClientRequest, IncomingMessage } from "node:http";
import type { KubeHttp } from "./http.js";

/** Streams one watch; "ended" on a clean end or 410 Gone (re-list), "error" on a broken connection. */
export async function streamWatch(
  http: KubeHttp,
  path: string,
  signal: AbortSignal,
  onEvent: (event: { type: string; object: unknown }) => void,
): Promise<"ended" | "aborted" | "error"> {
  const { url, opts } = await http.requestOptions("GET", path, {});
  const transport = url.protocol === "http:" ? await import("node:http") : await import("node:https");
  return await new Promise((resolve, reject) => {
    let settled = false;
    let req: ClientRequest | undefined;
    const finish = (outcome: "ended" | "aborted" | "error") => {
      if (settled) return;
      settled = true;
      signal.removeEventListener("abort", onAbort);
      resolve(outcome);
    };
    const onAbort = () => {
      req?.destroy();
      finish("aborted");
    };
    if (signal.aborted) return finish("aborted");
    signal.addEventListener("abort", onAbort);
    req = transport.request(opts, (res: IncomingMessage) => {
      if ((res.statusCode ?? 0) >= 400) {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const result = { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") };
          if (result.status === 410) return finish("ended");
          settled = true;
          signal.removeEventListener("abort", onAbort);
          reject(http.apiError("watch", path, result));
        });
        return;
      }
      let buffer = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buffer += chunk;
        let newline = buffer.indexOf("\n");
        while (newline >= 0) {
          const line = buffer.slice(0, newline).trim();
          buffer = buffer.slice(newline + 1);
          newline = buffer.indexOf("\n");
          if (!line) continue;
          let event: { type: string; object: { code?: number } };
          try {
            event = JSON.parse(line) as typeof event;
          } catch {
            continue; // a torn or non-JSON line: the next re-list corrects any gap
          }
          if (event.type === "ERROR") {
            // 410 Gone (resourceVersion too old) and other watch errors: re-list and re-watch.
            req?.destroy();
            return finish("ended");
          }
          onEvent(event);
        }
      });
      res.on("end", () => finish("ended"));
      res.on("error", () => finish(signal.aborted ? "aborted" : "error"));
    });
    req.on("error", () => finish(signal.aborted ? "aborted" : "error"));
    req.end();
  });
}
