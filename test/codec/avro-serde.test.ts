// Unit tests of the AVRO serde: the spec's worked examples, schema naming rules, errors and round trips.
import fc from 'fast-check';
import { SerdeError } from '../../src/errors';
import { AvroWriter } from '../../src/codec/avro-binary';
import { avroSerde } from '../../src/codec/avro-serde';

const enc = (v: unknown, path = 'p'): Buffer => avroSerde.serialize(v, path);
const schemaOf = (p: Buffer): string => p.subarray(4, 4 + p.readInt32BE(0)).toString('utf8');
const bodyOf = (p: Buffer): string => p.subarray(4 + p.readInt32BE(0)).toString('hex');

function frame(schema: string, body: Buffer | string): Buffer {
  const s = Buffer.from(schema, 'utf8');
  const b = typeof body === 'string' ? Buffer.from(body, 'hex') : body;
  const len = Buffer.alloc(4);
  len.writeInt32BE(s.length);
  return Buffer.concat([len, s, b]);
}

function serdeError(f: () => unknown): SerdeError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SerdeError);
    return e as SerdeError;
  }
  throw new Error('expected a SerdeError');
}

describe('worked examples (wire-format §4.5, §5.4)', () => {
  it('frames the string "hello"', () => {
    expect(enc('hello', 'anything').toString('hex')).toBe('00000008' + '22737472696e6722' + '0a68656c6c6f');
  });

  it('frames {"a":1,"b":"x"} at path payload', () => {
    const p = enc({ a: 1, b: 'x' }, 'payload');
    const schema = '{"type":"record","name":"payload","fields":[{"name":"a","type":"long"},{"name":"b","type":"string"}]}';
    expect(schema.length).toBe(101);
    expect(p.toString('hex')).toBe('00000065' + Buffer.from(schema).toString('hex') + '020278');
    expect(avroSerde.deserialize(p)).toEqual({ a: 1, b: 'x' });
  });

  it('encrypts null as the "null" schema and no value bytes', () => {
    expect(enc(null).toString('hex')).toBe('00000006' + Buffer.from('"null"').toString('hex'));
    expect(avroSerde.deserialize(enc(null))).toBeNull();
  });

  it('has name AVRO and code 01', () => {
    expect([avroSerde.name, avroSerde.code]).toEqual(['AVRO', '01']);
  });
});

