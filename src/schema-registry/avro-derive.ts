// Derives the Avro schema of encrypted records from the writer's schema, mirroring what the engine does to the
// values: OBJECT fields become `string`, ELEMENT containers keep their shape with every leaf a `string`, nullable
// unions keep their null branch. Named types are resolved into one graph first, so a record used in several places
// can be rewritten in one of them (the rewritten copy gets a fresh name when the original name stays in use).
import type { CompiledFields, FieldPlan } from '../field/field-plan';
import { SchemaMismatchError } from './sr-errors';
import { FoundPlans, type DerivedSchema } from './sr-format';

type Node = string | Node[] | ObjNode;
interface ObjNode { type: unknown; [k: string]: unknown }
interface Field { name: string; type: Node; default?: unknown; [k: string]: unknown }

const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);
const NAMED = new Set(['record', 'error', 'enum', 'fixed']);

const qualify = (name: string, ns: string): string => (name.includes('.') || ns === '' ? name : `${ns}.${name}`);
const namespaceOf = (full: string): string => (full.includes('.') ? full.slice(0, full.lastIndexOf('.')) : '');
const isObj = (n: Node): n is ObjNode => typeof n === 'object' && !Array.isArray(n);
const isRecord = (n: Node): n is ObjNode => isObj(n) && (n.type === 'record' || n.type === 'error');

class Graph {
  /** Full name of every named node: original ones, and derived copies (the name they were copied from). */
  readonly names = new WeakMap<object, string>();
  readonly originals = new WeakSet<object>();
  private readonly defs = new Map<string, ObjNode>();

  constructor(private readonly id: number) {}

  resolve(raw: unknown, ns: string): Node {
    if (typeof raw === 'string') {
      if (PRIMITIVES.has(raw)) return raw;
      const def = this.defs.get(qualify(raw, ns)) ?? this.defs.get(raw);
      if (def === undefined) throw this.bad(`refers to an undefined type '${raw}' (schema references are not supported)`);
      return def;
    }
    if (Array.isArray(raw)) return raw.map((b) => this.resolve(b, ns));
    if (raw === null || typeof raw !== 'object') throw this.bad('contains a malformed type');
    const o = raw as Record<string, unknown>;
    if (typeof o.type !== 'string' || (!PRIMITIVES.has(o.type) && !NAMED.has(o.type) && o.type !== 'array' && o.type !== 'map')) {
      return this.resolve(o.type, ns); // {"type": <another type>}
    }
    if (NAMED.has(o.type)) {
      const full = qualify(String(o.name), typeof o.namespace === 'string' ? o.namespace : ns);
      const node: ObjNode = { ...o, type: o.type };
      this.names.set(node, full);
      this.originals.add(node);
      this.defs.set(full, node);
      if (node.type === 'record' || node.type === 'error') {
        const inner = namespaceOf(full);
        node.fields = (o.fields as Field[]).map((f) => ({ ...f, type: this.resolve(f.type, inner) }));
      }
      return node;
    }
    if (o.type === 'array') return { ...o, type: 'array', items: this.resolve(o.items, ns) };
    if (o.type === 'map') return { ...o, type: 'map', values: this.resolve(o.values, ns) };
    return { ...o, type: o.type };
  }

  bad(why: string): SchemaMismatchError {
    return new SchemaMismatchError('SR_SCHEMA_UNSUPPORTED', `Avro schema id ${this.id} ${why}`);
  }
}

class Deriver {
  readonly found = new FoundPlans();
  constructor(private readonly g: Graph, private readonly fields: CompiledFields, private readonly d: string) {}

  /** The node with the field at `segs[i..]` rewritten, or undefined when the path does not exist. */
  rewritePath(node: Node, plan: FieldPlan, i: number): Node | undefined {
    if (Array.isArray(node)) {
      const nonNull = node.filter((b) => b !== 'null');
      if (nonNull.length !== 1) throw this.g.bad(`: path '${plan.path}' crosses a union with several non-null branches`);
      const r = this.rewritePath(nonNull[0] as Node, plan, i);
      return r === undefined ? undefined : node.map((b) => (b === 'null' ? b : r));
    }
    if (isObj(node) && node.type === 'map') throw this.g.bad(`: path '${plan.path}' crosses a map; only record fields can be addressed`);
    if (!isRecord(node)) return undefined;
    const seg = plan.segments[i] as string;
    const field = (node.fields as Field[]).find((f) => f.name === seg);
    if (field === undefined) return undefined;
    const last = i === plan.segments.length - 1;
    const type = last ? this.leaf(field.type, plan) : this.rewritePath(field.type, plan, i + 1);
    if (type === undefined) return undefined;
    if (last) this.found.add(plan);
    return this.withField(node, seg, type);
  }

  private leaf(type: Node, plan: FieldPlan): Node {
    return plan.mode === 'OBJECT' ? this.objectLeaf(type) : this.element(type, plan, new Set());
  }

