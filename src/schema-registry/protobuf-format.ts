// Protobuf records for the Schema Registry codec, on protobufjs (the registry client's own Protobuf library):
// Confluent message indexes are read and written (the client itself ignores them), field names are kept as
// declared, well-known imports (google/protobuf/*.proto) resolve, and 64-bit integers stay exact.
import protobuf from 'protobufjs';
import type { CompiledFields, FieldPlan } from '../field/field-plan';
import { isPlainObject, type JsonObject } from '../paths/field-path';
import { SchemaMismatchError } from './sr-errors';
import { FoundPlans, type DecodedRecord, type DerivedSchema, type SrFormat, type SrSchema } from './sr-format';
import { readMessageIndexes, writeMessageIndexes } from './sr-wire';
import { printProtoFile } from './proto-printer';

const LONG_TYPES = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const LongCtor = protobuf.util.Long as unknown as { fromString(s: string, unsigned: boolean): unknown };
const keyTypeOf = (f: protobuf.Field): string => (f as unknown as protobuf.MapField).keyType;
const mapField = (name: string, id: number, keyType: string, type: string): protobuf.Field =>
  new protobuf.MapField(name, id, keyType, type) as unknown as protobuf.Field;

interface LongLike { low: number; high: number; unsigned: boolean; toString(): string }
const isLong = (v: unknown): v is LongLike => typeof v === 'object' && v !== null && typeof (v as LongLike).low === 'number' && typeof (v as LongLike).high === 'number';

const TWO_64 = 2n ** 64n;
const MAX_LONG = 2n ** 63n - 1n;
const isUnsigned64 = (type: string): boolean => type === 'uint64' || type === 'fixed64';

// Unsigned 64-bit values above the signed range take Java's two's-complement view (what a Java reader of the
// encrypted field gets, and what the KRYO serde can carry); the schema turns them back on the way out.
function longToPlain(v: unknown, type: string): unknown {
  let b = isLong(v) ? BigInt(v.toString()) : typeof v === 'string' ? BigInt(v) : typeof v === 'number' ? BigInt(v) : v;
  if (typeof b === 'bigint' && isUnsigned64(type) && b > MAX_LONG) b -= TWO_64;
  return typeof b === 'bigint' && b <= MAX_SAFE && b >= -MAX_SAFE ? Number(b) : b;
}

function scalarToPlain(f: protobuf.Field, v: unknown): unknown {
  const rt = f.resolvedType;
  if (rt instanceof protobuf.Type) return messageToPlain(rt, v as protobuf.Message);
  if (rt instanceof protobuf.Enum) return typeof v === 'number' ? (rt.valuesById[v] ?? v) : v;
  if (LONG_TYPES.has(f.type)) return longToPlain(v, f.type);
  if (f.type === 'bytes') return Buffer.from(v as Uint8Array);
  return v;
}

/** Fields present in the decoded message only (proto3 defaults stay absent, so re-encoding writes the same fields). */
function messageToPlain(t: protobuf.Type, m: protobuf.Message): JsonObject {
  const out: JsonObject = {};
  const rec = m as unknown as Record<string, unknown>;
  for (const f of t.fieldsArray) {
    if (!Object.prototype.hasOwnProperty.call(rec, f.name)) continue;
    const v = rec[f.name];
    if (v === null || v === undefined) continue;
    if (f.map) out[f.name] = Object.fromEntries(Object.entries(v as JsonObject).map(([k, x]) => [k, scalarToPlain(f, x)]));
    else if (f.repeated) out[f.name] = (v as unknown[]).map((x) => scalarToPlain(f, x));
    else out[f.name] = scalarToPlain(f, v);
  }
  return out;
}

function scalarToNative(f: protobuf.Field, v: unknown): unknown {
  const rt = f.resolvedType;
  if (rt instanceof protobuf.Type) return isPlainObject(v) ? plainToNative(rt, v) : v;
  if (rt instanceof protobuf.Enum) return typeof v === 'string' && rt.values[v] !== undefined ? rt.values[v] : v;
  if (LONG_TYPES.has(f.type) && (typeof v === 'bigint' || typeof v === 'number')) {
    if (typeof v === 'number' && !Number.isInteger(v)) return v; // left for verify to reject
    const b = BigInt(v);
    return LongCtor.fromString(String(isUnsigned64(f.type) && b < 0n ? b + TWO_64 : b), isUnsigned64(f.type));
  }
  if (f.type === 'bytes' && typeof v === 'string') return Buffer.from(v, 'base64');
  return v;
}

/** The plain view back in the shape protobufjs verifies (enum numbers, Long objects), unknown keys kept for verify. */
function plainToNative(t: protobuf.Type, o: JsonObject): JsonObject {
  const out: JsonObject = { ...o };
  for (const f of t.fieldsArray) {
    const v = o[f.name];
    if (v === undefined || v === null) continue;
    if (f.map && isPlainObject(v)) out[f.name] = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, scalarToNative(f, x)]));
    else if (f.repeated && Array.isArray(v)) out[f.name] = v.map((x) => scalarToNative(f, x));
    else out[f.name] = scalarToNative(f, v);
  }
  return out;
}

