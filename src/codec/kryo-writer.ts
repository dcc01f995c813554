// Kryo `writeClassAndObject` for JS values, producing the bytes Kryptonite's KryoInstance would write for the mapped Java value.
import { SerdeError } from '../errors';
import { KryoOutput } from './kryo-output';
import { KryoId, kryoAcceptsNull } from './kryo-registry';
import { KRYO_MAX_DEPTH } from './kryo-reader';

const NULL_CLASS = -1;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/** The registration id of the Java class a JS value maps to (see the table in kryo-serde.ts); -1 for null/undefined. */
export function kryoClassOf(v: unknown): number {
  switch (typeof v) {
    case 'string':
      return KryoId.STRING;
    case 'number':
      if ((v | 0) === v && (v !== 0 || 1 / v > 0)) return KryoId.INTEGER;
      return Number.isSafeInteger(v) && !Object.is(v, -0) ? KryoId.LONG : KryoId.DOUBLE;
    case 'boolean':
      return KryoId.BOOLEAN;
    case 'bigint':
      if (v < INT64_MIN || v > INT64_MAX) {
        throw new SerdeError('KRYO_OUT_OF_RANGE', 'cannot serialize a bigint outside the Java long range with KRYO');
      }
      return KryoId.LONG;
    case 'undefined':
      return NULL_CLASS;
    case 'object': {
      if (v === null) return NULL_CLASS;
      if (Array.isArray(v)) return KryoId.ARRAY_LIST;
      if (v instanceof Uint8Array) return KryoId.BYTE_ARRAY;
      if (v instanceof Map) return KryoId.LINKED_HASH_MAP;
      const proto: unknown = Object.getPrototypeOf(v);
      if (proto === Object.prototype || proto === null) return KryoId.LINKED_HASH_MAP;
      throw unsupportedType(v);
    }
    default:
      throw unsupportedType(v);
  }
}

export class KryoWriter {
  private depth = 0;

  constructor(readonly out: KryoOutput) {}

  writeClassAndObject(v: unknown): void {
    const id = kryoClassOf(v);
    if (id === NULL_CLASS) {
      this.out.writeByte(0);
      return;
    }
    this.out.writeVarUint(id + 2);
    this.writePayload(id, v);
  }

  private writePayload(id: number, v: unknown): void {
    const out = this.out;
    switch (id) {
      case KryoId.STRING: out.writeString(v as string); return;
      case KryoId.INTEGER: out.writeVarIntZigZag(v as number); return;
      case KryoId.LONG: out.writeVarLongZigZag(v as number | bigint); return;
      case KryoId.DOUBLE: out.writeFloat64LE(v as number); return;
      case KryoId.BOOLEAN: out.writeBoolean(v as boolean); return;
      case KryoId.BYTE_ARRAY: {
        const bytes = v as Uint8Array;
        out.writeVarUint(bytes.length + 1);
        out.writeBytes(bytes);
        return;
      }
      case KryoId.ARRAY_LIST:
      case KryoId.LINKED_HASH_MAP:
        if (++this.depth > KRYO_MAX_DEPTH) {
          throw new SerdeError('KRYO_TOO_DEEP', `value nests deeper than ${KRYO_MAX_DEPTH} levels (cyclic?)`);
        }
        try {
          if (id === KryoId.ARRAY_LIST) this.writeCollection(v as readonly unknown[]);
          else this.writeMap(v as object);
        } finally {
          this.depth--;
        }
        return;
      default: throw new Error(`unreachable Kryo class id ${id}`);
    }
  }

  /** Kryo `writeObjectOrNull` with the element class's serializer. */
  private writeObjectOrNull(id: number, v: unknown): void {
    const acceptsNull = kryoAcceptsNull(id);
    if (v === null || v === undefined) {
      // Serializers that accept null write their own null form: String 0x80, everything else we emit 0x00.
      this.out.writeByte(acceptsNull && id === KryoId.STRING ? 0x80 : 0);
      return;
    }
    if (!acceptsNull) this.out.writeByte(1);
    this.writePayload(id, v);
  }

  /** Kryo `CollectionSerializer.write` (ArrayList, no generics): shared element class + has-null byte, or class per element. */
  private writeCollection(list: readonly unknown[]): void {
    const out = this.out;
    const n = list.length;
    if (n === 0) {
      out.writeByte(1);
      return;
    }
    let common = NULL_CLASS;
    let hasNull = false;
    let mixed = false;
    for (let i = 0; i < n; i++) {
      const id = kryoClassOf(list[i]);
      if (id === NULL_CLASS) hasNull = true;
      else if (common === NULL_CLASS) common = id;
      else if (id !== common) {
        mixed = true;
        break;
      }
    }
    if (mixed) {
      out.writeVarIntFlag(false, n + 1);
      for (let i = 0; i < n; i++) this.writeClassAndObject(list[i]);
      return;
    }
    out.writeVarIntFlag(true, n + 1);
    if (common === NULL_CLASS) {
      out.writeByte(0);
      return;
    }
    out.writeVarUint(common + 2);
    out.writeBoolean(hasNull);
    if (hasNull) for (let i = 0; i < n; i++) this.writeObjectOrNull(common, list[i]);
    else for (let i = 0; i < n; i++) this.writePayload(common, list[i]);
  }

  /** Kryo `MapSerializer.write` for a LinkedHashMap built from a plain object (own enumerable keys) or a string-keyed Map. */
  private writeMap(obj: object): void {
    const out = this.out;
    if (obj instanceof Map) {
      if (obj.size === 0) {
        out.writeByte(1);
        return;
      }
      out.writeVarUint(obj.size + 1);
      for (const [key, value] of obj as Map<unknown, unknown>) {
        if (typeof key !== 'string') {
          throw new SerdeError('KRYO_UNSUPPORTED_TYPE', `cannot serialize a Map key of JS type ${typeName(key)} with KRYO (only string keys)`);
        }
        out.writeVarUint(KryoId.STRING + 2);
        out.writeString(key);
        this.writeClassAndObject(value);
      }
      return;
    }
    const keys = Object.keys(obj);
    const n = keys.length;
    if (n === 0) {
      out.writeByte(1);
      return;
    }
    out.writeVarUint(n + 1);
    const record = obj as Record<string, unknown>;
    for (let i = 0; i < n; i++) {
      const key = keys[i] as string;
      out.writeVarUint(KryoId.STRING + 2);
      out.writeString(key);
      this.writeClassAndObject(record[key]);
    }
  }
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v !== 'object') return typeof v;
  const ctor = (Object.getPrototypeOf(v) as { constructor?: { name?: unknown } } | null)?.constructor;
  return typeof ctor?.name === 'string' && ctor.name !== '' ? ctor.name : 'object';
}

function unsupportedType(v: unknown): SerdeError {
  return new SerdeError(
    'KRYO_UNSUPPORTED_TYPE',
    `cannot serialize a JS ${typeName(v)} with KRYO (supported: null, boolean, number, bigint, string, Buffer/Uint8Array, array, plain object, Map with string keys)`,
  );
}
