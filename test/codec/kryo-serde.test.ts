// KRYO serde: the byte examples of wire-format §3.5–3.7, the JS⇄Java mapping, round trips and malformed input.
import fc from 'fast-check';
import { javaBigDecimalString } from '../../src/codec/kryo-reader';
import { kryoDeserialize, kryoSerde, kryoSerialize } from '../../src/codec/kryo-serde';
import { SerdeError } from '../../src/errors';
import { canon } from '../support/canon';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const toHex = (b: Buffer): string => b.toString('hex').replace(/(..)(?!$)/g, '$1 ');
const digits34 = '0123456789012345678901234567890123';


test('serde identity', () => {
  expect(kryoSerde.name).toBe('KRYO');
  expect(kryoSerde.code).toBe('00');
  expect(kryoSerde.deserialize(kryoSerde.serialize({ a: [1, 'x'] }, 'f'))).toEqual({ a: [1, 'x'] });
});

describe('wire-format §3.5 scalars', () => {
  // [JS value to write (or undefined when the Java type has no JS writer), bytes, JS value read back]
  const cases: [string, unknown, string, unknown][] = [
    ['null', null, '00', null],
    ['String hello', 'hello', '03 68 65 6c 6c ef', 'hello'],
    ['String ""', '', '03 81', ''],
    ['String a', 'a', '03 82 61', 'a'],
    ['String k2', 'k2', '03 6b b2', 'k2'],
    ['String Grüße', 'Grüße', '03 86 47 72 c3 bc c3 9f 65', 'Grüße'],
    ['String é', 'é', '03 82 c3 a9', 'é'],
    ['String 😀', '😀', '03 83 ed a0 bd ed b8 80', '😀'],
    ['String 34 digits', digits34, '03 a3' + Buffer.from(digits34).toString('hex'), digits34],
    ['Integer 42', 42, '02 54', 42],
    ['Integer -1', -1, '02 01', -1],
    ['Integer 0', 0, '02 00', 0],
    ['Integer 300', 300, '02 d8 04', 300],
    ['Integer MAX', 2147483647, '02 fe ff ff ff 0f', 2147483647],
    ['Integer MIN', -2147483648, '02 ff ff ff ff 0f', -2147483648],
    ['Long 42', 42n, '09 54', 42],
    ['Long -1', -1n, '09 01', -1],
    ['Long 1234567890123', 1234567890123, '09 96 93 d8 9f ee 47', 1234567890123],
    ['Long MAX', 2n ** 63n - 1n, '09 fe ff ff ff ff ff ff ff ff', 2n ** 63n - 1n],
    ['Boolean true', true, '05 01', true],
    ['Boolean false', false, '05 00', false],
    ['Double 3.14', 3.14, '0a 1f 85 eb 51 b8 1e 09 40', 3.14],
    ['Float 1.5', undefined, '04 00 00 c0 3f', 1.5],
    ['Short 7', undefined, '08 07 00', 7],
    ['Byte -2', undefined, '06 fe', -2],
    ['Character x', undefined, '07 78 00', 'x'],
    ['byte[] 1,2,3', Buffer.from([1, 2, 3]), '12 04 01 02 03', Buffer.from([1, 2, 3])],
    ['byte[] empty', new Uint8Array(0), '12 01', Buffer.alloc(0)],
    ['BigDecimal 123.45', undefined, '13 03 30 39 04', '123.45'],
    ['BigDecimal -0.5', undefined, '13 02 fb 02', '-0.5'],
    ['BigDecimal 0', undefined, '13 02 00 00', '0'],
  ];
  test.each(cases)('%s', (_name, js, bytes, read) => {
    if (js !== undefined) expect(toHex(kryoSerialize(js))).toBe(toHex(hex(bytes)));
    expect(canon(kryoDeserialize(hex(bytes)))).toBe(canon(read));
  });

  test('java.sql.Timestamp (1f) is reported as unsupported, naming the class and marker', () => {
    expect(() => kryoDeserialize(hex('1f 00'))).toThrow(/java\.sql\.Timestamp \(marker 0x1f\)/);
  });
});

