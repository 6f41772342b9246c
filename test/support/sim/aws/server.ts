import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type AwsAccount, RequestContext } from "./account.js";
import { EC2_ACTIONS } from "./ec2.js";
import { routeEks } from "./eks.js";
import { ELBV2_ACTIONS } from "./elbv2.js";
import { IAM_ACTIONS, STS_ACTIONS } from "./iam.js";
import { LOGS_ACTIONS } from "./logs.js";
import { AwsError, el, esc, type Params } from "./wire.js";

/**
 * The simulated account's AWS API on a loopback port, in the wire protocols the unmodified AWS SDK
 * v3 clients speak, so aiplat reaches it with the SDK's own `AWS_ENDPOINT_URL` setting: STS, EC2,
 * IAM and ELBv2 over the query protocols (form POST, XML answers), EKS over REST+JSON, CloudWatch
 * Logs over JSON 1.1. The service is read from the SigV4 credential scope, as AWS routes by host.
 * Requests must be signed with an accepted access key id (the signature itself is not checked).
 * An operation the face does not implement answers the real "unknown operation" error of its
 * protocol, so a gap is loud.
 */
export const SIM_ACCESS_KEY_ID = "AKIASIMULATEDACCOUNT";
export const SIM_SECRET_ACCESS_KEY = "simulated/secret/access/key/accepted/by/the/face";

type QueryHandler = (ctx: RequestContext, params: Params) => string;

const QUERY_SERVICES: Record<string, { ns: string; actions: Record<string, QueryHandler>; global: boolean }> =
  {
    sts: { ns: "https://sts.amazonaws.com/doc/2011-06-15/", actions: STS_ACTIONS, global: true },
    iam: { ns: "https://iam.amazonaws.com/doc/2010-05-08/", actions: IAM_ACTIONS, global: true },
    elasticloadbalancing: {
      ns: "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/",
      actions: ELBV2_ACTIONS,
      global: false,
    },
  };
const EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/";

export interface AwsFace {
  url: string;
  /** Every call made, in order (service and operation), for tests that assert what was asked. */
  calls: { service: string; operation: string }[];
  stop(): Promise<void>;
}

export interface AwsFaceOptions {
  /** Access key ids the face accepts (default: SIM_ACCESS_KEY_ID). */
  accessKeyIds?: string[];
  port?: number;
}

type Protocol = "ec2" | "query" | "json" | "rest";

function protocolOf(service: string, req: IncomingMessage): Protocol {
  if (service === "ec2") return "ec2";
  if (service === "eks") return "rest";
  if (service === "logs" || req.headers["x-amz-target"]) return "json";
  return "query";
}

