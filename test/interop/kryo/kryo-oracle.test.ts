// Cross-checks the KRYO serde and the k1 envelope against real Kryo 5.6.2 registered like Kryptonite 0.7.0's KryoInstance:
// Java writes → we read; we write → Java reads the expected class and value, and Java's own bytes for it are identical to ours.
import fc from 'fast-check';
import { decodeK1Envelope, encodeK1Envelope } from '../../../src/codec/k1-envelope';
import { KRYO_CLASS_NAMES } from '../../../src/codec/kryo-registry';
import { kryoDeserialize, kryoSerialize } from '../../../src/codec/kryo-serde';
import { SerdeError } from '../../../src/errors';
import {
  D, I, L, S, canon, expectedJs, javaTvOf, list, map, normTv, runKryoOracle, tv, type OracleAnswer, type OracleRequest, type TV,
} from './oracle';

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
const chars = (n: number, from = 0x20): string => Array.from({ length: n }, (_, i) => String.fromCharCode(from + (i % 90))).join('');
const LONG_MIXED = 'Grüße, 世界 😀 \u0000 ' + chars(5000);

/** Java objects the SMT/Funqy/Kroxylicious can put into a plaintext, as oracle TVs. */
const JAVA_VALUES: [string, TV][] = [
  ['null', null],
  ...[0, 1, -1, 42, 63, 64, -64, -65, 300, 2147483647, -2147483648].map((n): [string, TV] => [`Integer ${n}`, I(n)]),
  ...['0', '42', '-1', '2147483648', '-2147483649', '1234567890123', '9007199254740991', '-9007199254740991', '9007199254740992',
    '-9007199254740992', '72057594037927935', '72057594037927936', '-72057594037927937', '9223372036854775807', '-9223372036854775808',
  ].map((n): [string, TV] => [`Long ${n}`, L(n)]),
  ...[3.14, -0, 0, NaN, Infinity, -Infinity, 1e300, 5e-324, -2.5e-10].map((x): [string, TV] => [`Double ${String(x)}`, D(x)]),
  ...['1.5', '0.1', 'NaN', '-0.0', '3.4028235E38', '1.4E-45'].map((x): [string, TV] => [`Float ${x}`, tv('Float', x)]),
  ['Short 7', tv('Short', 7)], ['Short min', tv('Short', -32768)], ['Short max', tv('Short', 32767)],
  ['Byte -2', tv('Byte', -2)], ['Byte -128', tv('Byte', -128)], ['Byte 127', tv('Byte', 127)],
  ['Character x', tv('Character', 'x')], ['Character é', tv('Character', 'é')], ['Character NUL', tv('Character', '\u0000')],
  ['Character lone surrogate', tv('Character', '\ud83d')], ['Character U+FFFF', tv('Character', '\uffff')],
  ['Boolean true', tv('Boolean', true)], ['Boolean false', tv('Boolean', false)],
  ...['', 'a', 'é', 'k2', 'hello', 'Grüße', '😀', 'a😀b', '\u0000', 'a\u0000b', '\ud800', 'x\udfffy', chars(31), chars(32), chars(33),
    '0123456789012345678901234567890123', chars(32, 0x7f - 32), '日本語テキスト', chars(200), LONG_MIXED,
  ].map((s): [string, TV] => [`String len ${s.length} ${JSON.stringify(s.slice(0, 12))}`, S(s)]),
  ['byte[] empty', tv('byte[]', '')], ['byte[] 1,2,3', tv('byte[]', 'AQID')], ['byte[] 300', tv('byte[]', b64(Buffer.alloc(300, 0xab)))],
  ...['123.45', '-0.5', '0', '1', '10', '1.50', '1E+3', '0E-10', '1E-7', '0.000001', '-123456789012345678', '9223372036854775807',
    '9223372036854775808', '-9223372036854775809', '12345678901234567890.123456789', '-1E+100', '1.000000000000000000000001E-30',
  ].map((x): [string, TV] => [`BigDecimal ${x}`, tv('BigDecimal', x)]),
  ['ArrayList strings', list('ArrayList', S('a'), S('bc'))],
  ['ArrayList longs', list('ArrayList', L(1), L(2))],
  ['ArrayList string+null', list('ArrayList', S('x'), null)],
  ['ArrayList long+null', list('ArrayList', L(1), null)],
  ['ArrayList mixed', list('ArrayList', S('x'), L(1))],
  ['ArrayList mixed with null', list('ArrayList', L(1), D(2.5), S('s'), tv('Boolean', true), null)],
  ['ArrayList Integer+Long', list('ArrayList', I(1), L(1))],
  ['ArrayList empty', list('ArrayList')],
  ['ArrayList [null]', list('ArrayList', null)],
  ['ArrayList all null', list('ArrayList', null, null, null)],
  ['ArrayList nested list+null', list('ArrayList', list('ArrayList', L(1)), null)],
  ['ArrayList map+null', list('ArrayList', map('LinkedHashMap', [S('a'), L(1)]), null)],
  ['ArrayList byte[]+null', list('ArrayList', tv('byte[]', 'AQI='), null)],
  ['ArrayList BigDecimal+null', list('ArrayList', tv('BigDecimal', '1.5'), null)],
  ['ArrayList Utf8+null', list('ArrayList', tv('Utf8', 'u'), null)],
  ['ArrayList Character', list('ArrayList', tv('Character', 'a'), tv('Character', 'b'))],
  ['ArrayList int[]+null', list('ArrayList', list('int[]', I(1)), null)],
  ['ArrayList 70 strings', list('ArrayList', ...Array.from({ length: 70 }, (_, i) => S(`s${i}`)))],
  ['LinkedList', list('LinkedList', S('a'), null, L(3))],
  ['HashSet', list('HashSet', S('a'), S('b'), S('c'))],
  ['LinkedHashSet', list('LinkedHashSet', I(3), I(1), I(2))],
  ['Arrays.asList', list('Arrays$ArrayList', S('a'), S('b'))],
  ['Arrays.asList with null', list('Arrays$ArrayList', S('a'), null)],
  ['List.of(a,b) List12', list('ImmutableCollections$List12', S('a'), S('b'))],
  ['List.of(a) List12', list('ImmutableCollections$List12', S('a'))],
  ['List.of() ListN', list('ImmutableCollections$ListN')],
  ['List.of(1,2,3) ListN', list('ImmutableCollections$ListN', I(1), I(2), I(3))],
  ['List.of mixed ListN', list('ImmutableCollections$ListN', I(1), S('x'), L(3))],
  ['Set.of SetN', list('ImmutableCollections$SetN', S('a'), S('b'), S('c'))],
  ['HashMap {a=1L}', map('HashMap', [S('a'), L(1)])],
  ['HashMap k1..k3', map('HashMap', [S('k1'), L(9)], [S('k2'), L(8)], [S('k3'), L(7)])],
  ['LinkedHashMap {k=v}', map('LinkedHashMap', [S('k'), S('v')])],
  ['LinkedHashMap {n=null,l=[x]}', map('LinkedHashMap', [S('n'), null], [S('l'), list('ArrayList', S('x'))])],
  ['LinkedHashMap empty', map('LinkedHashMap')],
  ['LinkedHashMap __proto__ key', map('LinkedHashMap', [S('__proto__'), I(1)], [S('b'), I(2)])],
  ['LinkedHashMap Utf8 keys (Avro map)', map('HashMap', [tv('Utf8', 'k'), tv('Utf8', 'v')])],
  ['Map.of Map1', map('ImmutableCollections$Map1', [S('a'), I(1)])],
  ['Map.of() MapN', map('ImmutableCollections$MapN')],
  ['Map.of MapN', map('ImmutableCollections$MapN', [S('a'), I(1)], [S('b'), S('x')], [S('c'), list('ArrayList', D(1.5))])],
  ['nested', map('LinkedHashMap',
    [S('user'), map('HashMap', [S('name'), S('Al')], [S('tags'), list('ArrayList', S('x'), null, list('LinkedList'))])],
    [S('scores'), list('ArrayList', D(1.5), D(-0), null)], [S('raw'), tv('byte[]', 'AAE=')], [S('big'), L('9223372036854775807')])],
  ['unmodifiableList(ArrayList)', tv('Collections$UnmodifiableRandomAccessList', list('ArrayList', S('a'), L(2)))],
  ['unmodifiableList(LinkedList)', tv('Collections$UnmodifiableList', list('LinkedList', S('a')))],
  ['unmodifiableCollection', tv('Collections$UnmodifiableCollection', list('HashSet', S('a')))],
  ['unmodifiableSet', tv('Collections$UnmodifiableSet', list('LinkedHashSet', S('a'), S('b')))],
  ['unmodifiableMap', tv('Collections$UnmodifiableMap', map('LinkedHashMap', [S('a'), I(1)]))],
  ['synchronizedList', tv('Collections$SynchronizedRandomAccessList', list('ArrayList', I(1)))],
  ['synchronizedSet', tv('Collections$SynchronizedSet', list('HashSet', I(1)))],
  ['synchronizedMap', tv('Collections$SynchronizedMap', map('HashMap', [S('a'), null]))],
  ['synchronizedCollection', tv('Collections$SynchronizedCollection', list('ArrayList', S('z')))],
  ['Object[]', list('Object[]', S('a'), I(1), null, list('ArrayList', S('b')))],
  ['String[]', list('String[]', S('a'), null, S(''), S('é'))],
  ['Integer[]', list('Integer[]', I(1), null, I(-7))],
  ['int[]', list('int[]', I(0), I(-1), I(2147483647), I(-2147483648))],
  ['int[] empty', list('int[]')],
  ['Long[]', list('Long[]', L(1), null, L('-9223372036854775808'))],
  ['long[]', list('long[]', L(0), L('9007199254740993'), L(-5))],
  ['Double[]', list('Double[]', D(1.5), null, D(NaN))],
  ['double[]', list('double[]', D(-0), D(Infinity), D(0.1))],
  ['Float[]', list('Float[]', tv('Float', '0.5'), null)],
  ['float[]', list('float[]', tv('Float', '0.1'), tv('Float', '-1.0'))],
  ['Short[]', list('Short[]', tv('Short', 1), null)],
  ['short[]', list('short[]', tv('Short', -1), tv('Short', 300))],
  ['Byte[]', list('Byte[]', tv('Byte', 1), null, tv('Byte', -1))],
  ['Boolean[]', list('Boolean[]', tv('Boolean', true), null, tv('Boolean', false))],
  ['boolean[]', list('boolean[]', tv('Boolean', true), tv('Boolean', false))],
  ['char[]', list('char[]', tv('Character', 'a'), tv('Character', 'é'), tv('Character', '\ud83d'))],
  ['Utf8', tv('Utf8', 'avro text é')],
  ['HeapByteBuffer', tv('HeapByteBuffer', 'AQIDBA==')],
  ['HeapByteBuffer empty', tv('HeapByteBuffer', '')],
];

