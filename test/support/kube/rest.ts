import type { IncomingMessage, ServerResponse } from "node:http";
import type { DeleteOptions, PropagationPolicy } from "./deletion.js";
import { deleteObject } from "./deletion.js";
import { badRequest, KubeError } from "./errors.js";
import { type EvictOptions, evictPod } from "./eviction.js";
import { parseJson, queryFlag, readBody, sendJson, sendRaw, wantsTable } from "./http-util.js";
import { asVersion, type Entry } from "./object-store.js";
import type { PodLogs } from "./pod-logs.js";
import { decodeProtobufBody } from "./protobuf.js";
import type { ResourceRoute } from "./router.js";
import { listEntries } from "./store.js";
import { toTable } from "./table.js";
import { apiVersionOf, isObject, type ResourceType } from "./types.js";
import { serveWatch, type WatchContext } from "./watch-http.js";
import {
  createObject,
  type PatchType,
  parsePatchBody,
  patchObject,
  replaceObject,
  type WriteOptions,
} from "./writes.js";

/** GET/LIST/WATCH/POST/PUT/PATCH/DELETE on a resource path, generic over every registered type. */
export interface RestContext extends WatchContext {
  logs: PodLogs;
}

const patchTypes: Record<string, PatchType> = {
  "application/merge-patch+json": "merge",
  "application/json-patch+json": "json",
  "application/strategic-merge-patch+json": "strategic",
  "application/apply-patch+yaml": "apply",
};

function entryJson(entry: Entry, type: ResourceType): string {
  if (entry.object.apiVersion === apiVersionOf(type.group, type.version)) {
    entry.json ??= JSON.stringify(entry.object);
    return entry.json;
  }
  return JSON.stringify(asVersion(entry.object, type));
}

/** The field manager of a write: the query parameter, else the user agent's program name. */
function fieldManagerOf(req: IncomingMessage, query: URLSearchParams): string {
  const explicit = query.get("fieldManager");
  if (explicit) return explicit;
  const agent = req.headers["user-agent"] ?? "";
  return agent.split("/")[0]?.trim() || "unknown";
}

function writeOptions(req: IncomingMessage, query: URLSearchParams, route: ResourceRoute): WriteOptions {
  const opts: WriteOptions = {
    fieldManager: fieldManagerOf(req, query),
    dryRun: query.get("dryRun") === "All",
    fieldValidation: query.get("fieldValidation") ?? undefined,
  };
  if (route.subresource === "status") opts.subresource = "status";
  else if (route.subresource)
    throw new KubeError(404, "NotFound", "the server could not find the requested resource");
  return opts;
}