describe('schema derivation', () => {
  it.each([
    [true, '"boolean"', '01'],
    [false, '"boolean"', '00'],
    [-1, '"long"', '01'],
    [2 ** 53, '"long"', '8080808080808020'],
    [1.5, '"double"', '000000000000f83f'],
    [1e21, '"double"', Buffer.from(new Float64Array([1e21]).buffer).toString('hex')],
    [-0, '"long"', '00'],
    [NaN, '"double"', '000000000000f87f'],
    [12n, '"long"', '18'],
    ['', '"string"', '00'],
  ])('%p -> %s', (v, schema, body) => {
    const p = enc(v);
    expect(schemaOf(p)).toBe(schema);
    expect(bodyOf(p)).toBe(body);
  });

  it('refuses integers beyond the long range instead of keeping their low 64 bits as Java does', () => {
    for (const v of [2n ** 64n + 5n, 1e20, -(2n ** 63n) - 1n, 2n ** 63n]) {
      expect(() => enc(v)).toThrow(expect.objectContaining({ code: 'SERDE_LONG_RANGE' }));
    }
    expect(() => enc(2n ** 63n - 1n)).not.toThrow();
    expect(() => enc(-(2n ** 63n))).not.toThrow();
  });

  it('takes unsafe integral numbers from their JSON digits, not their exact binary value', () => {
    const v = -4193686558417007600; // exactly -4193686558417007616 as a double
    expect(bodyOf(enc(v))).toBe(bodyOf(enc(-4193686558417007600n)));
    expect(avroSerde.deserialize(enc(v))).toBe(-4193686558417007600n);
  });

  it('writes a lone surrogate as "?" like Java String.getBytes(UTF_8)', () => {
    expect(bodyOf(enc('a\ud800b'))).toBe('06613f62');
    expect(bodyOf(enc('😀'))).toBe('08f09f9880');
  });

  it('derives arrays: empty, all null, homogeneous, mixed with null first then first-seen order', () => {
    expect(schemaOf(enc([]))).toBe('{"type":"array","items":"null"}');
    expect(schemaOf(enc([null, null]))).toBe('{"type":"array","items":"null"}');
    expect(schemaOf(enc([1, 2]))).toBe('{"type":"array","items":"long"}');
    expect(schemaOf(enc(['a', 1, null, 'b', 2.5]))).toBe('{"type":"array","items":["null","string","long","double"]}');
    expect(bodyOf(enc([]))).toBe('00');
    // count 3, then union index + value per item, then the end-of-array block
    expect(bodyOf(enc([1, null, 'x']))).toBe('06' + '0202' + '00' + '040278' + '00');
  });

  it('names records after the sanitized path, nested records path_key, array element records path_i', () => {
    const p = enc({ inner: { x: 1 }, list: [{ y: true }], deep: [[{ z: null }]] }, 'order.v-1');
    expect(schemaOf(p)).toBe('{"type":"record","name":"order_v_1","fields":['
      + '{"name":"inner","type":{"type":"record","name":"order_v_1_inner","fields":[{"name":"x","type":"long"}]}},'
      + '{"name":"list","type":{"type":"array","items":{"type":"record","name":"order_v_1_list_i","fields":[{"name":"y","type":"boolean"}]}}},'
      + '{"name":"deep","type":{"type":"array","items":{"type":"array","items":{"type":"record","name":"order_v_1_deep_i_i","fields":[{"name":"z","type":"null"}]}}}}]}');
  });

  it('prefixes f_ to a path starting with a digit and sanitizes per code point', () => {
    expect(schemaOf(enc({ a: 1 }, '1st.field'))).toContain('"name":"f_1st_field"');
    expect(schemaOf(enc({ a: 1 }, 'x😀y'))).toContain('"name":"x_y"');
    expect(schemaOf(enc({ café: { a: 1 } }, 'p'))).toContain('"name":"p_caf_"');
  });

  it('keeps Unicode-letter keys as field names (Avro validates with Character.isLetter)', () => {
    expect(schemaOf(enc({ café: 1, 名前: 2, _x9: 3 }))).toBe(
      '{"type":"record","name":"p","fields":[{"name":"café","type":"long"},{"name":"名前","type":"long"},{"name":"_x9","type":"long"}]}');
  });

  it('writes a record met twice with the same shape by name, as Avro toString does', () => {
    const p = enc({ x: [{ a: 1 }], x_i: { a: 2 } });
    expect(schemaOf(p)).toBe('{"type":"record","name":"p","fields":[{"name":"x","type":{"type":"array","items":'
      + '{"type":"record","name":"p_x_i","fields":[{"name":"a","type":"long"}]}}},{"name":"x_i","type":"p_x_i"}]}');
    expect(avroSerde.deserialize(p)).toEqual({ x: [{ a: 1 }], x_i: { a: 2 } });
  });

  it('drops undefined object values and turns undefined array items into null, as JSON.stringify does', () => {
    expect(avroSerde.deserialize(enc({ a: undefined, b: [undefined, 1] }))).toEqual({ b: [null, 1] });
  });
});

describe('encode errors', () => {
  it.each([
    ['an array with two array element types', [[1], ['a']], 'SERDE_AVRO_SCHEMA'],
    ['an empty and a non-empty nested array', [[], [1]], 'SERDE_AVRO_SCHEMA'],
    ['objects of different shapes in one array', [{ a: 1 }, { b: 1 }], 'SERDE_AVRO_SCHEMA'],
    ['a key that is not an Avro name', { 'first-name': 'secret' }, 'SERDE_AVRO_SCHEMA'],
    ['a key starting with a digit', { '1st': 'secret' }, 'SERDE_AVRO_SCHEMA'],
    ['an empty key', { '': 'secret' }, 'SERDE_AVRO_SCHEMA'],
    ['an astral-plane key', { a𝒳: 'secret' }, 'SERDE_AVRO_SCHEMA'],
    ['a same-named record of another shape', { x: [{ a: 1 }], x_i: { a: 'secret' } }, 'SERDE_AVRO_SCHEMA'],
    ['a Buffer', Buffer.from('secret'), 'SERDE_UNSUPPORTED_TYPE'],
    ['a Uint8Array inside an object', { a: new Uint8Array([1]) }, 'SERDE_UNSUPPORTED_TYPE'],
    ['a Date', new Date(0), 'SERDE_UNSUPPORTED_TYPE'],
    ['a Map', new Map([['a', 'secret']]), 'SERDE_UNSUPPORTED_TYPE'],
    ['a function', () => 'secret', 'SERDE_UNSUPPORTED_TYPE'],
  ])('rejects %s', (_what, value, code) => {
    const e = serdeError(() => enc(value, 'cust.data'));
    expect(e.code).toBe(code);
    expect(e.fieldPath).toBe('cust.data');
    expect(e.message).not.toContain('secret');
    expect(e.retriable).toBe(false);
  });

  it('names where inside the value the problem is, by position', () => {
    expect(serdeError(() => enc({ a: 1, b: [0, { c: Buffer.alloc(1) }] })).message).toContain('$.<key #2>[1].<key #1>');
  });

  it('rejects an object at a path named like an Avro primitive, and an empty path', () => {
    expect(serdeError(() => enc({ a: 1 }, 'string')).code).toBe('SERDE_AVRO_SCHEMA');
    expect(enc('ok', 'string').length).toBeGreaterThan(0);
    expect(serdeError(() => enc('x', '')).code).toBe('SERDE_AVRO_SCHEMA');
  });

  it('rejects circular values', () => {
    const o: Record<string, unknown> = { a: 1 };
    o['self'] = o;
    expect(serdeError(() => enc(o)).message).toContain('circular');
  });
});