describe('wire-format §3.6 collections', () => {
  const cases: [string, unknown, string, unknown][] = [
    ['["a","bc"]', ['a', 'bc'], '15 83 03 00 82 61 62 e3', ['a', 'bc']],
    ['[1L, 2L]', [1n, 2n], '15 83 09 00 02 04', [1, 2]],
    ['["x", null]', ['x', null], '15 83 03 01 82 78 80', ['x', null]],
    ['[1L, null]', [1n, null], '15 83 09 01 01 02 00', [1, null]],
    ['["x", 1L] mixed', ['x', 1n], '15 03 03 82 78 09 02', ['x', 1]],
    ['[1L, 2.5, "s", true, null]', [1n, 2.5, 's', true, null], '15 06 09 02 0a 00 00 00 00 00 00 04 40 03 82 73 05 01 00', [1, 2.5, 's', true, null]],
    ['[]', [], '15 01', []],
    ['[null]', [null], '15 82 00', [null]],
    ['[[1L], null]', [[1n], null], '15 83 15 01 82 09 00 02 00', [[1], null]],
    ['[{a=1L}, null]', [{ a: 1n }, null], '15 83 19 01 02 03 82 61 09 02 00', [{ a: 1 }, null]],
    ['Arrays.asList("a","b")', undefined, '20 83 03 00 82 61 82 62', ['a', 'b']],
    ['List.of("a","b")', undefined, '22 83 03 82 61 82 62', ['a', 'b']],
  ];
  test.each(cases)('%s', (_name, js, bytes, read) => {
    if (js !== undefined) expect(toHex(kryoSerialize(js))).toBe(toHex(hex(bytes)));
    expect(canon(kryoDeserialize(hex(bytes)))).toBe(canon(read));
  });

  test('JS integers in a list share the Integer class', () => {
    expect(toHex(kryoSerialize([1, 2]))).toBe('15 83 02 00 02 04');
    expect(toHex(kryoSerialize([1, 2 ** 40]))).toBe(toHex(hex('15 03 02 02 09 80 80 80 80 80 40')));
  });
});

describe('wire-format §3.7 maps', () => {
  const cases: [string, unknown, string, unknown][] = [
    ['LinkedHashMap {k="v"}', { k: 'v' }, '19 02 03 82 6b 03 82 76', { k: 'v' }],
    ['HashMap {a=1L}', undefined, '18 02 03 82 61 09 02', { a: 1 }],
    ['LinkedHashMap {n=null, l=["x"]}', { n: null, l: ['x'] }, '19 03 03 82 6e 00 03 82 6c 15 82 03 00 82 78', { n: null, l: ['x'] }],
    ['HashMap k3,k1,k2 order kept', undefined, '18 04 03 6b b3 09 0e 03 6b b1 09 12 03 6b b2 09 10', { k3: 7, k1: 9, k2: 8 }],
    ['Map with string keys', new Map([['k', 'v']]), '19 02 03 82 6b 03 82 76', { k: 'v' }],
    ['empty object', {}, '19 01', {}],
  ];
  test.each(cases)('%s', (_name, js, bytes, read) => {
    if (js !== undefined) expect(toHex(kryoSerialize(js))).toBe(toHex(hex(bytes)));
    const back = kryoDeserialize(hex(bytes));
    expect(canon(back)).toBe(canon(read));
  });
});