/** Valid Kryo data whose Java value has no JS counterpart in our mapping. */
const JAVA_REJECTED: [string, TV][] = [
  ['HashMap with Integer key', map('HashMap', [I(1), S('a')])],
  ['HashMap with null key', map('HashMap', [null, S('a')])],
  ['LinkedHashMap with Long key', map('LinkedHashMap', [S('ok'), I(1)], [L(5), S('a')])],
];

/** JS values a KafkaJS producer hands us, covering every branch of the write mapping. */
const big = 2n ** 63n - 1n;
const JS_VALUES: [string, unknown][] = [
  ['null', null], ['undefined', undefined], ['true', true], ['false', false],
  ...[0, 1, -1, 2147483647, 2147483648, -2147483648, -2147483649, 2 ** 52, 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 53, -(2 ** 53), 2 ** 64,
    1.5, -0, NaN, Infinity, -Infinity, 5e-324, 1e21, 0.1].map((n): [string, unknown] => [`number ${String(n)}`, n]),
  ...[0n, 5n, -5n, 2n ** 53n, big, -big - 1n, 2n ** 56n, -(2n ** 56n)].map((n): [string, unknown] => [`bigint ${n}`, n]),
  ...['', 'a', 'é', 'hello', chars(32), chars(33), '😀', 'a\u0000b', '\udc00', 'Grüße', LONG_MIXED].map(
    (s): [string, unknown] => [`string len ${s.length}`, s]),
  ['Buffer', Buffer.from([1, 2, 3])], ['Uint8Array', new Uint8Array([255, 0])], ['empty Buffer', Buffer.alloc(0)],
  ['[]', []], ['[null]', [null]], ['[null, undefined]', [null, undefined]], ['[1, 2]', [1, 2]], ['[1, 2**40]', [1, 2 ** 40]],
  ['[1, null]', [1, null]], ['[x, null]', ['x', null]], ['[Buffer, null]', [Buffer.from('a'), null]], ['[1n, 2n]', [1n, 2n]],
  ['[[1], [2, null]]', [[1], [2, null]]], ['[{a:1}, {b:2}, null]', [{ a: 1 }, { b: 2 }, null]], ['[1, 1.5, "s", true, null]', [1, 1.5, 's', true, null]],
  ['[[], {}]', [[], {}]], ['[true, false]', [true, false]],
  ['{}', {}], ['{k: v}', { k: 'v' }], ['object with undefined', { a: undefined, b: 1 }],
  ['nested object', { user: { name: 'Al', tags: ['x', null, []], age: 30, id: 2 ** 40 }, score: 1.5, raw: Buffer.from([0, 1]) }],
  ['__proto__ key', JSON.parse('{"__proto__": 1, "b": [2]}') as unknown],
  ['Map', new Map<string, unknown>([['z', 1], ['a', [null]]])],
  ['null-prototype object', Object.assign(Object.create(null) as object, { q: 'r' })],
];