/** Message types of a namespace in declaration order: what Confluent message indexes count. */
const messagesOf = (ns: protobuf.NamespaceBase): protobuf.Type[] => ns.nestedArray.filter((n): n is protobuf.Type => n instanceof protobuf.Type);

class ProtoSchema implements SrSchema {
  readonly type = 'PROTOBUF' as const;
  private readonly byVariant = new Map<string, protobuf.Type>();

  constructor(private readonly root: protobuf.Root, private readonly fileNs: protobuf.NamespaceBase, private readonly pkg: string | undefined,
    private readonly imports: readonly string[], private readonly proto3: boolean, private readonly id: number) {}

  private typeAt(variant: string): protobuf.Type {
    let t = this.byVariant.get(variant);
    if (t !== undefined) return t;
    let ns: protobuf.NamespaceBase = this.fileNs;
    for (const idx of variant.split('.').map(Number)) {
      const next = messagesOf(ns)[idx];
      if (next === undefined) throw new SchemaMismatchError('SR_PAYLOAD_MISMATCH', `Protobuf schema id ${this.id} has no message at index path [${variant}]`);
      ns = next;
      t = next;
    }
    this.byVariant.set(variant, t as protobuf.Type);
    return t as protobuf.Type;
  }

  decode(payload: Buffer): DecodedRecord {
    const { indexes, message } = readMessageIndexes(payload);
    const variant = indexes.join('.');
    const t = this.typeAt(variant);
    let m: protobuf.Message;
    try { m = t.decode(message); } catch (err) {
      throw new SchemaMismatchError('SR_PAYLOAD_MISMATCH', `payload does not decode as ${t.fullName.slice(1)} of Protobuf schema id ${this.id}`, { cause: err });
    }
    return { record: messageToPlain(t, m), variant };
  }

  encode(record: JsonObject, variant: string): Buffer {
    const t = this.typeAt(variant);
    const native = plainToNative(t, record);
    const problem = t.verify(native);
    // protobufjs names the field and the expected type, never the value.
    if (problem !== null) throw new SchemaMismatchError('SR_RECORD_MISMATCH', `record does not fit ${t.fullName.slice(1)} of Protobuf schema id ${this.id}: ${problem}`);
    const unknown = Object.keys(record).filter((k) => t.fields[k] === undefined);
    if (unknown.length > 0) throw new SchemaMismatchError('SR_RECORD_MISMATCH', `record has fields unknown to ${t.fullName.slice(1)}: ${unknown.join(', ')}`);
    return writeMessageIndexes(variant.split('.').map(Number), Buffer.from(t.encode(t.fromObject(native)).finish()));
  }

  deriveEncrypted(fields: CompiledFields, delimiter: string, variant: string): DerivedSchema | undefined {
    // Work on a copy: derived message types are appended after the file's own, so every message index stays valid.
    const copy = protobuf.Root.fromJSON(this.root.toJSON());
    copy.resolveAll();
    const target = copy.lookupType(this.typeAt(variant).fullName);
    const ns = this.pkg ? copy.lookup(this.pkg) as protobuf.Namespace : copy;
    const deriver = new ProtoDeriver(ns, fields, delimiter, this.id);
    for (const plan of fields.roots) deriver.rewritePath(target, plan, 0);
    const encrypted = deriver.found.list();
    if (encrypted.length === 0) return undefined;
    copy.resolveAll();
    return { schema: printProtoFile(ns, this.pkg, this.imports, this.proto3), encrypted };
  }
}

class ProtoDeriver {
  readonly found = new FoundPlans();
  private readonly copies = new Set<protobuf.Type>();
  private count = 0;
  constructor(private readonly ns: protobuf.Namespace, private readonly fields: CompiledFields, private readonly d: string, private readonly id: number) {}

  private bad(why: string): SchemaMismatchError {
    return new SchemaMismatchError('SR_SCHEMA_UNSUPPORTED', `Protobuf schema id ${this.id} ${why}`);
  }

  /** Rewrites `t` in place; returns whether the path was found. */
  rewritePath(t: protobuf.Type, plan: FieldPlan, i: number): boolean {
    const f = t.fields[plan.segments[i] as string];
    if (f === undefined) return false;
    if (i === plan.segments.length - 1) {
      this.found.add(plan);
      this.replace(t, f, plan.mode === 'OBJECT' ? this.stringField(f) : this.elementField(f, plan, new Set()));
      return true;
    }
    const rt = f.resolve().resolvedType;
    if (f.map) throw this.bad(`: path '${plan.path}' crosses a map; only message fields can be addressed`);
    if (!(rt instanceof protobuf.Type) || f.repeated) return false;
    // A copy made for an earlier path through the same field is rewritten further; the original stays untouched.
    if (this.copies.has(rt)) return this.rewritePath(rt, plan, i + 1);
    const sub = this.copyOf(rt, plan.segments.slice(0, i + 1).join('_'));
    if (!this.rewritePath(sub, plan, i + 1)) { this.ns.remove(sub); this.copies.delete(sub); return false; }
    this.replace(t, f, this.fieldLike(f, sub.fullName, f.repeated));
    return true;
  }

