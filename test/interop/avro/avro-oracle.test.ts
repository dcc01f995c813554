// Cross-checks the AVRO serde with real Apache Avro 1.11.4 (Java): same bytes on encode, same values on decode.
// Needs scripts/testinfra/avro-oracle.sh to have run; fails (never skips) when the oracle is missing.
import fc from 'fast-check';
import { avroSerde } from '../../../src/codec/avro-serde';
import { canon, fromTyped, runOracle, toJsonText, type OracleRequest } from './oracle';

const docs: Array<[unknown, string]> = [
  ['hello', 'payload'], [null, 'p'], [true, 'p'], [0, 'p'], [-1, 'p'], [2 ** 31, 'p'], [-(2 ** 53) + 1, 'p'],
  [Number.MAX_SAFE_INTEGER + 1, 'p'], [1e20, 'p'], [-9.99e20, 'p'], [1e21, 'p'], [1.5, 'p'], [-0.1, 'p'], [5e-324, 'p'],
  [1.7976931348623157e308, 'p'], [-0, 'p'], [NaN, 'p'], [Infinity, 'p'], [-Infinity, 'p'],
  [2n ** 63n - 1n, 'p'], [-(2n ** 63n), 'p'], [2n ** 64n + 7n, 'p'], [-(2n ** 70n), 'p'],
  ['', 'p'], ['żółw 🐢 "quoted" \\ \n\t\u0000\u2028', 'p'], ['a\ud800b\udc00', 'p'],
  [{ a: 1, b: 'x' }, 'payload'], [{}, 'p'], [[], 'p'], [[null], 'p'], [[[]], 'p'], [[[], []], 'p'],
  [[1, 2, 3], 'p'], [[1, 2.5], 'p'], [['a', 1, null, 'b', 2.5, true], 'p'], [[null, 1], 'p'], [[1, null], 'p'],
  [[{ a: 1 }, { a: 2 }], 'p'], [[{ a: 1 }, null, 'x'], 'p'], [[[1], [2, 3]], 'p'], [[[1], 'x', [2]], 'p'],
  [{ personal: { address: { street: 'Main', no: 5 }, tags: ['x', 'y'] } }, 'personal.data'],
  [{ a: 1 }, '1st-field.x'], [{ a: { b: 1 } }, 'weird path/with:chars'], [{ a: 1 }, 'x😀y'],
  [{ café: { naïve: 1 }, 名前: [{ ß: true }] }, 'p'], [{ _: 1, _9: 2, A_b: 3 }, 'p'],
  [{ x: [{ a: 1 }], x_i: { a: 2 } }, 'p'], [{ 'x': { a: 1 } }, 'p_'],
  [{ orders: [{ id: 1, items: [{ sku: 'a', qty: 2 }, { sku: 'b', qty: 1 }], note: null }, { id: 2, items: [], note: 'n' }] }, 'o'],
  [{ list: [[{ z: 1 }], [{ z: 2 }]] }, 'p'], [{ m: [1, 'a', [true], { k: null }] }, 'p'],
  [JSON.parse('{"__proto__":{"x":1}}'), 'p'], [{ big: 2n ** 62n, neg: -(2n ** 62n) }, 'p'], ['x', 'string'], [1, 'long'],
  // Rejected by Kryptonite/Avro; we must reject them too.
  [{ 'first-name': 'a' }, 'p'], [{ '1st': 1 }, 'p'], [{ '': 1 }, 'p'], [{ a𝒳: 1 }, 'p'], [[[1], ['a']], 'p'], [[[], [1]], 'p'],
  [[{ a: 1 }, { b: 1 }], 'p'], [[{ a: 1 }, { a: 1.5 }], 'p'], [{ x: [{ a: 1 }], x_i: { a: 'y' } }, 'p'], [{ a: 1 }, 'string'],
  [{ a: 1 }, 'null'], ['x', ''],
];

