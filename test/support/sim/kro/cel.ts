/**
 * The CEL subset KRO evaluates against live objects in the platform's RGD: field selection,
 * optional selection `a.?b` with `.orValue(x)`, index `[i]`, comparison and logic operators,
 * the ternary, list literals, `exists`/`all` macros, `size`, `has`, `string`, `int`.
 * (cel-spec language definition; KRO docs concepts/rgd/03-cel-expressions.md.) A selection of a
 * field that does not exist (without `?`) is an error, as in CEL: KRO then treats the expression
 * as not resolvable yet (the resource is not ready).
 */
export class CelError extends Error {}

class Optional {
  constructor(
    readonly present: boolean,
    readonly value?: unknown,
  ) {}
}

type Node =
  | { t: "lit"; v: unknown }
  | { t: "id"; name: string }
  | { t: "sel"; obj: Node; field: string; opt: boolean }
  | { t: "idx"; obj: Node; index: Node }
  | { t: "call"; target?: Node; name: string; args: Node[] }
  | { t: "un"; op: string; arg: Node }
  | { t: "bin"; op: string; l: Node; r: Node }
  | { t: "cond"; c: Node; a: Node; b: Node }
  | { t: "list"; items: Node[] };

const TOKEN =
  /\s*(\.\?|==|!=|<=|>=|&&|\|\||"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\d+(?:\.\d+)?|[A-Za-z_][A-Za-z0-9_]*|[.()[\]{},:<>!+\-?*/%])/y;

function tokenize(src: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(src);
    if (!m) throw new CelError(`cannot parse CEL near "${src.slice(pos, pos + 20)}"`);
    out.push(m[1] ?? "");
    pos = TOKEN.lastIndex;
  }
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: string[]) {}
  private peek(): string | undefined {
    return this.tokens[this.i];
  }
  private take(expected?: string): string {
    const tok = this.tokens[this.i++];
    if (tok === undefined || (expected !== undefined && tok !== expected)) {
      throw new CelError(`expected ${expected ?? "a token"}, got ${tok ?? "end of expression"}`);
    }
    return tok;
  }
  parse(): Node {
    const node = this.ternary();
    if (this.i < this.tokens.length) throw new CelError(`unexpected ${this.peek()}`);
    return node;
  }
  private ternary(): Node {
    const c = this.binary(0);
    if (this.peek() !== "?") return c;
    this.take("?");
    const a = this.ternary();
    this.take(":");
    return { t: "cond", c, a, b: this.ternary() };
  }
  private static readonly LEVELS = [
    ["||"],
    ["&&"],
    ["==", "!=", "<", "<=", ">", ">=", "in"],
    ["+", "-"],
    ["*", "/", "%"],
  ];
  private binary(level: number): Node {
    if (level >= Parser.LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    while (Parser.LEVELS[level]!.includes(this.peek() ?? "")) {
      const op = this.take();
      left = { t: "bin", op, l: left, r: this.binary(level + 1) };
    }
    return left;
  }
  private unary(): Node {
    if (this.peek() === "!" || this.peek() === "-") {
      const op = this.take();
      return { t: "un", op, arg: this.unary() };
    }
    return this.postfix(this.primary());
  }
  private args(): Node[] {
    this.take("(");
    const args: Node[] = [];
    while (this.peek() !== ")") {
      args.push(this.ternary());
      if (this.peek() === ",") this.take(",");
    }
    this.take(")");
    return args;
  }
  private postfix(node: Node): Node {
    for (;;) {
      const tok = this.peek();
      if (tok === "." || tok === ".?") {
        this.take();
        const field = this.take();
        if (tok === "." && this.peek() === "(")
          node = { t: "call", target: node, name: field, args: this.args() };
        else node = { t: "sel", obj: node, field, opt: tok === ".?" };
      } else if (tok === "[") {
        this.take("[");
        const index = this.ternary();
        this.take("]");
        node = { t: "idx", obj: node, index };
      } else return node;
    }
  }
  private primary(): Node {
    const tok = this.take();
    if (tok === "(") {
      const inner = this.ternary();
      this.take(")");
      return inner;
    }
    if (tok === "[") {
      const items: Node[] = [];
      while (this.peek() !== "]") {
        items.push(this.ternary());
        if (this.peek() === ",") this.take(",");
      }
      this.take("]");
      return { t: "list", items };
    }
    if (tok.startsWith('"') || tok.startsWith("'"))
      return { t: "lit", v: tok.slice(1, -1).replace(/\\(.)/g, "$1") };
    if (/^\d/.test(tok)) return { t: "lit", v: Number(tok) };
    if (tok === "true" || tok === "false") return { t: "lit", v: tok === "true" };
    if (tok === "null") return { t: "lit", v: null };
    if (this.peek() === "(") return { t: "call", name: tok, args: this.args() };
    return { t: "id", name: tok };
  }
}

type Env = Record<string, unknown>;

const unwrap = (v: unknown): unknown => (v instanceof Optional ? (v.present ? v.value : undefined) : v);