describe('round trips', () => {
  it.each([
    ['nested objects', { a: { b: { c: 'd', e: [1, 2, 3] } }, f: null }],
    ['arrays of records with nulls', [{ n: 1, s: 'x' }, null, { n: 2, s: 'y' }]],
    ['mixed arrays', [1, 'two', 3.5, true, null, [4], { k: 'v' }]],
    ['empty containers', { a: [], b: {}, c: [[]] }],
    ['unicode', { text: 'żółw 🐢 \u0000 "q"' }],
    ['extreme numbers', [Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1.7976931348623157e308, 5e-324, -1e300]],
    ['a __proto__ key', JSON.parse('{"__proto__":{"x":1},"y":2}') as unknown],
  ])('%s', (_what, value) => {
    expect(avroSerde.deserialize(enc(value))).toEqual(value);
  });

  it('returns longs beyond 2^53 as bigint and within as number', () => {
    expect(avroSerde.deserialize(enc(2n ** 60n))).toBe(2n ** 60n);
    expect(avroSerde.deserialize(enc(-(2n ** 63n)))).toBe(-(2n ** 63n));
    expect(avroSerde.deserialize(enc(2n ** 40n))).toBe(2 ** 40);
  });

  it('keeps own "__proto__" keys as data, not prototypes', () => {
    const out = avroSerde.deserialize(enc(JSON.parse('{"__proto__":{"polluted":1}}'))) as object;
    expect(Object.keys(out)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  const key = fc.constantFrom('a', 'b', 'c_1', 'Zed', 'ä', '_');
  const scalar = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.double(), fc.string(), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }));
  const value = fc.letrec((tie) => ({
    v: fc.oneof({ depthSize: 'small' }, scalar, tie('arr'), tie('obj')),
    arr: fc.oneof(fc.array(scalar, { maxLength: 5 }), fc.array(tie('obj'), { maxLength: 1 }), fc.array(fc.integer(), { maxLength: 5 }).map((a) => [a])),
    obj: fc.dictionary(key, tie('v'), { maxKeys: 4 }),
  })).v;

  /** What a value becomes after the trip: -0 and integral numbers are longs, longs beyond 2^53 come back as bigint. */
  function normalize(v: unknown): unknown {
    if (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 1e21) return normalize(BigInt(String(v)));
    if (typeof v === 'bigint') {
      const l = BigInt.asIntN(64, v);
      return l >= BigInt(Number.MIN_SAFE_INTEGER) && l <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(l) : l;
    }
    if (Array.isArray(v)) return v.map(normalize);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalize(x)]));
    return v;
  }

  it('round-trips random JSON values or rejects them with a SerdeError (property)', () => {
    let ok = 0;
    fc.assert(fc.property(value, (v) => {
      let p: Buffer;
      try {
        p = enc(v);
      } catch (e) {
        return e instanceof SerdeError;
      }
      ok++;
      expect(avroSerde.deserialize(p)).toStrictEqual(normalize(v));
      return true;
    }), { numRuns: 500 });
    expect(ok).toBeGreaterThan(250);
  });
});