export async function startAwsFace(account: AwsAccount, options: AwsFaceOptions = {}): Promise<AwsFace> {
  const accepted = new Set(options.accessKeyIds ?? [SIM_ACCESS_KEY_ID]);
  const calls: AwsFace["calls"] = [];
  let requestCounter = 0;

  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const requestId = `5e1a0000-0000-4000-8000-${String(++requestCounter).padStart(12, "0")}`;
    const scope = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(
      req.headers.authorization ?? "",
    );
    const service = scope?.[3] ?? guessService(req, body);
    const protocol = protocolOf(service, req);
    const url = new URL(req.url ?? "/", "http://aws.local");
    const params = new URLSearchParams(protocol === "ec2" || protocol === "query" ? body : "");
    const operation =
      protocol === "json"
        ? (String(req.headers["x-amz-target"] ?? "")
            .split(".")
            .pop() ?? "")
        : protocol === "rest"
          ? `${req.method} ${url.pathname}`
          : (params.get("Action") ?? "");
    calls.push({ service, operation });
    try {
      if (!scope)
        throw new AwsError(
          protocol === "json" ? "MissingAuthenticationTokenException" : "MissingAuthenticationToken",
          "Request is missing Authentication Token",
          403,
        );
      if (!accepted.has(scope[1] ?? "")) throw invalidKey(protocol);
      const global = service === "iam" || service === "sts";
      const ctx = new RequestContext(account, scope[2] ?? "", global);
      if (protocol === "rest") {
        const answer = routeEks(ctx, req.method ?? "GET", url.pathname);
        if (!answer) throw new AwsError("UnknownOperationException", "", 404);
        return sendJson(res, answer.status, answer.body, requestId);
      }
      if (protocol === "json") {
        const action = LOGS_ACTIONS[operation];
        if (service !== "logs" || !action) throw new AwsError("UnknownOperationException", "");
        const answer = action(ctx, body ? (JSON.parse(body) as Record<string, unknown>) : {});
        return sendJson(res, answer.status, answer.body, requestId, "application/x-amz-json-1.1");
      }
      if (protocol === "ec2") {
        const action = EC2_ACTIONS[operation];
        if (!action)
          throw new AwsError("InvalidAction", `The action ${operation} is not valid for this web service.`);
        const xml = action(ctx, params);
        return sendXml(
          res,
          200,
          `<${operation}Response xmlns="${EC2_NS}">${el("requestId", requestId)}${xml}</${operation}Response>`,
        );
      }
      const svc = QUERY_SERVICES[service];
      const action = svc?.actions[operation];
      if (!svc || !action)
        throw new AwsError(
          "InvalidAction",
          `Could not find operation ${operation} for version ${params.get("Version") ?? ""}`,
        );
      const xml = action(ctx, params);
      return sendXml(
        res,
        200,
        `<${operation}Response xmlns="${svc.ns}"><${operation}Result>${xml}</${operation}Result><ResponseMetadata>${el("RequestId", requestId)}</ResponseMetadata></${operation}Response>`,
      );
    } catch (error) {
      const e =
        error instanceof AwsError
          ? error
          : new AwsError("InternalFailure", error instanceof Error ? error.message : String(error), 500);
      return sendError(res, protocol, service, e, requestId);
    }
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => handle(req, res, Buffer.concat(chunks).toString("utf8")));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An unsigned request: guess the service the way its shape tells. */
function guessService(req: IncomingMessage, body: string): string {
  if (req.headers["x-amz-target"]) return "logs";
  if ((req.url ?? "").startsWith("/clusters")) return "eks";
  const version = new URLSearchParams(body).get("Version");
  if (version === "2016-11-15") return "ec2";
  if (version === "2010-05-08") return "iam";
  if (version === "2015-12-01") return "elasticloadbalancing";
  return "sts";
}

function invalidKey(protocol: Protocol): AwsError {
  if (protocol === "ec2")
    return new AwsError("AuthFailure", "AWS was not able to validate the provided access credentials", 401);
  if (protocol === "query")
    return new AwsError(
      "InvalidClientTokenId",
      "The security token included in the request is invalid.",
      403,
    );
  return new AwsError(
    "UnrecognizedClientException",
    "The security token included in the request is invalid.",
    protocol === "rest" ? 403 : 400,
  );
}

function sendXml(res: ServerResponse, status: number, xml: string): void {
  res.writeHead(status, { "content-type": "text/xml;charset=UTF-8" });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}`);
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  requestId: string,
  contentType = "application/json",
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": contentType, "x-amzn-requestid": requestId, ...headers });
  res.end(JSON.stringify(body));
}

function sendError(
  res: ServerResponse,
  protocol: Protocol,
  service: string,
  e: AwsError,
  requestId: string,
): void {
  if (protocol === "ec2") {
    sendXml(
      res,
      e.status,
      `<Response><Errors><Error>${el("Code", e.code)}${el("Message", e.message)}</Error></Errors>${el("RequestID", requestId)}</Response>`,
    );
  } else if (protocol === "query") {
    const ns = QUERY_SERVICES[service]?.ns ?? QUERY_SERVICES.sts?.ns ?? "";
    const type = e.status >= 500 ? "Receiver" : "Sender";
    sendXml(
      res,
      e.status,
      `<ErrorResponse xmlns="${esc(ns)}"><Error>${el("Type", type)}${el("Code", e.code)}${el("Message", e.message)}</Error>${el("RequestId", requestId)}</ErrorResponse>`,
    );
  } else if (protocol === "json") {
    sendJson(res, e.status, { __type: e.code, message: e.message }, requestId, "application/x-amz-json-1.1");
  } else {
    sendJson(res, e.status, { message: e.message }, requestId, "application/json", {
      "x-amzn-errortype": e.code,
    });
  }
}
