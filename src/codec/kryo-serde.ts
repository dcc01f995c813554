// The KRYO plaintext serde (code "00"): Kryo 5.6.2 writeClassAndObject/readClassAndObject with Kryptonite 0.7.0's registrations.
//
// JS → Java on write (mirrors what Jackson gives Kryptonite's Funqy/Kroxylicious modules):
//   null, undefined                       → null                         00
//   boolean                               → java.lang.Boolean            05
//   number, integral and in int32         → java.lang.Integer            02
//   number, other safe integer            → java.lang.Long               09
//   number, anything else (fractions, NaN, ±Infinity, -0, integers beyond ±(2^53-1))
//                                         → java.lang.Double             0A
//   bigint within the Java long range     → java.lang.Long               09  (outside the range: SerdeError)
//   string                                → java.lang.String             03
//   Buffer / Uint8Array                   → byte[]                       12
//   array                                 → java.util.ArrayList          15  (holes and undefined elements become null)
//   plain object (prototype Object or null), Map with string keys
//                                         → java.util.LinkedHashMap      19  (Object.keys / insertion order; an
//                                           undefined property value is kept as a null entry)
//   anything else (Date, functions, symbols, class instances, other typed arrays, non-string Map keys) → SerdeError
//
// Java → JS on read (every marker that can carry plain data):
//   Integer, Short, Byte, Float, Double   → number (Float widened exactly to double)
//   Long                                  → number when |v| <= 2^53-1, else bigint
//   Character                             → 1-character string (one UTF-16 unit)
//   Boolean → boolean; String, avro Utf8  → string
//   byte[], java.nio.HeapByteBuffer       → Buffer
//   BigDecimal                            → string, exactly Java's BigDecimal.toString() (exact value and scale;
//                                           E-notation for negative scales and values below 1e-6, e.g. "1.50", "1E+3")
//   ArrayList, LinkedList, HashSet, LinkedHashSet, Arrays$ArrayList, List.of/Set.of (ListN, List12, SetN),
//   Collections.unmodifiable*/synchronized* wrappers, Object[], String[], wrapper and primitive arrays
//                                         → array (char[] → array of 1-character strings; byte[] stays a Buffer)
//   HashMap, LinkedHashMap, Map.of (Map1, MapN) with String keys → plain object (other key classes: SerdeError)
//   Connect Struct (schema-aware SMT, OBJECT mode) → plain object keyed by field name (schema dropped)
//   java.sql dates, Flink rows, Avro records/arrays/enums/fixed, by-name classes → SerdeError (unsupported)
// Malformed, truncated or trailing bytes → SerdeError naming the offset (and marker), never the bytes.
import { SerdeError } from '../errors';
import { KryoInput } from './kryo-input';
import { KryoOutput } from './kryo-output';
import { KryoReader } from './kryo-reader';
import { KryoWriter } from './kryo-writer';
import type { PlaintextSerde } from './serde';

/** Writers larger than this after a call are dropped rather than pooled, so one huge value does not pin memory. */
const POOLED_CAPACITY_LIMIT = 64 * 1024;
let pooled: KryoOutput | null = null;

/** Kryo `writeClassAndObject(value)` bytes for a JS value (mapping above). */
export function kryoSerialize(value: unknown): Buffer {
  const out = pooled ?? new KryoOutput();
  pooled = null; // re-entrancy safe: a nested call gets its own writer
  try {
    out.reset();
    new KryoWriter(out).writeClassAndObject(value);
    return out.toBuffer();
  } finally {
    if (out.capacity <= POOLED_CAPACITY_LIMIT) pooled = out;
  }
}

/** Kryo `readClassAndObject` of the whole input (mapping above). */
export function kryoDeserialize(bytes: Uint8Array): unknown {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const input = new KryoInput(buf);
  if (buf.length === 0) throw input.malformed('empty input');
  const value = new KryoReader(input).readClassAndObject();
  if (input.remaining !== 0) {
    throw new SerdeError('KRYO_MALFORMED', `malformed Kryo data: ${input.remaining} trailing byte(s) after the value at offset ${input.pos}`);
  }
  return value;
}

export const kryoSerde: PlaintextSerde = {
  name: 'KRYO',
  code: '00',
  serialize: (value: unknown) => kryoSerialize(value),
  deserialize: (bytes: Uint8Array) => kryoDeserialize(bytes),
};