  /** OBJECT mode: one string, whatever the field was (a repeated or map field becomes a single string). */
  private stringField(f: protobuf.Field): protobuf.Field {
    return this.fieldLike(f, 'string', false);
  }

  private elementField(f: protobuf.Field, plan: FieldPlan, stack: Set<protobuf.Type>): protobuf.Field {
    const rt = f.resolve().resolvedType;
    const inner = rt instanceof protobuf.Type ? this.elementType(rt, plan, stack).fullName : 'string';
    if (f.map) return mapField(f.name, f.id, keyTypeOf(f), inner);
    return this.fieldLike(f, inner, f.repeated);
  }

  private elementType(t: protobuf.Type, plan: FieldPlan, stack: Set<protobuf.Type>): protobuf.Type {
    if (stack.has(t)) throw this.bad(`: ELEMENT mode at '${plan.path}' reaches a recursive message`);
    stack.add(t);
    const out = this.copyOf(t, plan.path.split(this.d).join('_'));
    for (const f of [...out.fieldsArray]) {
      const childPath = plan.path + this.d + f.name;
      const own = this.fields.byPath.get(childPath);
      if (own !== undefined) this.found.add(own);
      const cp = own ?? { ...plan, path: childPath };
      this.replace(out, f, cp.mode === 'OBJECT' ? this.stringField(f) : this.elementField(t.fields[f.name] as protobuf.Field, cp, stack));
    }
    stack.delete(t);
    return out;
  }

  /** A new top-level message with the same fields (types fully qualified) and oneofs. */
  private copyOf(t: protobuf.Type, hint: string): protobuf.Type {
    let name = `${t.name}_k4k_${hint.replace(/[^A-Za-z0-9_]/g, '_')}`;
    while (this.ns.get(name) !== null) name = `${name}_${++this.count}`;
    const copy = new protobuf.Type(name);
    for (const f of t.fieldsArray) {
      const rt = f.resolve().resolvedType;
      const type = rt ? rt.fullName : f.type;
      copy.add(f.map ? mapField(f.name, f.id, keyTypeOf(f), type) : this.fieldLike(f, type, f.repeated));
    }
    for (const o of t.oneofsArray) copy.add(new protobuf.OneOf(o.name, o.fieldsArray.map((f) => f.name)));
    this.ns.add(copy);
    copy.resolveAll();
    this.copies.add(copy);
    return copy;
  }

  private fieldLike(f: protobuf.Field, type: string, repeated: boolean): protobuf.Field {
    const options: Record<string, unknown> = {};
    if (f.options?.proto3_optional === true && !repeated) options.proto3_optional = true;
    if (f.options?.deprecated !== undefined) options.deprecated = f.options.deprecated;
    const rule = repeated ? 'repeated' : f.required ? 'required' : f.optional && !f.partOf ? 'optional' : undefined;
    return new protobuf.Field(f.name, f.id, type, rule, undefined, options);
  }

  private replace(t: protobuf.Type, old: protobuf.Field, next: protobuf.Field): void {
    const oneof = old.partOf;
    if (oneof) oneof.remove(old);
    t.remove(old);
    t.add(next);
    if (oneof) oneof.add(next);
  }
}

export const protobufFormat: SrFormat = {
  type: 'PROTOBUF',
  parse(schema: string, id: number): SrSchema {
    const root = new protobuf.Root();
    let parsed: protobuf.IParserResult;
    try {
      parsed = protobuf.parse(schema, root, { keepCase: true });
      const imports = [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])];
      for (const imp of imports) {
        const common = protobuf.common.get(imp) as { nested?: Record<string, protobuf.AnyNestedObject> } | null;
        if (common === null || common.nested === undefined) {
          throw new SchemaMismatchError('SR_SCHEMA_UNSUPPORTED', `Protobuf schema id ${id} imports '${imp}'; only google/protobuf well-known types are supported`);
        }
        root.addJSON(common.nested);
      }
      root.resolveAll();
    } catch (err) {
      if (err instanceof SchemaMismatchError) throw err;
      throw new SchemaMismatchError('SR_SCHEMA_INVALID', `schema id ${id} is not a usable Protobuf schema`, { cause: err });
    }
    const fileNs = parsed.package ? root.lookup(parsed.package) as protobuf.Namespace : root;
    const proto3 = /^\s*syntax\s*=\s*["']proto3["']/m.test(schema);
    return new ProtoSchema(root, fileNs, parsed.package, [...(parsed.imports ?? [])], proto3, id);
  },
};