describe('generic decoding of schemas Java may write', () => {
  function body(f: (w: AvroWriter) => void): Buffer {
    const w = new AvroWriter();
    f(w);
    return w.toBuffer();
  }

  it('decodes int, float, bytes, fixed, enum, map, and ignores logical types', () => {
    const schema = JSON.stringify({
      type: 'record', name: 'r', namespace: 'com.ex', fields: [
        { name: 'i', type: 'int' }, { name: 'f', type: 'float' }, { name: 'b', type: 'bytes' },
        { name: 'x', type: { type: 'fixed', name: 'F4', size: 4 } }, { name: 'e', type: { type: 'enum', name: 'E', symbols: ['A', 'B'] } },
        { name: 'm', type: { type: 'map', values: 'long' } }, { name: 'again', type: 'F4' }, { name: 'full', type: 'com.ex.E' },
        { name: 'd', type: { type: 'bytes', logicalType: 'decimal', precision: 5, scale: 2 } },
        { name: 'ts', type: { type: 'long', logicalType: 'timestamp-millis' } },
      ],
    });
    const payload = frame(schema, body((w) => {
      w.writeLong(-3); // int
      const f = Buffer.alloc(4); f.writeFloatLE(0.1); for (const x of f) w.writeByte(x);
      w.writeBytes(Buffer.from([1, 2, 3]));
      for (const x of [9, 8, 7, 6]) w.writeByte(x);
      w.writeLong(1); // enum B
      w.writeLong(2); w.writeString('k1'); w.writeLong(5); w.writeString('k2'); w.writeLong(-6); w.writeByte(0);
      for (const x of [0, 0, 0, 1]) w.writeByte(x);
      w.writeLong(0);
      w.writeBytes(Buffer.from([0x30, 0x39]));
      w.writeLong(1_700_000_000_000);
    }));
    expect(avroSerde.deserialize(payload)).toStrictEqual({
      i: -3, f: 0.1, b: 'AQID', x: 'CQgHBg==', e: 'B', m: { k1: 5, k2: -6 }, again: 'AAAAAQ==', full: 'A', d: 'MDk=', ts: 1_700_000_000_000,
    });
  });

  it('decodes recursive records, union branches and negative (sized) block counts', () => {
    const schema = '{"type":"record","name":"Node","fields":[{"name":"v","type":["null","int","string"]},{"name":"next","type":["null","Node"]}]}';
    const payload = frame(schema, body((w) => {
      w.writeLong(1); w.writeLong(7); w.writeLong(1);
      w.writeLong(2); w.writeString('s'); w.writeLong(0);
    }));
    expect(avroSerde.deserialize(payload)).toStrictEqual({ v: 7, next: { v: 's', next: null } });
    const arr = frame('{"type":"array","items":"long"}', body((w) => { w.writeLong(-2); w.writeLong(2); w.writeLong(1); w.writeLong(-1); w.writeLong(0); }));
    expect(avroSerde.deserialize(arr)).toStrictEqual([1, -1]);
  });
});

describe('malformed input', () => {
  const good = enc({ a: [1, 'two'], b: 'secret-text', c: 2.5 });

  it('rejects every truncation with a SerdeError naming an offset and no content', () => {
    for (let n = 0; n < good.length; n++) {
      const e = serdeError(() => avroSerde.deserialize(good.subarray(0, n)));
      expect(e.code).toBe('SERDE_MALFORMED');
      expect(e.message).toMatch(/offset \d+/);
      expect(e.message).not.toContain('secret');
    }
  });

  it.each([
    ['trailing bytes', Buffer.concat([good, Buffer.from([0])]), 'SERDE_MALFORMED'],
    ['a negative schema length', Buffer.from('ffffffff', 'hex'), 'SERDE_MALFORMED'],
    ['schema text that is not JSON', frame('{"type":', ''), 'SERDE_AVRO_SCHEMA'],
    ['an undefined type name', frame('"Nope"', ''), 'SERDE_AVRO_SCHEMA'],
    ['a union index out of range', frame('["null","long"]', '04'), 'SERDE_MALFORMED'],
    ['an enum index out of range', frame('{"type":"enum","name":"E","symbols":["A"]}', '02'), 'SERDE_MALFORMED'],
    ['an 11-byte long', frame('"long"', 'ffffffffffffffffffff01'), 'SERDE_MALFORMED'],
    ['a 6-byte int', frame('"int"', 'ffffffffff01'), 'SERDE_MALFORMED'],
    ['a negative string length', frame('"string"', '01'), 'SERDE_MALFORMED'],
    ['a huge block count of nulls', frame('{"type":"array","items":"null"}', 'feffffffffffffff7f'), 'SERDE_MALFORMED'],
  ])('rejects %s', (_what, bytes, code) => {
    expect(serdeError(() => avroSerde.deserialize(bytes)).code).toBe(code);
  });
});