  /** One ciphertext string in place of the whole value; a nullable union keeps its null branch where it was. */
  private objectLeaf(type: Node): Node {
    if (!Array.isArray(type) || !type.includes('null')) return 'string';
    const out: Node[] = [];
    for (const b of type) if (b === 'null') out.push('null'); else if (!out.includes('string')) out.push('string');
    return out;
  }

  private element(type: Node, plan: FieldPlan, stack: Set<object>): Node {
    if (Array.isArray(type)) {
      const nonNull = type.filter((b) => b !== 'null');
      if (nonNull.length !== 1) throw this.g.bad(`: ELEMENT mode at '${plan.path}' over a union with several non-null branches is not supported`);
      const inner = this.element(nonNull[0] as Node, plan, stack);
      if (inner === 'string') return this.objectLeaf(type);
      // The engine turns a null container into one ciphertext string, so the union must also accept a string.
      return type[0] === 'null' ? ['null', 'string', inner] : [inner, 'string', 'null'];
    }
    if (!isObj(type)) return 'string';
    if (type.type === 'array') return { ...type, items: this.element(type.items as Node, plan, stack) };
    if (type.type === 'map') return { ...type, values: this.element(type.values as Node, plan, stack) };
    if (!isRecord(type)) return 'string';
    if (stack.has(type)) throw this.g.bad(`: ELEMENT mode at '${plan.path}' reaches a recursive record`);
    stack.add(type);
    let out: ObjNode = type;
    for (const f of type.fields as Field[]) {
      const childPath = plan.path + this.d + f.name;
      const own = this.fields.byPath.get(childPath);
      if (own !== undefined) this.found.add(own);
      const child = own ?? { ...plan, path: childPath };
      out = this.withField(out, f.name, child.mode === 'OBJECT' ? this.objectLeaf(f.type) : this.element(f.type, child, stack));
    }
    stack.delete(type);
    return out;
  }

  private withField(record: ObjNode, name: string, type: Node): ObjNode {
    const fields = (record.fields as Field[]).map((f) => {
      if (f.name !== name) return f;
      const nf: Field = { ...f, type };
      // A default only stays when it is still valid: null for a union that starts with null.
      if (!(Array.isArray(type) && type[0] === 'null' && f.default === null)) delete nf.default;
      return nf;
    });
    const copy: ObjNode = { ...record, fields };
    this.g.names.set(copy, this.g.names.get(record) as string);
    return copy;
  }
}

class Emitter {
  private readonly assigned = new Map<object, string>();
  private readonly used = new Set<string>();

  constructor(private readonly g: Graph, root: Node) {
    this.reserve(root, new Set());
  }

  /** Names of original named types still present keep their name; derived copies must not take it. */
  private reserve(n: Node, seen: Set<object>): void {
    if (Array.isArray(n)) { for (const b of n) this.reserve(b, seen); return; }
    if (!isObj(n) || seen.has(n)) return;
    seen.add(n);
    if (this.g.originals.has(n)) this.used.add(this.g.names.get(n) as string);
    if (n.type === 'array') this.reserve(n.items as Node, seen);
    if (n.type === 'map') this.reserve(n.values as Node, seen);
    if (isRecord(n)) for (const f of n.fields as Field[]) this.reserve(f.type, seen);
  }

  emit(n: Node): unknown {
    if (typeof n === 'string') return n;
    if (Array.isArray(n)) return n.map((b) => this.emit(b));
    if (n.type === 'array') return { ...n, items: this.emit(n.items as Node) };
    if (n.type === 'map') return { ...n, values: this.emit(n.values as Node) };
    if (!NAMED.has(n.type as string)) return { ...n };
    const known = this.assigned.get(n);
    if (known !== undefined) return known;
    const base = this.g.names.get(n) as string;
    let full = base;
    if (!this.g.originals.has(n)) {
      // A rewritten copy keeps the original name unless the original is still used elsewhere in the schema.
      for (let i = 1; this.used.has(full); i++) full = `${base}_k4k${i}`;
      this.used.add(full);
    }
    this.assigned.set(n, full);
    const { namespace: _ns, ...rest } = n;
    const out: Record<string, unknown> = { ...rest, name: full };
    if (!full.includes('.')) out.namespace = '';
    if (isRecord(n)) out.fields = (n.fields as Field[]).map((f) => ({ ...f, type: this.emit(f.type) }));
    return out;
  }
}

export function deriveAvroSchema(raw: unknown, fields: CompiledFields, delimiter: string, id: number): DerivedSchema | undefined {
  const g = new Graph(id);
  const root = g.resolve(raw, '');
  const deriver = new Deriver(g, fields, delimiter);
  let out: Node = root;
  for (const plan of fields.roots) out = deriver.rewritePath(out, plan, 0) ?? out;
  const encrypted = deriver.found.list();
  if (encrypted.length === 0) return undefined;
  return { schema: JSON.stringify(new Emitter(g, out).emit(out)), encrypted };
}