function select(obj: unknown, field: string, optional: boolean): unknown {
  if (obj instanceof Optional) {
    if (!obj.present) return obj;
    return select(obj.value, field, true);
  }
  const present = obj !== null && typeof obj === "object" && field in (obj as Record<string, unknown>);
  if (optional) return new Optional(present, present ? (obj as Record<string, unknown>)[field] : undefined);
  if (!present) throw new CelError(`no such key: ${field}`);
  return (obj as Record<string, unknown>)[field];
}

function evaluate(node: Node, env: Env): unknown {
  switch (node.t) {
    case "lit":
      return node.v;
    case "id":
      if (!(node.name in env)) throw new CelError(`undeclared reference to '${node.name}'`);
      return env[node.name];
    case "sel":
      return select(evaluate(node.obj, env), node.field, node.opt);
    case "idx": {
      const obj = unwrap(evaluate(node.obj, env));
      const index = unwrap(evaluate(node.index, env));
      const value = (obj as Record<string, unknown> | undefined)?.[String(index)];
      if (value === undefined) throw new CelError(`no such key: ${String(index)}`);
      return value;
    }
    case "list":
      return node.items.map((i) => unwrap(evaluate(i, env)));
    case "cond":
      return unwrap(evaluate(node.c, env)) === true ? evaluate(node.a, env) : evaluate(node.b, env);
    case "un": {
      const v = unwrap(evaluate(node.arg, env));
      return node.op === "!" ? !v : -(v as number);
    }
    case "bin":
      return binary(node.op, node.l, node.r, env);
    case "call":
      return call(node, env);
  }
}

function binary(op: string, l: Node, r: Node, env: Env): unknown {
  if (op === "&&") return unwrap(evaluate(l, env)) === true && unwrap(evaluate(r, env)) === true;
  if (op === "||") return unwrap(evaluate(l, env)) === true || unwrap(evaluate(r, env)) === true;
  const a = unwrap(evaluate(l, env)) as never;
  const b = unwrap(evaluate(r, env)) as never;
  switch (op) {
    case "==":
      return JSON.stringify(a) === JSON.stringify(b);
    case "!=":
      return JSON.stringify(a) !== JSON.stringify(b);
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    case "+":
      return (a as number) + (b as number);
    case "-":
      return (a as number) - (b as number);
    case "*":
      return (a as number) * (b as number);
    case "/":
      return Math.trunc((a as number) / (b as number));
    case "%":
      return (a as number) % (b as number);
    case "in":
      return Array.isArray(b) ? (b as unknown[]).includes(a) : Object.hasOwn(b as object, a as string);
    default:
      throw new CelError(`unsupported operator ${op}`);
  }
}

function call(node: Extract<Node, { t: "call" }>, env: Env): unknown {
  if (!node.target) {
    if (node.name === "has") {
      try {
        const arg = node.args[0];
        if (arg?.t !== "sel") throw new CelError("has() needs a field selection");
        return select(evaluate(arg.obj, env), arg.field, true) instanceof Optional
          ? (select(evaluate(arg.obj, env), arg.field, true) as Optional).present
          : true;
      } catch {
        return false;
      }
    }
    const v = unwrap(evaluate(node.args[0] ?? { t: "lit", v: undefined }, env));
    if (node.name === "string") return typeof v === "object" ? JSON.stringify(v) : String(v);
    if (node.name === "int") return Math.trunc(Number(v));
    if (node.name === "size") return sizeOf(v);
    throw new CelError(`unsupported function ${node.name}`);
  }
  const target = evaluate(node.target, env);
  if (node.name === "orValue") {
    if (target instanceof Optional)
      return target.present ? target.value : unwrap(evaluate(node.args[0]!, env));
    return target;
  }
  if (node.name === "hasValue") return target instanceof Optional ? target.present : true;
  const value = unwrap(target);
  if (node.name === "size") return sizeOf(value);
  if (node.name === "exists" || node.name === "all") {
    const variable = node.args[0];
    const predicate = node.args[1];
    if (variable?.t !== "id" || !predicate)
      throw new CelError(`${node.name}() needs a variable and a predicate`);
    const items = Array.isArray(value) ? value : Object.keys((value ?? {}) as object);
    const test = (item: unknown) => unwrap(evaluate(predicate, { ...env, [variable.name]: item })) === true;
    return node.name === "exists" ? items.some(test) : items.every(test);
  }
  if (node.name === "startsWith")
    return String(value).startsWith(String(unwrap(evaluate(node.args[0]!, env))));
  if (node.name === "contains") return String(value).includes(String(unwrap(evaluate(node.args[0]!, env))));
  throw new CelError(`unsupported method ${node.name}`);
}

function sizeOf(v: unknown): number {
  if (Array.isArray(v) || typeof v === "string") return v.length;
  if (v && typeof v === "object") return Object.keys(v).length;
  throw new CelError("size() of a non-collection");
}

const cache = new Map<string, Node>();

/** Evaluates a CEL expression; throws CelError when a field it reads does not exist (yet). */
export function evaluateCel(source: string, env: Env): unknown {
  let ast = cache.get(source);
  if (!ast) {
    ast = new Parser(tokenize(source)).parse();
    cache.set(source, ast);
  }
  return unwrap(evaluate(ast, env));
}
