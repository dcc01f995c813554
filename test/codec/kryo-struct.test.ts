// Connect Struct plaintexts (marker 0E) from the schema-aware SMT: the §3.8 example and hand-built layouts.
import { KryoOutput } from '../../src/codec/kryo-output';
import { kryoDeserialize, kryoSerialize } from '../../src/codec/kryo-serde';
import { SerdeError } from '../../src/errors';

const TYPE_ORDINAL = { INT8: 0, INT16: 1, INT32: 2, INT64: 3, FLOAT32: 4, FLOAT64: 5, BOOLEAN: 6, STRING: 7, BYTES: 8, ARRAY: 9, MAP: 10, STRUCT: 11 };
type T = keyof typeof TYPE_ORDINAL;

interface SchemaSpec {
  type: T;
  name?: string;
  optional?: boolean;
  /** Raw bytes of the default as Kryptonite writes it (writeObjectOrNull with the value's class); omitted = null (00). */
  defaultHex?: string;
  version?: number;
  doc?: string;
  /** Raw class-tagged parameters map; omitted = 00. */
  paramsHex?: string;
  fields?: [string, SchemaSpec][];
  value?: SchemaSpec;
  key?: SchemaSpec;
}

/** Writes a schema in SchemaSerializer layout (wire-format §3.8), independently of the reader under test. */
function schema(o: KryoOutput, s: SchemaSpec): void {
  o.writeByte(0x10);
  o.writeVarUint(TYPE_ORDINAL[s.type] + 1);
  o.writeString(s.name ?? null);
  o.writeBoolean(s.optional ?? false);
  o.writeBytes(Buffer.from(s.defaultHex ?? '00', 'hex'));
  if (s.version === undefined) o.writeByte(0);
  else {
    o.writeByte(1);
    o.writeVarIntZigZag(s.version);
  }
  o.writeString(s.doc ?? null);
  o.writeBytes(Buffer.from(s.paramsHex ?? '00', 'hex'));
  if (s.type === 'STRUCT') {
    o.writeInt32LE(s.fields?.length ?? 0);
    (s.fields ?? []).forEach(([name, f], i) => {
      o.writeString(name);
      o.writeInt32LE(i);
      schema(o, f);
    });
  } else if (s.type === 'ARRAY') {
    schema(o, s.value as SchemaSpec);
  } else if (s.type === 'MAP') {
    schema(o, s.key as SchemaSpec);
    schema(o, s.value as SchemaSpec);
  }
}

/** 0E · schema · values, where values are already-encoded class-tagged field values (inlined nested structs included). */
function struct(s: SchemaSpec, valuesHex: string): Buffer {
  const o = new KryoOutput();
  o.writeByte(0x0e);
  schema(o, s);
  o.writeBytes(Buffer.from(valuesHex.replace(/\s+/g, ''), 'hex'));
  return o.toBuffer();
}
const tagged = (v: unknown): string => kryoSerialize(v).toString('hex');

test('wire-format §3.8 example (reproduced with real Kryo there)', () => {
  const bytes = Buffer.from(
    ('0e 10 0c 70 65 72 73 6f ee 00 00 00 80 00 02 00 00 00 6e 61 6d e5 00 00 00 00 10 08 80 00 00 00 80 00 ' +
    '61 67 e5 01 00 00 00 10 03 80 01 00 00 80 00 03 41 ec 02 3c').replace(/\s+/g, ''), 'hex');
  expect(bytes.equals(struct({ type: 'STRUCT', name: 'person', fields: [['name', { type: 'STRING' }], ['age', { type: 'INT32', optional: true }]] },
    tagged('Al') + tagged(30)))).toBe(true);
  expect(kryoDeserialize(bytes)).toEqual({ name: 'Al', age: 30 });
});

test('nested STRUCT fields are inlined; ARRAY and MAP fields carry their own values', () => {
  const inner: SchemaSpec = { type: 'STRUCT', name: 'inner', optional: true, fields: [['a', { type: 'STRING' }], ['b', { type: 'BOOLEAN', optional: true }]] };
  const s: SchemaSpec = {
    type: 'STRUCT', name: 'outer', fields: [
      ['id', { type: 'INT64' }], ['inner', inner], ['tags', { type: 'ARRAY', value: { type: 'STRING' } }],
      ['attrs', { type: 'MAP', optional: true, key: { type: 'STRING' }, value: { type: 'INT32' } }], ['last', { type: 'FLOAT64' }],
    ],
  };
  const values = tagged(5n) + tagged('x') + '00' + tagged(['a', null]) + '18 02 03 82 6b 02 02' + tagged(2.5);
  expect(kryoDeserialize(struct(s, values))).toEqual({ id: 5, inner: { a: 'x', b: null }, tags: ['a', null], attrs: { k: 1 }, last: 2.5 });
});

