// The CLI's JSON text: int64-exact parsing, bigint/bytes writing, Jackson's pretty layout, value-free errors.
import fc from 'fast-check';
import { JsonTextError, parseJsonText, writeJacksonPretty, writeJson } from '../../src/codec/json-text';

describe('parseJsonText', () => {
  // the only difference: integers beyond 2^53 come back as bigint (exact) where JSON.parse rounds them
  const asNumbers = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x)));
  test('agrees with JSON.parse on ordinary documents', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      const text = JSON.stringify(v);
      expect(asNumbers(parseJsonText(text))).toEqual(JSON.parse(text));
      expect(asNumbers(parseJsonText(JSON.stringify(v, null, 2)))).toEqual(JSON.parse(text));
    }), { numRuns: 300 });
  });

  test('integers beyond 2^53 become exact bigints, also beyond the Java long range; fractions and exponents stay numbers', () => {
    expect(parseJsonText('9007199254740991')).toBe(9007199254740991);
    expect(parseJsonText('9007199254740993')).toBe(9007199254740993n);
    expect(parseJsonText('[-9223372036854775808, 9223372036854775807]')).toEqual([-9223372036854775808n, 9223372036854775807n]);
    expect(parseJsonText('9223372036854775808')).toBe(9223372036854775808n);
    expect(parseJsonText('9007199254740993.0')).toBe(9007199254740992);
    expect(parseJsonText('1e300')).toBe(1e300);
  });

  test('"__proto__" is an own property, as with JSON.parse', () => {
    const o = parseJsonText('{"__proto__": {"polluted": 1}, "a": 2}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
    expect(Object.keys(o)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test.each([
    ['{"a": secret}', 6, 'unexpected character'],
    ['{"a": "secret', 13, 'unterminated string'],
    ['{"a" 1}', 5, "expected ':'"],
    ['[1 2]', 3, "expected ',' or ']'"],
    ['{"a":1} trailing-secret', 8, 'unexpected text after the JSON value'],
    ['', 0, 'unexpected end of input'],
    ['"bad \\x escape"', 5, 'bad escape'],
    ['01', 1, 'unexpected text after the JSON value'],
  ])('%j fails at column %i+1 without quoting the text', (text, pos, problem) => {
    let err: unknown;
    try { parseJsonText(text); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(JsonTextError);
    expect((err as JsonTextError).message).toBe(`${problem} at column ${pos + 1}`);
    expect((err as JsonTextError).message).not.toContain('secret');
  });
});

describe('writeJson', () => {
  test('agrees with JSON.stringify on ordinary values', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => { expect(writeJson(v)).toBe(JSON.stringify(v)); }), { numRuns: 300 });
    const o = { a: undefined, b: [undefined, NaN, Infinity, () => 1], c: -0 };
    expect(writeJson(o)).toBe(JSON.stringify(o));
  });
  test('bigints as exact integers, bytes as Base64 (Jackson byte[]), round trip through the parser', () => {
    const v = { big: -9223372036854775808n, n: 9007199254740993n, bytes: Buffer.from([0, 1, 254, 255]), u8: new Uint8Array([104, 105]) };
    const text = writeJson(v);
    expect(text).toBe('{"big":-9223372036854775808,"n":9007199254740993,"bytes":"AAH+/w==","u8":"aGk="}');
    expect(parseJsonText(text)).toEqual({ big: -9223372036854775808n, n: 9007199254740993n, bytes: 'AAH+/w==', u8: 'aGk=' });
  });
});

describe('writeJacksonPretty', () => {
  test('Jackson DefaultPrettyPrinter layout: " : ", inline arrays, objects indented by object depth only', () => {
    expect(writeJacksonPretty({ a: 1, b: [1, 2], c: [], d: {}, e: [{ x: { y: 'z' } }, { w: null }] })).toBe(`{
  "a" : 1,
  "b" : [ 1, 2 ],
  "c" : [ ],
  "d" : { },
  "e" : [ {
    "x" : {
      "y" : "z"
    }
  }, {
    "w" : null
  } ]
}`);
    expect(writeJacksonPretty([{ a: 1 }, { b: 2 }])).toBe('[ {\n  "a" : 1\n}, {\n  "b" : 2\n} ]');
  });
  test('parses back to the same value', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => { expect(JSON.parse(writeJacksonPretty(v))).toEqual(JSON.parse(JSON.stringify(v))); }), { numRuns: 300 });
  });
});