describe('write mapping', () => {
  test.each([
    ['int32 max', 2147483647, '02'], ['int32 max + 1', 2147483648, '09'], ['int32 min - 1', -2147483649, '09'],
    ['2^53 - 1', 2 ** 53 - 1, '09'], ['-(2^53 - 1)', -(2 ** 53 - 1), '09'], ['2^53', 2 ** 53, '0a'], ['1e21', 1e21, '0a'],
    ['-0', -0, '0a'], ['NaN', NaN, '0a'], ['Infinity', Infinity, '0a'], ['0.5', 0.5, '0a'], ['small bigint', 7n, '09'],
    ['undefined', undefined, '00'],
  ])('%s → marker %s', (_name, v, marker) => {
    expect(kryoSerialize(v).subarray(0, 1).toString('hex')).toBe(marker);
  });

  test.each([
    ['Date', new Date(0), 'Date'],
    ['function', () => 1, 'function'],
    ['symbol', Symbol('s'), 'symbol'],
    ['class instance', new (class Secretive { x = 'hidden-value' })(), 'Secretive'],
    ['Int32Array', new Int32Array(2), 'Int32Array'],
    ['Set', new Set([1]), 'Set'],
    ['nested Date', { a: [new Date(0)] }, 'Date'],
    ['Map with number keys', new Map([[1, 'v']]), 'number'],
  ])('%s is a SerdeError naming the JS type only', (_name, v, type) => {
    let caught: unknown;
    try {
      kryoSerialize(v);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SerdeError);
    expect((caught as SerdeError).code).toBe('KRYO_UNSUPPORTED_TYPE');
    expect((caught as Error).message).toContain(type);
    expect((caught as Error).message).not.toContain('hidden-value');
  });

  test('bigint outside the Java long range is rejected', () => {
    expect(() => kryoSerialize(2n ** 63n)).toThrow(expect.objectContaining({ code: 'KRYO_OUT_OF_RANGE' }));
    expect(() => kryoSerialize([-(2n ** 63n) - 1n])).toThrow(SerdeError);
  });

  test('cyclic values fail cleanly', () => {
    const a: unknown[] = [];
    a.push(a);
    expect(() => kryoSerialize(a)).toThrow(expect.objectContaining({ code: 'KRYO_TOO_DEEP' }));
  });

  test('undefined properties and array holes become nulls', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(kryoDeserialize(kryoSerialize({ a: undefined, b: [1, , 3] }))).toEqual({ a: null, b: [1, null, 3] });
  });
});

describe('round trips', () => {
  const values: [string, unknown][] = [
    ['empty string', ''], ['1 char', 'x'], ['32 ASCII', 'a'.repeat(32)], ['33 ASCII', 'a'.repeat(33)], ['non-BMP', '𝄞😀'],
    ['NUL', '\u0000'], ['lone surrogate', '\udbff'], ['long', 'ü'.repeat(100000)],
    ['int32 bounds', [2147483647, -2147483648, 2147483648, -2147483649]],
    ['2^53 edges', [2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 53, -(2 ** 53), 2 ** 53 + 2]],
    ['Long MIN/MAX as bigint', [2n ** 63n - 1n, -(2n ** 63n)]],
    ['doubles', [0.1, -0, NaN, Infinity, -Infinity, 5e-324, Number.MAX_VALUE]],
    ['nested with nulls', { a: [null, { b: null, c: [[], [null, null]] }], d: { e: {} } }],
    ['mixed array', [1, 'a', true, null, 1.5, [1], { x: 1 }, Buffer.from([9]), 2 ** 40]],
    ['empty containers', [[], {}, Buffer.alloc(0), '']],
    ['__proto__ key', JSON.parse('{"__proto__":{"x":1},"y":2}') as unknown],
    ['many keys', Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, i]))],
  ];
  test.each(values)('%s', (_name, v) => {
    const back = kryoDeserialize(kryoSerialize(v));
    expect(canon(back)).toBe(canon(v));
    if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v) && !Array.isArray(v)) {
      expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    }
  });

  test('property: deserialize(serialize(v)) equals v for JSON values', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 5 }), (v) => {
      expect(canon(kryoDeserialize(kryoSerialize(v)))).toBe(canon(v));
    }), { numRuns: 1500 });
  });

  test('property: extended values come back per the documented mapping', () => {
    const leaf = fc.oneof(
      fc.string({ unit: 'binary' }), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.uint8Array({ maxLength: 20 }),
    );
    const value = fc.letrec<{ v: unknown }>((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('v'), { maxLength: 5 }),
        fc.dictionary(fc.string(), tie('v'), { maxKeys: 5 }),
        fc.array(fc.tuple(fc.string(), tie('v')), { maxLength: 4 }).map((es) => new Map(es))),
    })).v;
    const expected = (v: unknown): unknown => {
      if (v === undefined) return null;
      if (typeof v === 'bigint') return v >= -BigInt(Number.MAX_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
      if (v instanceof Uint8Array) return Buffer.from(v);
      if (Array.isArray(v)) return v.map(expected);
      if (v instanceof Map) return expected(Object.fromEntries(v as Map<string, unknown>));
      if (v !== null && typeof v === 'object') {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) Object.defineProperty(out, k, { value: expected(x), enumerable: true, writable: true, configurable: true });
        return out;
      }
      return v;
    };
    fc.assert(fc.property(value, (v) => {
      expect(canon(kryoDeserialize(kryoSerialize(v)))).toBe(canon(expected(v)));
    }), { numRuns: 1000 });
  });

  test('serialize returns an independent buffer each call', () => {
    const a = kryoSerialize('first value');
    const b = kryoSerialize('second');
    expect(kryoDeserialize(a)).toBe('first value');
    expect(kryoDeserialize(b)).toBe('second');
  });
});