function encodeBoth(cases: Array<[unknown, string]>): void {
  const answers = runOracle(cases.map(([v, path]) => ({ op: 'encode', path, json: toJsonText(v) })));
  // Deliberate difference: integers beyond the long range are refused here; Java keeps their low 64 bits.
  const outOfRange = new Set<number>();
  const ours: Array<Buffer | undefined> = cases.map(([v, path], i) => {
    try {
      return avroSerde.serialize(v, path);
    } catch (err) {
      if ((err as { code?: string }).code === 'SERDE_LONG_RANGE') outOfRange.add(i);
      return undefined;
    }
  });
  cases.forEach(([v, path], i) => {
    const a = answers[i];
    const label = `${toJsonText(v)} at '${path}'`;
    if (outOfRange.has(i)) {
      expect({ label, java: a?.ok }).toEqual({ label, java: true });
      return;
    }
    expect({ label, java: a?.ok ? a.b64 : `error ${a?.error ?? ''}` })
      .toEqual({ label, java: ours[i] === undefined ? expect.stringMatching(/^error /) : ours[i]?.toString('base64') });
  });
  // Java decodes what we wrote, its Schema.toString() reproduces our schema text, and we decode to the same value.
  const written = ours.flatMap((b) => (b === undefined ? [] : [b]));
  const decoded = runOracle(written.map((b) => ({ op: 'decode', b64: b.toString('base64') })));
  written.forEach((b, i) => {
    const d = decoded[i];
    expect(d?.ok).toBe(true);
    expect(d?.toStringSame).toBe(true);
    expect(canon(avroSerde.deserialize(b))).toBe(canon(fromTyped(d?.value)));
  });
}

