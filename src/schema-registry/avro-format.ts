// Avro records for the Schema Registry codec: exact binary round trips through avsc (64-bit longs kept as
// bigint when unsafe, logical types left as their underlying values) and the plain JSON-like view the engine works on.
import avro from 'avsc';
import type { JsonObject } from '../paths/field-path';
import type { CompiledFields } from '../field/field-plan';
import { SchemaMismatchError } from './sr-errors';
import type { DecodedRecord, DerivedSchema, SrFormat, SrSchema } from './sr-format';
import { deriveAvroSchema } from './avro-derive';

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_LONG = -(2n ** 63n);
const MAX_LONG = 2n ** 63n - 1n;

/** Avro `long` as number when safe, else bigint, instead of silently losing digits (avsc's default); also for applications. */
export const LongType = avro.types.LongType.__with({
  fromBuffer: (b: Buffer) => { const v = b.readBigInt64LE(); return v >= MIN_SAFE && v <= MAX_SAFE ? Number(v) : v; },
  toBuffer: (n: number | bigint) => { const b = Buffer.alloc(8); b.writeBigInt64LE(BigInt(n)); return b; },
  fromJSON: (x: number | bigint) => x,
  toJSON: (x: number | bigint) => Number(x),
  isValid: (n: unknown) => (typeof n === 'number' && Number.isSafeInteger(n)) || (typeof n === 'bigint' && n >= MIN_LONG && n <= MAX_LONG),
  compare: (a: number | bigint, b: number | bigint) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0),
});

type Convert = (v: unknown) => unknown;

/** The JS kind of a plain value of an Avro type: unions whose non-null branches have distinct kinds are unwrapped. */
function kindOf(t: avro.Type): string {
  switch (t.typeName) {
    case 'int': case 'long': case 'abstract:long': case 'float': case 'double': return 'number';
    case 'bytes': case 'fixed': return 'buffer';
    case 'enum': case 'string': return 'string';
    case 'record': case 'error': case 'map': return 'object';
    default: return t.typeName.startsWith('logical:') ? kindOf((t as unknown as { underlyingType: avro.Type }).underlyingType) : t.typeName;
  }
}

function valueKind(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'bigint') return 'number';
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return 'buffer';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Union branches, and whether the plain view leaves the union unwrapped. */
function unionInfo(t: avro.Type): { branches: avro.Type[]; unwrapped: boolean } {
  const branches = (t as unknown as { types: avro.Type[] }).types;
  const kinds = branches.map(kindOf);
  return { branches, unwrapped: new Set(kinds).size === kinds.length };
}

/**
 * Converters between avsc values (parsed with wrapUnions, so the branch is exact) and the plain view: records as
 * plain objects, unambiguous unions unwrapped, ambiguous ones as `{branchName: value}`. Compiled once per type.
 */
class Converters {
  private readonly toPlainCache = new Map<avro.Type, Convert>();
  private readonly toNativeCache = new Map<avro.Type, Convert>();

  toPlain(t: avro.Type): Convert {
    let c = this.toPlainCache.get(t);
    if (c !== undefined) return c;
    let impl: Convert = (v) => v;
    c = (v) => impl(v); // a recursive type refers back to itself through this indirection
    this.toPlainCache.set(t, c);
    switch (t.typeName) {
      case 'record': case 'error': {
        const fields = (t as unknown as { fields: { name: string; type: avro.Type }[] }).fields.map((f) => [f.name, this.toPlain(f.type)] as const);
        impl = (v) => { const o: JsonObject = {}; const r = v as JsonObject; for (const [n, conv] of fields) o[n] = conv(r[n]); return o; };
        break;
      }
      case 'array': { const items = this.toPlain((t as unknown as { itemsType: avro.Type }).itemsType); impl = (v) => (v as unknown[]).map(items); break; }
      case 'map': {
        const values = this.toPlain((t as unknown as { valuesType: avro.Type }).valuesType);
        impl = (v) => { const o: JsonObject = {}; for (const [k, x] of Object.entries(v as JsonObject)) o[k] = values(x); return o; };
        break;
      }
      case 'union:wrapped': {
        const { branches, unwrapped } = unionInfo(t);
        const byName = new Map(branches.map((b) => [b.branchName as string, this.toPlain(b)]));
        impl = (v) => {
          if (v === null) return null;
          const [name, inner] = Object.entries(v as JsonObject)[0] as [string, unknown];
          const conv = byName.get(name) as Convert;
          return unwrapped ? conv(inner) : { [name]: conv(inner) };
        };
        break;
      }
      default: break;
    }
    return c;
  }

