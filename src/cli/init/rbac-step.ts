/**
 * Who gets ArgoCD's ADMIN, EDITOR and VIEWER roles: picked by name (user name, display name,
 * e-mail, group:<name>), shown with display name and e-mail, written as identity-store ids. When
 * the directory cannot be read, ids are typed instead and checked by format.
 */
import {
  type DirectoryEntry,
  type IdentityCenter,
  IdentityCenterUnavailable,
} from "../../adapters/aws/identity-center.js";
import type { ArgoRole, RbacIdentity } from "../../core/init/answers.js";
import { ARGOCD_ROLES, emptyRbac } from "../../core/init/answers.js";
import { type IdentityRef, parseIdentityRef, ROLE_FLAGS } from "../../core/init/raw-input.js";
import { isIdentityId } from "../../core/init/validate.js";
import type { IoHost } from "../../ui/io-host.js";
import type { FieldResolver } from "./resolver.js";

export function describeEntry(e: DirectoryEntry): string {
  const kind = e.type === "SSO_GROUP" ? "group" : "user";
  const label = [
    e.displayName && e.displayName !== e.name ? e.displayName : undefined,
    e.email ? `<${e.email}>` : undefined,
  ]
    .filter(Boolean)
    .join(" ");
  return `${label ? `${label} ` : ""}(${kind} ${e.name}, ${e.id})`;
}

/** Looks one reference up; `undefined` with a problem recorded when it cannot be resolved. */
export async function resolveRef(
  r: FieldResolver,
  io: IoHost,
  flag: string,
  ref: IdentityRef,
  lookup: { center: IdentityCenter; identityStoreId: string } | undefined,
  unavailable: string | undefined,
): Promise<DirectoryEntry | RbacIdentity | undefined> {
  const type = ref.kind === "group" ? "SSO_GROUP" : "SSO_USER";
  const shown = ref.kind === "group" ? `group:${ref.value}` : ref.value;
  if (!lookup) {
    if (ref.isId) return { id: ref.value, type };
    r.reject(
      flag,
      shown,
      `cannot look a name up (${unavailable ?? "no Identity Center instance"}); pass the ${ref.kind} id instead`,
    );
    return undefined;
  }
  try {
    if (ref.isId) {
      const entry = await lookup.center.describe(lookup.identityStoreId, ref.value, type);
      if (!entry)
        r.reject(flag, shown, `no ${ref.kind} with this id in identity store ${lookup.identityStoreId}`);
      return entry;
    }
    const matches =
      ref.kind === "group"
        ? await lookup.center.findGroups(lookup.identityStoreId, ref.value)
        : await lookup.center.findUsers(lookup.identityStoreId, ref.value);
    if (matches.length === 1) return matches[0];
    if (matches.length === 0) {
      r.reject(flag, shown, `no ${ref.kind} of that name in identity store ${lookup.identityStoreId}`);
      return undefined;
    }
    if (r.interactive) {
      return io.prompt.select({
        flag,
        message: `${matches.length} ${ref.kind}s match ${JSON.stringify(ref.value)}; which one?`,
        choices: matches.map((m) => ({ name: describeEntry(m), value: m })),
      });
    }
    r.reject(
      flag,
      shown,
      `matches ${matches.length} ${ref.kind}s: ${matches.map(describeEntry).join("; ")}; pass the id`,
    );
    return undefined;
  } catch (error) {
    if (error instanceof IdentityCenterUnavailable) {
      if (ref.isId) return { id: ref.value, type };
      r.reject(flag, shown, `cannot look a name up (${error.message}); pass the ${ref.kind} id instead`);
      return undefined;
    }
    throw error;
  }
}

export interface RbacInput {
  given: Record<ArgoRole, string[] | undefined>;
  prefill?: Record<ArgoRole, RbacIdentity[]> | undefined;
  lookup?: { center: IdentityCenter; identityStoreId: string } | undefined;
  unavailable?: string | undefined;
}