/** The TV with elements of Java's unordered containers sorted, so a requested and a written value can be compared. */
function sortedUnordered(x: TV): TV {
  if (x === null || !Array.isArray(x.v)) return x !== null && x.v !== null && typeof x.v === 'object' ? { t: x.t, v: sortedUnordered(x.v as TV) } : x;
  const items = (x.v as unknown[]).map((e) => (Array.isArray(e) ? e.map((p) => sortedUnordered(p as TV)) : sortedUnordered(e as TV)));
  const unordered = /^(HashSet|HashMap|ImmutableCollections\$(SetN|Map1|MapN))$/.test(x.t);
  return { t: x.t, v: unordered ? items.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)) : items };
}

let javaWrites: OracleAnswer[] = [];
let javaReadsOurs: OracleAnswer[] = [];
let javaRejected: OracleAnswer[] = [];
let javaWritesSame: OracleAnswer[] = [];
let registrations: OracleAnswer;
let k1: OracleAnswer[] = [];
let propertyValues: unknown[] = [];
let propertyAnswers: OracleAnswer[] = [];
let kryptoniteLarge: OracleAnswer[] = [];

const K1_CASES = [
  { ciphertext: Buffer.from('013b9aca02000102030405060708090a0bab05b59fd12432638f86e5d3c8f95bc0921aefcaea25', 'hex'), algorithmId: '02', keyId: 'keyB', version: 'k1' },
  { ciphertext: Buffer.alloc(0), algorithmId: '03', keyId: '', version: 'k1' },
  { ciphertext: Buffer.alloc(200, 7), algorithmId: '02', keyId: 'schlüssel-😀', version: 'k1' },
];