  toNative(t: avro.Type): Convert {
    let c = this.toNativeCache.get(t);
    if (c !== undefined) return c;
    let impl: Convert = (v) => v;
    c = (v) => impl(v);
    this.toNativeCache.set(t, c);
    switch (t.typeName) {
      case 'record': case 'error': {
        const fields = (t as unknown as { fields: { name: string; type: avro.Type }[] }).fields.map((f) => [f.name, this.toNative(f.type)] as const);
        impl = (v) => {
          if (v === null || typeof v !== 'object' || Array.isArray(v)) return v; // left for avsc to reject with its path
          const o: JsonObject = {}; const r = v as JsonObject; for (const [n, conv] of fields) o[n] = conv(r[n]); return o;
        };
        break;
      }
      case 'array': { const items = this.toNative((t as unknown as { itemsType: avro.Type }).itemsType); impl = (v) => (Array.isArray(v) ? v.map(items) : v); break; }
      case 'map': {
        const values = this.toNative((t as unknown as { valuesType: avro.Type }).valuesType);
        impl = (v) => {
          if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
          const o: JsonObject = {}; for (const [k, x] of Object.entries(v as JsonObject)) o[k] = values(x); return o;
        };
        break;
      }
      case 'union:wrapped': {
        const { branches, unwrapped } = unionInfo(t);
        const byName = new Map(branches.map((b) => [b.branchName as string, this.toNative(b)]));
        const byKind = new Map(branches.map((b) => [kindOf(b), b]));
        impl = (v) => {
          if (v === null || v === undefined) return null;
          if (unwrapped) {
            const b = byKind.get(valueKind(v));
            return b === undefined ? v : { [b.branchName as string]: (byName.get(b.branchName as string) as Convert)(v) };
          }
          const entries = typeof v === 'object' ? Object.entries(v as JsonObject) : [];
          const conv = entries.length === 1 ? byName.get((entries[0] as [string, unknown])[0]) : undefined;
          return conv === undefined ? v : { [(entries[0] as [string, unknown])[0]]: conv((entries[0] as [string, unknown])[1]) };
        };
        break;
      }
      // Bytes may come back from a serde that writes them as Base64 text (Kryptonite's AVRO serde does).
      case 'bytes': case 'fixed': impl = (v) => (typeof v === 'string' ? Buffer.from(v, 'base64') : v); break;
      default: break;
    }
    return c;
  }
}

class AvroSchema implements SrSchema {
  readonly type = 'AVRO' as const;
  private readonly avroType: avro.Type;
  private readonly toPlainFn: Convert;
  private readonly toNativeFn: Convert;

  constructor(private readonly raw: unknown, private readonly id: number) {
    try {
      this.avroType = avro.Type.forSchema(raw as avro.Schema, { wrapUnions: true, registry: { long: LongType } as never });
    } catch (err) {
      throw new SchemaMismatchError('SR_SCHEMA_INVALID', `schema id ${id} is not a usable Avro schema`, { cause: err });
    }
    if (this.avroType.typeName !== 'record') {
      throw new SchemaMismatchError('SR_SCHEMA_UNSUPPORTED', `schema id ${id}: only Avro records can carry encrypted fields, found ${this.avroType.typeName}`);
    }
    const conv = new Converters();
    this.toPlainFn = conv.toPlain(this.avroType);
    this.toNativeFn = conv.toNative(this.avroType);
  }

  decode(payload: Buffer): DecodedRecord {
    let native: unknown;
    try {
      native = this.avroType.fromBuffer(payload);
    } catch (err) {
      throw new SchemaMismatchError('SR_PAYLOAD_MISMATCH', `payload does not decode with Avro schema id ${this.id}`, { cause: err });
    }
    return { record: this.toPlainFn(native) as JsonObject, variant: '' };
  }

  encode(record: JsonObject): Buffer {
    const native = this.toNativeFn(record);
    const paths: string[] = [];
    // avsc's own messages quote the value, which may be plaintext: report paths only.
    if (!this.avroType.isValid(native, { errorHook: (p: string[]) => { paths.push(p.join('.')); } })) {
      throw new SchemaMismatchError('SR_RECORD_MISMATCH', `record does not fit Avro schema id ${this.id} at ${[...new Set(paths)].join(', ') || '(root)'}`);
    }
    return this.avroType.toBuffer(native);
  }

  deriveEncrypted(fields: CompiledFields, delimiter: string): DerivedSchema | undefined {
    return deriveAvroSchema(this.raw, fields, delimiter, this.id);
  }
}

export const avroFormat: SrFormat = {
  type: 'AVRO',
  parse(schema: string, id: number, hasReferences: boolean): SrSchema {
    if (hasReferences) throw new SchemaMismatchError('SR_SCHEMA_UNSUPPORTED', `Avro schema id ${id} uses schema references, which are not supported`);
    let raw: unknown;
    try { raw = JSON.parse(schema); } catch (err) {
      throw new SchemaMismatchError('SR_SCHEMA_INVALID', `schema id ${id} is not Avro JSON`, { cause: err });
    }
    return new AvroSchema(raw, id);
  },
};
