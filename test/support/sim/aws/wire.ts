/**
 * The wire-level pieces the AWS face shares: form-encoded query parameters (EC2's `Name.N`,
 * awsQuery's `Name.member.N`, EC2 filters `Filter.N.Name` / `Filter.N.Value.M`), XML building, and
 * the error every protocol answers with. Shapes follow the Smithy protocol specs the SDK
 * implements (awsQuery, ec2Query, awsJson1_1, restJson1 — smithy.io/2.0/aws/protocols).
 */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export type Params = URLSearchParams;

/** `Prefix.1`, `Prefix.2`… (EC2) or `Prefix.member.1`… (awsQuery), in order. */
export function listParam(params: Params, prefix: string): string[] {
  const out: string[] = [];
  for (let i = 1; ; i++) {
    const v = params.get(`${prefix}.${i}`) ?? params.get(`${prefix}.member.${i}`);
    if (v === null) return out;
    out.push(v);
  }
}

export interface Filter {
  name: string;
  values: string[];
}

/** EC2 filters; `Filter.N.Name` with `Filter.N.Value.M` (the SDK sends `Filter` for every API). */
export function filterParams(params: Params): Filter[] {
  const out: Filter[] = [];
  for (let i = 1; ; i++) {
    const name = params.get(`Filter.${i}.Name`);
    if (name === null) return out;
    out.push({ name, values: listParam(params, `Filter.${i}.Value`) });
  }
}

/** EC2 filter values may use `*` and `?` wildcards (EC2 API reference, "Filtering"). */
export function filterMatches(values: string[], actual: string | undefined): boolean {
  if (actual === undefined) return false;
  return values.some((v) => {
    const re = new RegExp(
      `^${v
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".")}$`,
    );
    return re.test(actual);
  });
}

/** Whether `tags` satisfy a `tag:<key>` or `tag-key` filter; undefined if the filter is not a tag filter. */
export function tagFilter(filter: Filter, tags: Record<string, string>): boolean | undefined {
  if (filter.name.startsWith("tag:")) return filterMatches(filter.values, tags[filter.name.slice(4)]);
  if (filter.name === "tag-key") return Object.keys(tags).some((k) => filterMatches(filter.values, k));
  if (filter.name === "tag-value") return Object.values(tags).some((v) => filterMatches(filter.values, v));
  return undefined;
}

export const esc = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** `<name>value</name>`; undefined values are left out. */
export function el(name: string, value: string | number | boolean | undefined): string {
  if (value === undefined) return "";
  return `<${name}>${typeof value === "string" ? esc(value) : String(value)}</${name}>`;
}

/** `<name>` around already-built XML. */
export const wrap = (name: string, inner: string): string => `<${name}>${inner}</${name}>`;

/** EC2 lists: `<name><item>…</item>…</name>`. */
export const items = (name: string, parts: string[]): string =>
  wrap(name, parts.map((p) => wrap("item", p)).join(""));

/** awsQuery lists: `<name><member>…</member>…</name>`. */
export const members = (name: string, parts: string[]): string =>
  wrap(name, parts.map((p) => wrap("member", p)).join(""));

export const ec2Tags = (tags: Record<string, string>): string =>
  items(
    "tagSet",
    Object.entries(tags).map(([k, v]) => el("key", k) + el("value", v)),
  );

export const queryTags = (tags: Record<string, string>): string =>
  members(
    "Tags",
    Object.entries(tags).map(([k, v]) => el("Key", k) + el("Value", v)),
  );