describe('read mapping of other Java types', () => {
  test.each([
    ['Long 2^53 → bigint', '09 80 80 80 80 80 80 80 20', 2n ** 53n],
    ['Long 2^53 - 1 → number', '09 fe ff ff ff ff ff ff 1f', 2 ** 53 - 1],
    ['Character é', '07 e9 00', 'é'],
    ['Short -1', '08 ff ff', -1],
    ['Float NaN', '04 00 00 c0 7f', NaN],
    ['HeapByteBuffer', '4c 03 00 00 00 01 02 03', Buffer.from([1, 2, 3])],
    ['Utf8', '4b 82 61', 'a'],
    ['LinkedList', '16 83 03 00 82 61 82 62', ['a', 'b']],
    ['HashSet', '1b 82 03 00 82 61', ['a']],
    ['LinkedHashSet', '1c 01', []],
    ['ListN with Integer', '21 84 02 02 04 06', [1, 2, 3]],
    ['SetN', '23 82 03 82 61', ['a']],
    ['Map1', '24 02 03 82 61 02 02', { a: 1 }],
    ['MapN empty', '25 01', {}],
    ['unmodifiable RandomAccessList', '27 01 15 82 09 00 02', [1]],
    ['synchronizedMap', '32 05 19 02 03 82 61 00', { a: null }],
    ['Object[]', '37 03 03 82 61 02 02', ['a', 1]],
    ['String[]', '38 03 82 61 80', ['a', null]],
    ['Integer[]', '39 03 01 02 00', [1, null]],
    ['int[]', '3a 03 01 02', [-1, 1]],
    ['Long[]', '3b 02 01 fe ff ff ff ff ff ff ff ff', [2n ** 63n - 1n]],
    ['long[]', '3c 02 ff ff ff ff ff ff ff ff ff', [-(2n ** 63n)]],
    ['Double[]', '3d 02 00', [null]],
    ['double[]', '3e 02 00 00 00 00 00 00 f8 3f', [1.5]],
    ['Float[]', '3f 02 01 00 00 c0 3f', [1.5]],
    ['float[]', '40 02 00 00 00 40', [2]],
    ['Short[]', '41 02 01 05 00', [5]],
    ['short[]', '42 02 fe ff', [-2]],
    ['Byte[]', '43 03 01 ff 00', [-1, null]],
    ['Boolean[]', '44 03 01 01 00', [true, null]],
    ['boolean[]', '45 03 01 00', [true, false]],
    ['char[]', '46 03 61 00 e9 00', ['a', 'é']],
    ['null String under a String marker', '03 80', null],
    ['null list under a list marker', '15 00', null],
    ['BigDecimal with big unscaled value', '13 0a 00 ff ff ff ff ff ff ff ff 00', '18446744073709551615'],
  ])('%s', (_name, bytes, expected) => {
    expect(canon(kryoDeserialize(hex(bytes)))).toBe(canon(expected));
  });

  test.each([
    [123n, 2, '1.23'], [-5n, 1, '-0.5'], [0n, 0, '0'], [0n, 2, '0.00'], [0n, -2, '0E+2'], [1n, -3, '1E+3'], [12n, -3, '1.2E+4'],
    [1n, 7, '1E-7'], [1n, 6, '0.000001'], [123n, 10, '1.23E-8'], [-123456n, 3, '-123.456'], [15n, 1, '1.5'], [150n, 2, '1.50'],
  ])('BigDecimal(%s, scale %d) → %s (Java toString)', (unscaled, scale, s) => {
    expect(javaBigDecimalString(unscaled, scale)).toBe(s);
  });
});

