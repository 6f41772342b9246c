/**
 * API errors as the real server reports them: a `Status` body whose `reason` and `code` clients
 * (kubectl, @kubernetes/client-node) branch on. Messages follow the wording of kube-apiserver so
 * code that matches on them behaves the same against this server.
 */
export type StatusReason =
  | "BadRequest"
  | "Unauthorized"
  | "Forbidden"
  | "NotFound"
  | "AlreadyExists"
  | "Conflict"
  | "Gone"
  | "Expired"
  | "Invalid"
  | "MethodNotAllowed"
  | "UnsupportedMediaType"
  | "NotAcceptable"
  | "TooManyRequests"
  | "Timeout"
  | "InternalError";

export interface StatusCause {
  type?: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface StatusBody {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Failure";
  message: string;
  reason: StatusReason;
  details?: StatusDetails;
  code: number;
}

export class KubeError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = "KubeError";
  }

  toStatus(): StatusBody {
    const body: StatusBody = {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details) body.details = this.details;
    return body;
  }
}

/** `configmaps` or `deployments.apps`: how the real server names a resource in messages. */
export function qualifiedResource(plural: string, group: string): string {
  return group ? `${plural}.${group}` : plural;
}

export const notFound = (plural: string, group: string, name: string, kind?: string): KubeError =>
  new KubeError(404, "NotFound", `${qualifiedResource(plural, group)} "${name}" not found`, {
    name,
    group,
    kind: kind ?? plural,
  });

export const alreadyExists = (plural: string, group: string, name: string): KubeError =>
  new KubeError(409, "AlreadyExists", `${qualifiedResource(plural, group)} "${name}" already exists`, {
    name,
    group,
    kind: plural,
  });

export const conflict = (plural: string, group: string, name: string): KubeError =>
  new KubeError(
    409,
    "Conflict",
    `Operation cannot be fulfilled on ${qualifiedResource(plural, group)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group, kind: plural },
  );

export const badRequest = (message: string): KubeError => new KubeError(400, "BadRequest", message);

/** 422 with one cause per field, like `ConfigMap "x" is invalid: metadata.name: Invalid value: ...`. */
export function invalid(kind: string, group: string, name: string, causes: StatusCause[]): KubeError {
  const summary = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
  const list = summary.length === 1 ? summary[0] : `[${summary.join(", ")}]`;
  return new KubeError(422, "Invalid", `${kind} "${name}" is invalid: ${list}`, {
    name,
    group,
    kind,
    causes: causes.map((c) => ({ type: c.type ?? "FieldValueInvalid", message: c.message, field: c.field })),
  });
}

export const internalError = (message: string): KubeError =>
  new KubeError(500, "InternalError", `Internal error occurred: ${message}`);
