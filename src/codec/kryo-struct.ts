// Reader for Kryptonite's Kryo StructSerializer (marker 0E): a Connect schema tree, then the field values; read-only.
//
// Layout (KryoSerdeProcessor.StructSerializer/SchemaSerializer, wire-format §3.8):
//   schema := Schema$Type (class-tagged enum: 10, varint ordinal+1) · name (Kryo string) · optional (boolean byte)
//             · default (writeObjectOrNull with the default's own class) · version (00 | 01 zigzag-int) · doc (Kryo string)
//             · parameters (class-tagged map or 00) · STRUCT: fixed-LE int32 count, then per field name, fixed-LE int32
//             index, schema · ARRAY: value schema · MAP: key schema, value schema
//   values := per field in schema order: class-tagged value; a STRUCT-typed field is inlined (its own values, no marker)
// A Struct becomes a plain object keyed by field name. Kryptonite's own reader decodes non-null defaults with Object's
// serializer and so cannot read them back; we read defaults of the primitive types (and Decimal) but discard them.
import type { KryoInput } from './kryo-input';
import { KryoId } from './kryo-registry';

const TYPES = ['INT8', 'INT16', 'INT32', 'INT64', 'FLOAT32', 'FLOAT64', 'BOOLEAN', 'STRING', 'BYTES', 'ARRAY', 'MAP', 'STRUCT'] as const;
type SchemaType = (typeof TYPES)[number];
const DECIMAL_NAME = 'org.apache.kafka.connect.data.Decimal';

interface StructField {
  name: string;
  schema: ConnectSchema;
}

interface ConnectSchema {
  type: SchemaType;
  fields: StructField[];
}

/** What the Struct reader needs from the general reader (kept structural to avoid an import cycle). */
export interface ClassAndObjectReader {
  readonly input: KryoInput;
  readClassAndObject(): unknown;
}

export function readConnectStruct(reader: ClassAndObjectReader, depth: number): Record<string, unknown> {
  const schema = readSchema(reader, depth);
  if (schema.type !== 'STRUCT') throw reader.input.malformed(`Struct schema of type ${schema.type}`);
  return readValues(reader, schema);
}

function readValues(reader: ClassAndObjectReader, schema: ConnectSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of schema.fields) {
    const value = f.schema.type === 'STRUCT' ? readValues(reader, f.schema) : reader.readClassAndObject();
    if (f.name === '__proto__') Object.defineProperty(out, f.name, { value, enumerable: true, writable: true, configurable: true });
    else out[f.name] = value;
  }
  return out;
}

function readSchema(reader: ClassAndObjectReader, depth: number): ConnectSchema {
  const input = reader.input;
  if (depth > 1000) throw input.malformed('Connect schema nests too deeply');
  const at = input.pos;
  if (input.readVarUint() !== KryoId.CONNECT_SCHEMA_TYPE + 2) throw input.malformed('expected a Connect Schema$Type marker (0x10)', at);
  const ordinal = input.readVarUint();
  const type = TYPES[ordinal - 1];
  if (type === undefined) throw input.malformed(`invalid Connect schema type ordinal ${ordinal - 1}`, at);
  const name = input.readString();
  input.readBoolean(); // optional
  skipDefault(reader, type, name);
  if (input.readByte() !== 0) input.readVarIntZigZag(); // version
  input.readString(); // doc
  reader.readClassAndObject(); // parameters
  const fields: StructField[] = [];
  if (type === 'STRUCT') {
    const countAt = input.pos;
    const count = input.readInt32LE();
    if (count < 0 || count > input.remaining / 6) throw input.malformed(`implausible Struct field count ${count}`, countAt);
    for (let i = 0; i < count; i++) {
      const fieldAt = input.pos;
      const fieldName = input.readString();
      if (fieldName === null) throw input.malformed('Struct field without a name', fieldAt);
      input.readInt32LE(); // index
      fields.push({ name: fieldName, schema: readSchema(reader, depth + 1) });
    }
  } else if (type === 'ARRAY') {
    readSchema(reader, depth + 1);
  } else if (type === 'MAP') {
    readSchema(reader, depth + 1);
    readSchema(reader, depth + 1);
  }
  return { type, fields };
}

/** Consumes a schema default written by `writeObjectOrNull(default, default.getClass())` (null → Object's 00). */
function skipDefault(reader: ClassAndObjectReader, type: SchemaType, name: string | null): void {
  const input = reader.input;
  const at = input.pos;
  if (input.peekByte() === 0) {
    input.readByte();
    return;
  }
  switch (type) {
    // Serializers that accept null write the value bare.
    case 'STRING': input.readString(); return;
    case 'BYTES': {
      const n = input.readVarUint();
      if (name === DECIMAL_NAME) {
        input.readBytes(Math.max(0, n - 1), 'BigDecimal default');
        input.readVarIntZigZag();
      } else {
        input.readBytes(Math.max(0, n - 1), 'byte[] default');
      }
      return;
    }
    case 'ARRAY': case 'MAP': case 'STRUCT':
      throw input.malformed(`unsupported non-null default for a Connect ${type} schema`, at);
  }
  // Number and boolean serializers do not accept null: presence byte, then the value.
  input.readByte();
  switch (type) {
    case 'INT8': case 'BOOLEAN': input.readByte(); return;
    case 'INT16': input.readInt16LE(); return;
    case 'INT32': input.readVarIntZigZag(); return;
    case 'INT64': input.readVarLongZigZag(); return;
    case 'FLOAT32': input.readFloat32LE(); return;
    case 'FLOAT64': input.readFloat64LE(); return;
  }
}