beforeAll(() => {
  propertyValues = fc.sample(
    fc.jsonValue({ maxDepth: 4 }),
    { numRuns: 150, seed: 42 },
  );
  const requests: OracleRequest[] = [
    { op: 'registrations' },
    ...JAVA_VALUES.map(([, value]): OracleRequest => ({ op: 'write', value })),
    ...JS_VALUES.map(([, v]): OracleRequest => ({ op: 'read', bytes: b64(kryoSerialize(v)) })),
    ...JS_VALUES.map(([, v]): OracleRequest => ({ op: 'write', value: javaTvOf(v) })),
    ...JAVA_REJECTED.map(([, value]): OracleRequest => ({ op: 'write', value })),
    ...K1_CASES.map((c): OracleRequest => ({ op: 'k1encode', ...c, ciphertext: b64(c.ciphertext) })),
    ...K1_CASES.map((c): OracleRequest => ({ op: 'k1decode', bytes: b64(encodeK1Envelope(c)) })),
    ...propertyValues.map((v): OracleRequest => ({ op: 'read', bytes: b64(kryoSerialize(v)) })),
    ...[4000, 5000].map((n): OracleRequest => ({ op: 'kryptoniteBytes', value: S('x'.repeat(n)) })),
  ];
  const answers = runKryoOracle(requests);
  let i = 0;
  const take = (n: number): OracleAnswer[] => answers.slice(i, (i += n));
  registrations = take(1)[0] as OracleAnswer;
  javaWrites = take(JAVA_VALUES.length);
  javaReadsOurs = take(JS_VALUES.length);
  javaWritesSame = take(JS_VALUES.length);
  javaRejected = take(JAVA_REJECTED.length);
  k1 = take(K1_CASES.length * 2);
  propertyAnswers = take(propertyValues.length);
  kryptoniteLarge = take(2);
});

test('registration ids of the oracle match our table (wire-format §3.3)', () => {
  const regs = registrations.registrations ?? [];
  expect(regs).toHaveLength(KRYO_CLASS_NAMES.length);
  const simple = (n: string): string => n.replace(/^KryoOracle\$/, '').replace(/^(java\.(lang|util|math|nio|sql)\.)/, '');
  const javaNames = regs.map((r) => simple(r.class));
  // Spot-check the positions the wire depends on most.
  expect(javaNames.slice(0, 9)).toEqual(['int', 'String', 'float', 'boolean', 'byte', 'char', 'short', 'long', 'double']);
  expect(javaNames[10]).toBe('PayloadMetaData');
  expect(javaNames[16]).toBe('[B');
  expect(javaNames[19]).toBe('ArrayList');
  expect(javaNames[23]).toBe('LinkedHashMap');
  expect(javaNames[30]).toBe('Arrays$ArrayList');
  expect(javaNames[37]).toBe('Collections$UnmodifiableRandomAccessList');
  expect(javaNames[49]).toBe('Collections$SynchronizedSortedMap');
  expect(javaNames[53]).toBe('[Ljava.lang.Object;');
  expect(javaNames[68]).toBe('[C');
  expect(javaNames[73]).toBe('Utf8');
  expect(javaNames[74]).toBe('HeapByteBuffer');
});

