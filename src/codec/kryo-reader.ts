// Kryo `readClassAndObject` for Kryptonite's registrations: turns Java-written plaintext bytes into JS values.
import { SerdeError } from '../errors';
import { KryoInput } from './kryo-input';
import { KryoId, kryoAcceptsNull, kryoClassName } from './kryo-registry';
import { readConnectStruct } from './kryo-struct';

/** Deeper nesting than this is treated as malformed (protects the stack; real field values are far shallower). */
export const KRYO_MAX_DEPTH = 1000;
/** A list of only nulls costs no bytes per element on the wire; cap it so a few crafted bytes cannot exhaust memory. */
const MAX_ALL_NULL_ELEMENTS = 1 << 20;

export class KryoReader {
  private depth = 0;

  constructor(readonly input: KryoInput) {}

  readClassAndObject(): unknown {
    const at = this.input.pos;
    const marker = this.input.readVarUint();
    if (marker === 0) return null;
    if (marker === 1) throw unsupported('a class written by name (legacy unregistered class, marker 01)', at);
    return this.readPayload(marker - 2, at);
  }

  /** Kryo `readObjectOrNull` for a known class: a presence byte unless the serializer encodes null itself. */
  readObjectOrNull(id: number, at: number): unknown {
    if (kryoAcceptsNull(id)) return this.readPayload(id, at);
    if (this.input.readByte() === 0) return null;
    return this.readPayload(id, at);
  }

  readPayload(id: number, at: number): unknown {
    const input = this.input;
    switch (id) {
      case KryoId.INTEGER: return input.readVarIntZigZag();
      case KryoId.STRING: return input.readString();
      case KryoId.FLOAT: return input.readFloat32LE();
      case KryoId.BOOLEAN: return input.readBoolean();
      case KryoId.BYTE: return (input.readByte() << 24) >> 24;
      case KryoId.CHARACTER: return String.fromCharCode(input.readUint16LE());
      case KryoId.SHORT: return input.readInt16LE();
      case KryoId.LONG: return input.readVarLongZigZag();
      case KryoId.DOUBLE: return input.readFloat64LE();
      case KryoId.BYTE_ARRAY: {
        const n = input.readVarUint();
        return n === 0 ? null : input.readBytes(n - 1, 'byte[]');
      }
      case KryoId.BIG_DECIMAL: return this.readBigDecimal();
      case KryoId.ARRAY_LIST: case KryoId.LINKED_LIST: case KryoId.HASH_SET: case KryoId.LINKED_HASH_SET:
      case KryoId.ARRAYS_AS_LIST: case KryoId.IMMUTABLE_LIST_N: case KryoId.IMMUTABLE_LIST_12: case KryoId.IMMUTABLE_SET_N:
      case KryoId.HASH_MAP: case KryoId.LINKED_HASH_MAP: case KryoId.IMMUTABLE_MAP_1: case KryoId.IMMUTABLE_MAP_N:
      case KryoId.OBJECT_ARRAY: case KryoId.CONNECT_STRUCT:
        return this.readNested(id, at);
      case KryoId.STRING_ARRAY: return this.readArray(() => input.readString());
      case KryoId.INTEGER_ARRAY: return this.readWrapperArray(KryoId.INTEGER);
      case KryoId.LONG_WRAPPER_ARRAY: return this.readWrapperArray(KryoId.LONG);
      case KryoId.DOUBLE_WRAPPER_ARRAY: return this.readWrapperArray(KryoId.DOUBLE);
      case KryoId.FLOAT_WRAPPER_ARRAY: return this.readWrapperArray(KryoId.FLOAT);
      case KryoId.SHORT_WRAPPER_ARRAY: return this.readWrapperArray(KryoId.SHORT);
      case KryoId.BYTE_WRAPPER_ARRAY: return this.readWrapperArray(KryoId.BYTE);
      case KryoId.BOOLEAN_WRAPPER_ARRAY: return this.readWrapperArray(KryoId.BOOLEAN);
      case KryoId.INT_ARRAY: return this.readArray(() => input.readVarIntZigZag());
      case KryoId.LONG_ARRAY: return this.readArray(() => input.readVarLongZigZag());
      case KryoId.DOUBLE_ARRAY: return this.readArray(() => input.readFloat64LE(), 8);
      case KryoId.FLOAT_ARRAY: return this.readArray(() => input.readFloat32LE(), 4);
      case KryoId.SHORT_ARRAY: return this.readArray(() => input.readInt16LE(), 2);
      case KryoId.BOOLEAN_ARRAY: return this.readArray(() => input.readBoolean());
      case KryoId.CHAR_ARRAY: return this.readArray(() => String.fromCharCode(input.readUint16LE()), 2);
      case KryoId.AVRO_UTF8: {
        const s = input.readString();
        if (s === null) throw input.malformed('null inside an avro Utf8', at);
        return s;
      }
      case KryoId.HEAP_BYTE_BUFFER: {
        const n = input.readInt32LE();
        if (n < 0) throw input.malformed('negative ByteBuffer length', at);
        return input.readBytes(n, 'ByteBuffer');
      }
      default:
        if (id >= KryoId.UNMODIFIABLE_FIRST && id <= KryoId.SYNCHRONIZED_LAST) return this.readNested(id, at);
        throw unsupported(`class ${kryoClassName(id)} (marker 0x${(id + 2).toString(16).padStart(2, '0')})`, at);
    }
  }

