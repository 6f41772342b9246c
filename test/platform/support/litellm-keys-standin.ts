import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local stand-in for the part of the LiteLLM proxy the platform's shell scripts use with
 * virtual keys, following BerriAI/litellm (v1.83):
 *   - proxy/auth/route_checks.py `is_virtual_key_allowed_to_call_route`: a key with allowed_routes
 *     may call only those routes (exact, prefix, or a LiteLLMRoutes member such as
 *     "llm_api_routes"), whatever its role;
 *   - `non_proxy_admin_allowed_routes_check`: a non-admin key reaches LLM API and info routes
 *     (/model/info), management routes only through allowed_routes;
 *   - proxy/management_endpoints/model_management_endpoints.py `can_user_make_model_call`: only a
 *     PROXY_ADMIN adds a model (/model/new), whatever the route checks said;
 *   - /key/generate, /user/new: the master key's; a key value or user id that exists is refused.
 * Unknown keys are 401, refused routes 403; /health/readiness needs no key.
 */
const LLM_API_ROUTES = ["/v1/models", "/models", "/v1/chat/completions", "/chat/completions"];

export interface StoredKey {
  allowedRoutes: string[];
  userId?: string | undefined;
}

export interface LitellmKeysStandin {
  url: string;
  masterKey: string;
  keys: Map<string, StoredKey>;
  users: Map<string, string>;
  models: string[];
  calls: string[];
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function routeAllowed(route: string, allowed: string[]): boolean {
  if (allowed.length === 0) return true;
  return allowed.some(
    (a) =>
      a === route || route.startsWith(`${a}/`) || (a === "llm_api_routes" && LLM_API_ROUTES.includes(route)),
  );
}

export async function startLitellmKeysStandin(masterKey: string): Promise<LitellmKeysStandin> {
  const state = {
    keys: new Map<string, StoredKey>(),
    users: new Map<string, string>(),
    models: [] as string[],
  };
  const calls: string[] = [];
  const server: Server = createServer(async (req, res) => {
    const route = (req.url ?? "/").split("?")[0] ?? "/";
    calls.push(`${req.method} ${route}`);
    const send = (status: number, data: unknown) => {
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(data));
    };
    if (route === "/health/readiness") return send(200, { status: "healthy" });
    // The Ray Serve side the registration Job waits for ($SERVE_URL/models), no key.
    if (route.startsWith("/serve/")) return send(200, { data: [] });
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const isMaster = token === masterKey;
    const key = token && !isMaster ? state.keys.get(token) : undefined;
    if (!isMaster && !key)
      return send(401, { error: "Authentication Error, Invalid proxy server token passed" });
    if (key && !routeAllowed(route, key.allowedRoutes))
      return send(403, {
        error: `Virtual key is not allowed to call this route. Tried to call route: ${route}`,
      });
    const role = isMaster ? "proxy_admin" : key?.userId ? state.users.get(key.userId) : undefined;
    const isLlmRoute = LLM_API_ROUTES.includes(route);
    const isInfoRoute = route === "/model/info";
    // A non-admin key outside LLM/info routes needs the route in allowed_routes (checked above).
    if (role !== "proxy_admin" && !isLlmRoute && !isInfoRoute && (key?.allowedRoutes.length ?? 0) === 0)
      return send(403, {
        error: "Only proxy admin can be used to generate, delete, update info for new keys/users/teams",
      });
    const data = req.method === "POST" ? await body(req) : {};
    switch (route) {
      case "/v1/models":
      case "/models":
        return send(200, { data: state.models.map((id) => ({ id })) });
      case "/model/info":
        return send(200, { data: state.models.map((m) => ({ model_name: m })) });
      case "/model/new":
        if (role !== "proxy_admin")
          return send(403, { error: "User does not have permission to make this model call." });
        state.models.push(String(data.model_name));
        return send(200, { model_name: data.model_name });
      case "/key/generate": {
        if (!isMaster) return send(403, { error: "Only proxy admin can generate keys" });
        const value = String(data.key);
        if (state.keys.has(value)) return send(400, { error: "Key already exists" });
        state.keys.set(value, {
          allowedRoutes: (data.allowed_routes as string[] | undefined) ?? [],
          userId: data.user_id as string | undefined,
        });
        return send(200, { key: value });
      }
      case "/user/new": {
        if (!isMaster) return send(403, { error: "Only proxy admin can create users" });
        const id = String(data.user_id);
        if (state.users.has(id)) return send(400, { error: "User already exists" });
        state.users.set(id, String(data.user_role));
        return send(200, { user_id: id });
      }
      default:
        return send(404, { error: "not found" });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    masterKey,
    keys: state.keys,
    users: state.users,
    models: state.models,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