/** The argocd_rbac_mappings: given refs, else the pre-filled mappings, else asked per role. */
export async function resolveRbac(
  r: FieldResolver,
  io: IoHost,
  input: RbacInput,
): Promise<{ rbac: Record<ArgoRole, RbacIdentity[]>; people: DirectoryEntry[] }> {
  const rbac = emptyRbac();
  const people: DirectoryEntry[] = [];
  const anyGiven = ARGOCD_ROLES.some((role) => (input.given[role]?.length ?? 0) > 0);
  const prefilled = input.prefill && ARGOCD_ROLES.some((role) => input.prefill![role].length > 0);
  const add = (role: ArgoRole, entry: DirectoryEntry | RbacIdentity) => {
    if (!rbac[role].some((i) => i.id === entry.id && i.type === entry.type)) {
      rbac[role].push({ id: entry.id, type: entry.type });
    }
    if ("name" in entry && !people.some((p) => p.id === entry.id)) people.push(entry);
  };

  if (!anyGiven && !r.interactive && prefilled) {
    // A re-run without a TTY keeps the written ids as they are: no lookups, nothing to ask.
    for (const role of ARGOCD_ROLES) {
      for (const identity of input.prefill![role]) if (isIdentityId(identity.id)) add(role, identity);
    }
    if (rbac.ADMIN.length === 0) r.markMissing("--argocd-admin");
    return { rbac, people };
  }
  if (anyGiven) {
    for (const role of ARGOCD_ROLES) {
      for (const text of input.given[role] ?? []) {
        const ref = parseIdentityRef(text);
        if (typeof ref === "string") {
          r.reject(ROLE_FLAGS[role], text, ref);
          continue;
        }
        const entry = await resolveRef(r, io, ROLE_FLAGS[role], ref, input.lookup, input.unavailable);
        if (entry) add(role, entry);
      }
    }
    if (rbac.ADMIN.length === 0 && !r.problems.some((p) => p.startsWith("--argocd-admin")))
      r.markMissing("--argocd-admin");
    return { rbac, people };
  }
  if (!r.interactive) {
    r.markMissing("--argocd-admin");
    return { rbac, people };
  }
  if (!input.lookup)
    io.warn(
      `Users and groups cannot be looked up by name (${input.unavailable ?? "no instance"}): type their ids.`,
    );
  for (const role of ARGOCD_ROLES) {
    const current = input.prefill?.[role] ?? [];
    const defaultText = current.map((i) => (i.type === "SSO_GROUP" ? `group:${i.id}` : i.id)).join(", ");
    for (;;) {
      const answer = await io.prompt.input({
        flag: ROLE_FLAGS[role],
        message: input.lookup
          ? `ArgoCD ${role}: user names, display names or e-mails, group:<name> for groups (comma-separated${role === "ADMIN" ? "" : ", empty for nobody"})`
          : `ArgoCD ${role}: user ids, group:<id> for groups (comma-separated${role === "ADMIN" ? "" : ", empty for nobody"})`,
        default: defaultText === "" ? undefined : defaultText,
        validate: (value) => validateRefList(value, role === "ADMIN", !input.lookup),
      });
      const before = r.problems.length;
      const chosen: Array<DirectoryEntry | RbacIdentity> = [];
      for (const text of splitList(answer)) {
        const entry = await resolveRef(
          r,
          io,
          ROLE_FLAGS[role],
          parseIdentityRef(text) as IdentityRef,
          input.lookup,
          input.unavailable,
        );
        if (entry) chosen.push(entry);
      }
      // At a prompt a name that does not resolve is asked again, not collected as an error.
      const failures = r.problems.splice(before);
      if (failures.length === 0) {
        for (const entry of chosen) {
          add(role, entry);
          if ("name" in entry) io.success(`ArgoCD ${role}: ${describeEntry(entry)}`);
        }
        break;
      }
      for (const failure of failures) io.warn(failure);
    }
  }
  return { rbac, people };
}

export function splitList(value: string): string[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

function validateRefList(value: string, required: boolean, idsOnly: boolean): true | string {
  const items = splitList(value);
  if (required && items.length === 0) return "name at least one administrator";
  for (const item of items) {
    const ref = parseIdentityRef(item);
    if (typeof ref === "string") return `${item}: ${ref}`;
    if (idsOnly && !ref.isId) return `${item}: without Identity Center access only ids can be used (a UUID)`;
  }
  return true;
}