describe('AVRO serde vs Avro 1.11.4 (Kryptonite 0.7.0 rules)', () => {
  it('encodes a varied document set byte-for-byte like Java, and agrees on every rejection', () => {
    encodeBoth(docs);
  });

  it('agrees with Java on random JSON values (fast-check samples)', () => {
    const key = fc.oneof(fc.constantFrom('a', 'b', 'c_1', 'Zed', 'ä', '_', 'x_i'), fc.string({ maxLength: 3 }));
    const scalar = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.double(), fc.string({ unit: 'binary' }),
      fc.bigInt({ min: -(2n ** 66n), max: 2n ** 66n }), fc.maxSafeInteger());
    const value = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, scalar, tie('arr'), tie('obj')),
      arr: fc.array(tie('v'), { maxLength: 4 }),
      obj: fc.dictionary(key, tie('v'), { maxKeys: 4 }),
    })).v;
    const path = fc.constantFrom('p', 'a.b', '9-x', 'deep.path.name');
    const samples = fc.sample(fc.tuple(value, path), { numRuns: 1000, seed: 20261204 });
    encodeBoth(samples);
  });

  it('decodes Java-written payloads of schemas beyond the derived ones the way Kryptonite does', () => {
    const cases: Array<[object | string, string]> = [
      ['"int"', '-123456'], ['"float"', '0.1'], ['"float"', '3.4028235E38'], ['"float"', '-1.0E-45'], ['"double"', '0.30000000000000004'],
      ['"bytes"', '"\\u0000\\u00ff\\u0010"'], ['"long"', '-9223372036854775808'], ['"string"', '"\\u00e9\\ud83d\\ude00"'],
      [{ type: 'fixed', name: 'F', size: 3 }, '"abc"'],
      [{ type: 'enum', name: 'Suit', namespace: 'cards', symbols: ['HEARTS', 'SPADES'] }, '"SPADES"'],
      [{ type: 'map', values: ['null', 'int'] }, '{"b":{"int":2},"a":null,"c":{"int":-1}}'],
      [{ type: 'array', items: { type: 'map', values: 'string' } }, '[{"k":"v"},{}]'],
      [{ type: 'record', name: 'com.ex.Outer', fields: [
        { name: 'inner', type: { type: 'record', name: 'Inner', fields: [{ name: 'v', type: 'int' }] } },
        { name: 'again', type: 'Inner' }, { name: 'other', type: { type: 'record', name: 'Other', namespace: '', fields: [{ name: 'e', type: { type: 'enum', name: 'E', symbols: ['X'] } }] } },
        { name: 'ref', type: 'com.ex.Inner' }, { name: 'eref', type: 'E' },
      ] }, '{"inner":{"v":1},"again":{"v":2},"other":{"e":"X"},"ref":{"v":3},"eref":"X"}'],
      [{ type: 'record', name: 'List', fields: [{ name: 'v', type: 'long' }, { name: 'next', type: ['null', 'List'] }] },
        '{"v":1,"next":{"List":{"v":2,"next":null}}}'],
      [{ type: 'record', name: 'U', fields: [{ name: 'u', type: ['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string', { type: 'array', items: 'int' }] }] },
        '{"u":{"float":1.5}}'],
      [{ type: 'array', items: ['null', 'string', 'double'] }, '[null,{"string":"s"},{"double":2.0}]'],
      [{ type: 'record', name: 'L', fields: [
        { name: 'dec', type: { type: 'bytes', logicalType: 'decimal', precision: 9, scale: 2 } },
        { name: 'fdec', type: { type: 'fixed', name: 'D', size: 2, logicalType: 'decimal', precision: 4, scale: 1 } },
        { name: 'day', type: { type: 'int', logicalType: 'date' } }, { name: 'ms', type: { type: 'int', logicalType: 'time-millis' } },
        { name: 'ts', type: { type: 'long', logicalType: 'timestamp-millis' } }, { name: 'us', type: { type: 'long', logicalType: 'timestamp-micros' } },
        { name: 'id', type: { type: 'string', logicalType: 'uuid' } },
      ] }, '{"dec":"\\u0030\\u0039","fdec":"\\u0001\\u0002","day":19000,"ms":3600000,"ts":1700000000000,"us":1700000000000000,"id":"0b5a0f2e-0000-4000-8000-000000000000"}'],
    ];
    const answers = runOracle(cases.map(([schema, datum]) => ({ op: 'write', schema: typeof schema === 'string' ? schema : JSON.stringify(schema), datum })));
    const decoded = runOracle(answers.map((a) => ({ op: 'decode', b64: a.b64 ?? '' })));
    answers.forEach((a, i) => {
      expect({ i, ok: a.ok, error: a.error }).toEqual({ i, ok: true, error: undefined });
      const d = decoded[i];
      expect({ i, ok: d?.ok, same: d?.toStringSame }).toEqual({ i, ok: true, same: true });
      expect(canon(avroSerde.deserialize(Buffer.from(a.b64 ?? '', 'base64')))).toBe(canon(fromTyped(d?.value)));
    });
  });

  it('replaces invalid UTF-8 in strings like Java does', () => {
    const alphabet = [0x41, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xef, 0xf0, 0xf1, 0xf4, 0xf5, 0xf7, 0xf8, 0xff];
    const random = fc.sample(fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: 7 }), { numRuns: 3000, seed: 7 })
      .map((a) => Buffer.from(a).toString('hex'));
    const bad = ['c328', 'eda080', 'eda0', 'edbfbf', 'f0908080', 'ff', 'e282', '61e2', 'f4908080', 'c0af', 'f09080', 'f0904141', ...random];
    // The fixed byte 0x80 after each string checks that decoding stops at the string's end.
    const schema = Buffer.from('{"type":"record","name":"R","fields":[{"name":"s","type":"string"},{"name":"f","type":{"type":"fixed","name":"F","size":1}}]}');
    const payloads = bad.map((hex) => {
      const body = Buffer.from(hex, 'hex');
      return Buffer.concat([Buffer.from([0, 0, 0, schema.length]), schema, Buffer.from([body.length * 2]), body, Buffer.from([0x80])]);
    });
    const decoded = runOracle(payloads.map((p): OracleRequest => ({ op: 'decode', b64: p.toString('base64') })));
    payloads.forEach((p, i) => {
      expect({ hex: bad[i], ours: canon(avroSerde.deserialize(p)) }).toEqual({ hex: bad[i], ours: canon(fromTyped(decoded[i]?.value)) });
    });
  });
});