export async function serveResource(
  ctx: RestContext,
  req: IncomingMessage,
  res: ServerResponse,
  route: ResourceRoute,
  query: URLSearchParams,
): Promise<void> {
  const { type, namespace, name } = route;
  const method = req.method ?? "GET";
  const store = ctx.objects;
  if (method === "GET") {
    if (route.subresource === "log" && type.subresources.includes("log")) {
      store.require(type, namespace, name ?? "");
      ctx.logs.serve(req, res, namespace ?? "", name ?? "", query);
      return;
    }
    if (route.subresource === "portforward") throw badRequest("Upgrade request required");
    if (route.subresource && route.subresource !== "status") {
      throw new KubeError(404, "NotFound", "the server could not find the requested resource");
    }
    if (route.watchPrefix || queryFlag(query, "watch")) {
      serveWatch(ctx, req, res, route, query);
      return;
    }
    if (name) {
      const entry = store.require(type, namespace, name);
      if (wantsTable(req)) {
        const obj = asVersion(entry.object, type);
        sendJson(
          res,
          200,
          toTable(
            type,
            [obj],
            { resourceVersion: obj.metadata?.resourceVersion },
            query.get("includeObject"),
          ),
        );
      } else sendRaw(res, 200, entryJson(entry, type));
      return;
    }
    const result = listEntries(store, type, {
      namespace,
      labelSelector: query.get("labelSelector") ?? undefined,
      fieldSelector: query.get("fieldSelector") ?? undefined,
      limit: Number(query.get("limit") ?? 0),
      continue: query.get("continue") ?? undefined,
      resourceVersion: query.get("resourceVersion") ?? undefined,
      resourceVersionMatch: query.get("resourceVersionMatch") ?? undefined,
    });
    const meta: Record<string, unknown> = { resourceVersion: result.resourceVersion };
    if (result.continue) {
      meta.continue = result.continue;
      meta.remainingItemCount = result.remainingItemCount;
    }
    if (wantsTable(req)) {
      const objects = result.entries.map((e) => asVersion(e.object, type));
      sendJson(res, 200, toTable(type, objects, meta, query.get("includeObject")));
      return;
    }
    const head = `{"kind":"${type.listKind}","apiVersion":"${apiVersionOf(type.group, type.version)}","metadata":${JSON.stringify(meta)},"items":[`;
    sendRaw(res, 200, `${head}${result.entries.map((e) => entryJson(e, type)).join(",")}]}`);
    return;
  }
  const contentType = (req.headers["content-type"] ?? "").split(";")[0]?.trim() ?? "";
  const protobuf = contentType === "application/vnd.kubernetes.protobuf" && method === "POST";
  if ((contentType.includes("protobuf") && !protobuf) || contentType.includes("cbor")) {
    throw new KubeError(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (this test server does not decode ${contentType})`,
    );
  }
  const rawBytes = await readBody(req);
  const raw = rawBytes.toString("utf8");
  const body = () => {
    if (protobuf) return decodeProtobufBody(rawBytes);
    return contentType.endsWith("yaml") && method !== "PATCH" ? parsePatchBody(raw, "apply") : parseJson(raw);
  };
  if (method === "POST") {
    if (name) {
      if (route.subresource === "portforward")
        throw badRequest("Upgrade request required: this server forwards ports over WebSocket only");
      if (route.subresource === "eviction" && type.subresources.includes("eviction")) {
        evictPod(store, namespace ?? "", name, evictOptions(body(), query));
        sendJson(res, 201, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 });
        return;
      }
      throw new KubeError(
        405,
        "MethodNotAllowed",
        "the server does not allow this method on the requested resource",
      );
    }
    const created = createObject(store, type, namespace, body(), writeOptions(req, query, route));
    sendJson(res, 201, asVersion(created, type));
    return;
  }
  if (method === "PUT") {
    if (!name)
      throw new KubeError(
        405,
        "MethodNotAllowed",
        "the server does not allow this method on the requested resource",
      );
    const updated = replaceObject(store, type, namespace, name, body(), writeOptions(req, query, route));
    sendJson(res, 200, asVersion(updated, type));
    return;
  }
  if (method === "PATCH") {
    if (!name)
      throw new KubeError(
        405,
        "MethodNotAllowed",
        "the server does not allow this method on the requested resource",
      );
    const patchType = patchTypes[contentType];
    if (!patchType) {
      throw new KubeError(
        415,
        "UnsupportedMediaType",
        `the body of the request was in an unknown format - accepted media types include: ${Object.keys(patchTypes).join(", ")}`,
      );
    }
    const opts = writeOptions(req, query, route);
    if (queryFlag(query, "force")) {
      if (patchType !== "apply") throw badRequest("force must be false for non-apply patch types");
      opts.force = true;
    }
    if (patchType === "apply" && !query.get("fieldManager")) {
      throw badRequest("PATCH requests with an apply patch require a fieldManager");
    }
    const result = patchObject(store, type, namespace, name, parsePatchBody(raw, patchType), patchType, opts);
    sendJson(res, result.created ? 201 : 200, asVersion(result.object, type));
    return;
  }
  if (method === "DELETE") {
    if (!name) {
      const opts = deleteOptions(parseJson(raw), query);
      const { entries } = listEntries(store, type, {
        namespace,
        labelSelector: query.get("labelSelector") ?? undefined,
        fieldSelector: query.get("fieldSelector") ?? undefined,
      });
      const items = entries.map(
        (e) =>
          deleteObject(store, type, e.object.metadata?.namespace, e.object.metadata?.name ?? "", opts).object,
      );
      sendJson(res, 200, {
        kind: type.listKind,
        apiVersion: apiVersionOf(type.group, type.version),
        metadata: { resourceVersion: String(store.resourceVersion) },
        items,
      });
      return;
    }
    const options = parseJson(raw);
    const result = deleteObject(store, type, namespace, name, deleteOptions(options, query));
    // kube-apiserver answers 202 only when the object stays and the client explicitly asked for
    // cascading deletion with orphanDependents=false; a pending finalizer alone is still 200.
    const cascadingAsked =
      query.get("orphanDependents") === "false" || (isObject(options) && options.orphanDependents === false);
    sendJson(res, !result.gone && cascadingAsked ? 202 : 200, asVersion(result.object, type));
    return;
  }
  throw new KubeError(
    405,
    "MethodNotAllowed",
    `the server does not allow this method on the requested resource`,
  );
}

/** The policy/v1 Eviction body: its deleteOptions (uid precondition, grace period, dry run). */
function evictOptions(body: unknown, query: URLSearchParams): EvictOptions {
  const del = isObject(body) && isObject(body.deleteOptions) ? body.deleteOptions : {};
  const pre = isObject(del.preconditions) ? del.preconditions : {};
  return {
    uid: typeof pre.uid === "string" ? pre.uid : undefined,
    gracePeriodSeconds: typeof del.gracePeriodSeconds === "number" ? del.gracePeriodSeconds : undefined,
    dryRun: query.get("dryRun") === "All" || (Array.isArray(del.dryRun) && del.dryRun.includes("All")),
  };
}

function deleteOptions(body: unknown, query: URLSearchParams): DeleteOptions {
  const opts: DeleteOptions = {};
  const b = isObject(body) ? body : {};
  const policy =
    query.get("propagationPolicy") ??
    (typeof b.propagationPolicy === "string" ? b.propagationPolicy : undefined);
  if (policy) {
    if (!["Background", "Foreground", "Orphan"].includes(policy))
      throw badRequest(`propagationPolicy: Unsupported value: "${policy}"`);
    opts.propagationPolicy = policy as PropagationPolicy;
  } else if (b.orphanDependents === true || query.get("orphanDependents") === "true")
    opts.propagationPolicy = "Orphan";
  const pre = isObject(b.preconditions) ? b.preconditions : {};
  if (typeof pre.uid === "string") opts.uid = pre.uid;
  if (typeof pre.resourceVersion === "string") opts.resourceVersion = pre.resourceVersion;
  const grace = query.get("gracePeriodSeconds") ?? b.gracePeriodSeconds;
  if (grace !== undefined && grace !== null && grace !== "") opts.gracePeriodSeconds = Number(grace);
  opts.dryRun = query.get("dryRun") === "All" || (Array.isArray(b.dryRun) && b.dryRun.includes("All"));
  return opts;
}