test('Decimal field with parameters (unmodifiableMap), version and doc; BigDecimal value as its exact string', () => {
  // Connect wraps parameters in Collections.unmodifiableMap: marker 2B, kind ordinal 5 (MAP), then the LinkedHashMap.
  const params = '2b05' + tagged({ scale: '2', 'connect.decimal.precision': '10' });
  const decimal: SchemaSpec = { type: 'BYTES', name: 'org.apache.kafka.connect.data.Decimal', version: 1, doc: 'money', paramsHex: params };
  const bytes = struct({ type: 'STRUCT', name: 'order', version: 3, doc: 'an order', fields: [['amount', decimal]] }, '13 03 30 39 04');
  expect(kryoDeserialize(bytes)).toEqual({ amount: '123.45' });
});

test.each([
  ['STRING default (bare string)', { type: 'STRING', defaultHex: tagged('dflt').slice(2) }],
  ['INT32 default (presence byte + zigzag)', { type: 'INT32', defaultHex: '01 0e' }],
  ['INT64 default', { type: 'INT64', defaultHex: '01 feffffffffffffffff' }],
  ['INT8 default', { type: 'INT8', defaultHex: '01 ff' }],
  ['INT16 default', { type: 'INT16', defaultHex: '01 0100' }],
  ['FLOAT32 default', { type: 'FLOAT32', defaultHex: '01 0000c03f' }],
  ['FLOAT64 default', { type: 'FLOAT64', defaultHex: '01 1f85eb51b81e0940' }],
  ['BOOLEAN default', { type: 'BOOLEAN', defaultHex: '01 01' }],
  ['BYTES default (byte[])', { type: 'BYTES', defaultHex: '03 0102' }],
  ['Decimal default (BigDecimal)', { type: 'BYTES', name: 'org.apache.kafka.connect.data.Decimal', defaultHex: '02 05 04' }],
] as [string, SchemaSpec][])('schema with a %s is skipped correctly', (_name, field) => {
  const spec = { ...field, defaultHex: field.defaultHex?.replace(/\s+/g, '') };
  const bytes = struct({ type: 'STRUCT', fields: [['f', spec], ['g', { type: 'STRING' }]] }, tagged(null) + tagged('after'));
  expect(kryoDeserialize(bytes)).toEqual({ f: null, g: 'after' });
});

test('an ArrayList of Structs (ARRAY<STRUCT> field) reads each element struct', () => {
  const item: SchemaSpec = { type: 'STRUCT', name: 'item', fields: [['n', { type: 'INT32' }]] };
  const itemBytes = (n: number): string => struct(item, tagged(n)).toString('hex').slice(2); // without the 0E marker
  // CollectionSerializer, same class (Struct, 0E), has-null byte 01, then presence byte per element (Struct serializer rejects null).
  const list = '15 84 0e 01' + '01' + itemBytes(1) + '00' + '01' + itemBytes(2);
  const bytes = struct({ type: 'STRUCT', fields: [['items', { type: 'ARRAY', value: item }]] }, list.replace(/\s+/g, ''));
  expect(kryoDeserialize(bytes)).toEqual({ items: [{ n: 1 }, null, { n: 2 }] });
});

describe('malformed Struct data', () => {
  const good = struct({ type: 'STRUCT', name: 'p', fields: [['a', { type: 'STRING' }], ['b', { type: 'ARRAY', value: { type: 'INT64' } }]] },
    tagged('x') + tagged([1n]));

  test('every truncation fails with a SerdeError', () => {
    expect(kryoDeserialize(good)).toEqual({ a: 'x', b: [1] });
    for (let n = 1; n < good.length; n++) expect(() => kryoDeserialize(good.subarray(0, n))).toThrow(SerdeError);
  });

  test.each([
    ['missing type marker', '0e 05 01', /Schema\$Type marker/],
    ['bad type ordinal', '0e 10 0d 80 00 00 00 80 00', /type ordinal 12/],
    ['top-level schema not a STRUCT', '0e 10 08 80 00 00 00 80 00', /schema of type STRING/],
    ['negative field count', '0e 10 0c 80 00 00 00 80 00 ff ff ff ff', /field count -1/],
    ['ARRAY default', '0e 10 0c 80 00 00 00 80 00 01 00 00 00 82 61 00 00 00 00 10 0a 80 00 15 01', /non-null default for a Connect ARRAY/],
  ])('%s', (_name, h, message) => {
    expect(() => kryoDeserialize(Buffer.from(h.replace(/\s+/g, ''), 'hex'))).toThrow(message);
  });
});