describe('malformed input', () => {
  test.each([
    ['empty', '', /empty input/],
    ['truncated Integer', '02 80', /truncated/],
    ['truncated Long', '09 ff ff', /truncated/],
    ['truncated Double', '0a 00 00', /truncated/],
    ['truncated String', '03 85 61 62', /truncated/],
    ['truncated byte[]', '12 05 01', /truncated/],
    ['truncated list', '15 83 03 00 82 61', /truncated|offset/],
    ['list count beyond input', '15 7f ff ff ff 0f 02', /exceeds/],
    ['map count beyond input', '19 ff ff ff 7f', /exceeds/],
    ['huge all-null list', '15 ff ff ff ff 07 00', /implausible/],
    ['trailing bytes', '02 54 00', /trailing/],
    ['unknown marker', '7f', /unregistered class id 125/],
    ['by-name class (01)', '01 01 81', /by name/],
    ['truncated Struct (0e)', '0e 10 0c', /truncated/],
    ['Schema (0f) alone', '0f 00', /connect Schema \(marker 0x0f\)/],
    ['EncryptedField marker', '0d 00', /EncryptedField/],
    ['Avro record', '47 00', /GenericData\$Record/],
    ['map with Integer key', '19 02 02 02 03 82 61', /map key of class Integer/],
    ['map with null key', '18 02 00 03 82 61', /map key of class null/],
    ['negative ByteBuffer length', '4c ff ff ff ff', /negative/],
    ['bad wrapper ordinal', '26 09 15 01', /ordinal/],
    ['BigDecimal without digits', '13 01 00', /empty unscaled/],
    ['invalid string byte', '03 82 f8', /invalid string byte/],
  ])('%s', (_name, bytes, message) => {
    let caught: unknown;
    try {
      kryoDeserialize(hex(bytes));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SerdeError);
    expect((caught as Error).message).toMatch(message);
    expect((caught as Error).message).toMatch(/offset|trailing|empty/);
  });

  test('deep nesting is rejected, not a stack overflow', () => {
    const deep = Buffer.from('1502'.repeat(3000) + '00', 'hex'); // ArrayList of one mixed-class element, nested
    expect(() => kryoDeserialize(deep)).toThrow(/nesting deeper/);
  });

  test('every truncation of a valid value fails with a SerdeError', () => {
    const full = kryoSerialize({ s: 'héllo😀', n: [1, 2 ** 40, 1.5, null, true], b: Buffer.from([1, 2]), m: new Map([['k', ['v']]]) });
    for (let n = 0; n < full.length; n++) {
      expect(() => kryoDeserialize(full.subarray(0, n))).toThrow(SerdeError);
    }
  });

  test('random bytes never escape as anything but a SerdeError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      try {
        kryoDeserialize(bytes);
      } catch (err) {
        expect(err).toBeInstanceOf(SerdeError);
      }
    }), { numRuns: 5000 });
  });
});