describe('Java writes, we read', () => {
  test.each(JAVA_VALUES.map(([name, value], idx) => [name, value, idx] as const))('%s', (_name, value, idx) => {
    const answer = javaWrites[idx] as OracleAnswer;
    expect(answer.error).toBeUndefined();
    expect(answer.class).toBe(value === null ? 'null' : value.t);
    const bytes = Buffer.from(answer.bytes as string, 'base64');
    // Java's description of what it wrote: same content as requested, in its iteration order (Set.of/Map.of vary per JVM).
    const written = answer.value as TV;
    expect(canon(expectedJs(sortedUnordered(written)))).toBe(canon(expectedJs(sortedUnordered(value))));
    expect(canon(kryoDeserialize(bytes))).toBe(canon(expectedJs(written)));
  });
});

describe('we write, Java reads the expected class and value, and writes the same bytes', () => {
  test.each(JS_VALUES.map(([name, value], idx) => [name, value, idx] as const))('%s', (_name, value, idx) => {
    const read = javaReadsOurs[idx] as OracleAnswer;
    expect(read.error).toBeUndefined();
    const ours = kryoSerialize(value);
    expect(read.consumed).toBe(ours.length);
    expect(normTv(read.value as TV)).toEqual(normTv(javaTvOf(value)));
    const javaBytes = javaWritesSame[idx] as OracleAnswer;
    expect(javaBytes.error).toBeUndefined();
    expect(ours.toString('hex')).toBe(Buffer.from(javaBytes.bytes as string, 'base64').toString('hex'));
  });
});

test('random JSON values: Java reads what we write (fast-check sample, seed 42)', () => {
  expect(propertyAnswers).toHaveLength(propertyValues.length);
  propertyValues.forEach((v, i) => {
    const answer = propertyAnswers[i] as OracleAnswer;
    expect(answer.error).toBeUndefined();
    expect(normTv(answer.value as TV)).toEqual(normTv(javaTvOf(v)));
  });
});

describe('valid Java data with no JS mapping is rejected with a SerdeError', () => {
  test.each(JAVA_REJECTED.map(([name, value], idx) => [name, value, idx] as const))('%s', (_name, _value, idx) => {
    const answer = javaRejected[idx] as OracleAnswer;
    expect(answer.error).toBeUndefined();
    const bytes = Buffer.from(answer.bytes as string, 'base64');
    expect(() => kryoDeserialize(bytes)).toThrow(SerdeError);
    expect(() => kryoDeserialize(bytes)).toThrow(/map key of class/);
  });
});

describe('k1 envelope', () => {
  test.each(K1_CASES.map((c, i) => [c.keyId, c, i] as const))('Java writeObject(EncryptedField) = ours (key id %j)', (_k, c, i) => {
    const javaEncoded = k1[i] as OracleAnswer;
    expect(javaEncoded.error).toBeUndefined();
    const javaBytes = Buffer.from(javaEncoded.bytes as string, 'base64');
    expect(encodeK1Envelope(c).toString('hex')).toBe(javaBytes.toString('hex'));
    expect(decodeK1Envelope(javaBytes)).toEqual(c);
    const javaDecoded = k1[K1_CASES.length + i] as OracleAnswer;
    expect(javaDecoded).toMatchObject({ ok: true, ciphertext: b64(c.ciphertext), algorithmId: c.algorithmId, keyId: c.keyId, version: c.version });
  });
});

test("Kryptonite's objectToBytes keeps only the last 4096-byte buffer of larger plaintexts (Java-side finding)", () => {
  const [small, large] = kryptoniteLarge as [OracleAnswer, OracleAnswer];
  expect(kryoDeserialize(Buffer.from(small.bytes as string, 'base64'))).toBe('x'.repeat(4000));
  // Output(new ByteArrayOutputStream()) has a 4096-byte buffer that flushes into the stream; toBytes() returns only what is
  // still buffered. Real Kryo shows the truncation; our serializer writes the full value.
  const javaBytes = Buffer.from(large.bytes as string, 'base64');
  expect(javaBytes.length).toBeLessThan(5000);
  expect(kryoSerialize('x'.repeat(5000)).length).toBe(5000 + 3);
});