  private readNested(id: number, at: number): unknown {
    if (++this.depth > KRYO_MAX_DEPTH) throw this.input.malformed(`nesting deeper than ${KRYO_MAX_DEPTH}`);
    try {
      switch (id) {
        case KryoId.IMMUTABLE_LIST_N: case KryoId.IMMUTABLE_LIST_12: case KryoId.IMMUTABLE_SET_N:
          // Kryo's JdkImmutable*Serializers set elementsCanBeNull=false: no has-null byte, no presence bytes.
          return this.readCollection(false);
        case KryoId.HASH_MAP: case KryoId.LINKED_HASH_MAP: case KryoId.IMMUTABLE_MAP_1: case KryoId.IMMUTABLE_MAP_N:
          return this.readMap();
        case KryoId.OBJECT_ARRAY:
          return this.readArray(() => this.readClassAndObject());
        case KryoId.CONNECT_STRUCT:
          return readConnectStruct(this, this.depth);
        default:
          return id >= KryoId.UNMODIFIABLE_FIRST && id <= KryoId.SYNCHRONIZED_LAST ? this.readWrapper(id, at) : this.readCollection(true);
      }
    } finally {
      this.depth--;
    }
  }

  /** Kryo `CollectionSerializer.read` with no generic type info. */
  private readCollection(elementsCanBeNull: boolean): unknown[] | null {
    const input = this.input;
    const sameType = (input.peekByte() & 0x80) !== 0;
    const count = input.readVarIntFlag();
    if (count === 0) return null;
    const n = count - 1;
    if (n === 0) return [];
    if (!sameType) {
      this.checkCount(n, 1);
      const out = new Array<unknown>(n);
      for (let i = 0; i < n; i++) out[i] = this.readClassAndObject();
      return out;
    }
    const at = input.pos;
    const marker = input.readVarUint();
    if (marker === 0) {
      if (n > MAX_ALL_NULL_ELEMENTS) throw input.malformed(`implausible all-null collection of ${n} elements`, at);
      return new Array<unknown>(n).fill(null);
    }
    if (marker === 1) throw unsupported('a collection element class written by name (marker 01)', at);
    const id = marker - 2;
    const canBeNull = elementsCanBeNull && input.readBoolean();
    this.checkCount(n, 1);
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) out[i] = canBeNull ? this.readObjectOrNull(id, at) : this.readPayload(id, at);
    return out;
  }

  /** Kryo `MapSerializer.read`: size+1, then class-tagged key and value per entry. Only String keys map to JS objects. */
  private readMap(): Record<string, unknown> | null {
    const input = this.input;
    const count = input.readVarUint();
    if (count === 0) return null;
    const n = count - 1;
    this.checkCount(n, 2);
    const out: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const at = input.pos;
      const marker = input.readVarUint();
      if (marker !== KryoId.STRING + 2 && marker !== KryoId.AVRO_UTF8 + 2) {
        const what = marker === 0 ? 'null' : marker === 1 ? 'a by-name class' : kryoClassName(marker - 2);
        throw unsupported(`map key of class ${what} (only String keys become JS object properties)`, at);
      }
      const key = input.readString();
      if (key === null) throw unsupported('null map key', at);
      const value = this.readClassAndObject();
      if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      else out[key] = value;
    }
    return out;
  }

  /** kryo-serializers' Unmodifiable/SynchronizedCollectionsSerializer: varint kind ordinal, then the wrapped object. */
  private readWrapper(id: number, at: number): unknown {
    // Java trusts the ordinal (not the marker) to pick the wrapper kind; for JS both unwrap to the inner value.
    const ordinal = this.input.readVarUint();
    if (ordinal > 6) throw this.input.malformed(`invalid ${kryoClassName(id)} kind ordinal ${ordinal}`, at);
    return this.readClassAndObject();
  }

  /** Kryo array serializers: varint(length+1) (0 = null), then the elements. */
  private readArray(readElement: () => unknown, minBytes = 1): unknown[] | null {
    const count = this.input.readVarUint();
    if (count === 0) return null;
    const n = count - 1;
    this.checkCount(n, minBytes);
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) out[i] = readElement();
    return out;
  }

  /** `ObjectArraySerializer` on a final wrapper type: each element through `writeObjectOrNull` (presence byte). */
  private readWrapperArray(elementId: number): unknown[] | null {
    const at = this.input.pos;
    return this.readArray(() => this.readObjectOrNull(elementId, at));
  }

  private checkCount(n: number, minBytesEach: number): void {
    if (n > this.input.remaining / minBytesEach) {
      throw this.input.malformed(`element count ${n} exceeds the ${this.input.remaining} bytes left`);
    }
  }

  /** Kryo `BigDecimalSerializer`: varint(n+1), n big-endian two's-complement bytes of the unscaled value, zigzag scale. */
  private readBigDecimal(): string | null {
    const input = this.input;
    const at = input.pos;
    const count = input.readVarUint();
    if (count === 0) return null;
    if (count === 1) throw input.malformed('BigDecimal with an empty unscaled value', at);
    const bytes = input.readBytes(count - 1, 'BigDecimal');
    let unscaled = BigInt('0x' + bytes.toString('hex'));
    if (((bytes[0] as number) & 0x80) !== 0) unscaled -= 1n << BigInt(bytes.length * 8);
    const scale = input.readVarIntZigZag();
    return javaBigDecimalString(unscaled, scale);
  }
}

/** Java's `BigDecimal.toString()`: exact, keeps the scale, switches to E-notation for negative scales or tiny values. */
export function javaBigDecimalString(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const coeff = (negative ? -unscaled : unscaled).toString();
  const sign = negative ? '-' : '';
  if (scale === 0) return sign + coeff;
  const adjusted = -scale + (coeff.length - 1);
  if (scale > 0 && adjusted >= -6) {
    const pad = scale - coeff.length;
    if (pad >= 0) return `${sign}0.${'0'.repeat(pad)}${coeff}`;
    return `${sign}${coeff.slice(0, coeff.length - scale)}.${coeff.slice(coeff.length - scale)}`;
  }
  const mantissa = coeff.length > 1 ? `${coeff[0]}.${coeff.slice(1)}` : coeff;
  if (adjusted === 0) return sign + mantissa;
  return `${sign}${mantissa}E${adjusted > 0 ? '+' : ''}${adjusted}`;
}

function unsupported(what: string, at: number): SerdeError {
  return new SerdeError('KRYO_UNSUPPORTED_CLASS', `unsupported Kryo data at offset ${at}: ${what}`);
}
