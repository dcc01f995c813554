// Kryo 5.6.2 primitive encodings: varints, zigzag, flagged varints, the 9-byte long form, strings, bounds checks.
import fc from 'fast-check';
import { KryoInput } from '../../src/codec/kryo-input';
import { KryoOutput } from '../../src/codec/kryo-output';
import { SerdeError } from '../../src/errors';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
function written(write: (o: KryoOutput) => void, capacity = 256): string {
  const o = new KryoOutput(capacity);
  write(o);
  return o.toBuffer().toString('hex');
}

describe('varints', () => {
  test.each([
    [0, '00'], [1, '01'], [127, '7f'], [128, '8001'], [300, 'ac02'], [16383, 'ff7f'], [16384, '808001'],
    [0x7fffffff, 'ffffffff07'], [0xffffffff, 'ffffffff0f'],
  ])('unsigned %d -> %s', (n, h) => {
    expect(written((o) => o.writeVarUint(n))).toBe(h);
    expect(new KryoInput(hex(h)).readVarUint()).toBe(n);
  });

  test.each([
    [0, '00'], [-1, '01'], [1, '02'], [42, '54'], [300, 'd804'], [-64, '7f'], [64, '8001'],
    [2147483647, 'feffffff0f'], [-2147483648, 'ffffffff0f'],
  ])('zigzag int %d -> %s', (n, h) => {
    expect(written((o) => o.writeVarIntZigZag(n))).toBe(h);
    expect(new KryoInput(hex(h)).readVarIntZigZag()).toBe(n);
  });

  test.each([
    [false, 0, '00'], [true, 0, '80'], [true, 1, '81'], [true, 63, 'bf'], [true, 64, 'c001'], [false, 64, '4001'],
    [true, 35, 'a3'], [false, 8192, '408001'], [true, 0x7fffffff, 'ffffffff0f'],
  ])('varint-with-flag %s %d -> %s', (flag, n, h) => {
    expect(written((o) => o.writeVarIntFlag(flag, n))).toBe(h);
    const input = new KryoInput(hex(h));
    expect(input.readVarIntFlag()).toBe(n);
    expect(input.lastFlag).toBe(flag);
    expect(input.remaining).toBe(0);
  });

  test.each([
    [0, '00'], [-1, '01'], [42, '54'], [1234567890123, '9693d89fee47'],
    [2 ** 53 - 1, 'feffffffffffff1f'], [-(2 ** 53 - 1), 'fdffffffffffff1f'],
    [2n ** 55n, '8080808080808080' + '01'],
    [2n ** 63n - 1n, 'feffffffffffffffff'], [-(2n ** 63n), 'ffffffffffffffffff'],
    [2n ** 62n, '8080808080808080' + '80'],
  ])('zigzag long %s uses the 9-byte form when needed', (n, h) => {
    expect(written((o) => o.writeVarLongZigZag(n))).toBe(h);
    const back = new KryoInput(hex(h)).readVarLongZigZag();
    expect(BigInt(back)).toBe(BigInt(n));
    expect(typeof back).toBe(Math.abs(Number(n)) <= Number.MAX_SAFE_INTEGER ? 'number' : 'bigint');
  });

  test('long round trip over the whole int64 range (numbers when safe, bigints otherwise)', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (n) => {
      const bytes = Buffer.from(written((o) => o.writeVarLongZigZag(n)), 'hex');
      expect(bytes.length).toBeLessThanOrEqual(9);
      const input = new KryoInput(bytes);
      const back = input.readVarLongZigZag();
      expect(BigInt(back)).toBe(n);
      expect(input.remaining).toBe(0);
      const safe = n >= -BigInt(Number.MAX_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER);
      expect(typeof back).toBe(safe ? 'number' : 'bigint');
      if (safe) expect(written((o) => o.writeVarLongZigZag(Number(n)))).toBe(bytes.toString('hex'));
    }), { numRuns: 2000 });
  });

  test('the 9th byte of a long carries 8 bits (not LEB128)', () => {
    // zigzag(2^62) = 2^63: eight 0x80 groups then a full byte 0x80 (no continuation meaning).
    expect(BigInt(new KryoInput(hex('808080808080808080')).readVarLongZigZag())).toBe(2n ** 62n);
  });
});

describe('strings', () => {
  const ascii = (n: number): string => 'abcdefghij'.repeat(4).slice(0, n);
  test.each([
    ['', '81'], ['a', '8261'], ['k2', '6bb2'], ['hello', '68656c6cef'], ['é', '82c3a9'], ['Grüße', '864772c3bcc39f65'],
    ['😀', '83eda0bdedb880'], ['\u0000', '8200'], ['a\u0000', '6180'], ['\u0000a', '00e1'], ['\u0000\u0000', '0080'], ['\u00ff', '82c3bf'], ['\u07ff', '82dfbf'],
    ['\u0800', '82e0a080'], ['\uffff', '82efbfbf'], ['\ud800', '82eda080'], ['x\udfff', '8378edbfbf'],
    [ascii(32), Buffer.from(ascii(31)).toString('hex') + (ascii(32).charCodeAt(31) | 0x80).toString(16)],
    [ascii(33), 'a2' + Buffer.from(ascii(33)).toString('hex')],
  ])('%j', (s, h) => {
    expect(written((o) => o.writeString(s))).toBe(h);
    const input = new KryoInput(hex(h));
    expect(input.readString()).toBe(s);
    expect(input.remaining).toBe(0);
  });

  test('null is 0x80 both ways', () => {
    expect(written((o) => o.writeString(null))).toBe('80');
    expect(new KryoInput(hex('80')).readString()).toBeNull();
  });

  test('long and growing strings, with a tiny initial buffer', () => {
    const s = 'αβγ😀'.repeat(3000) + 'x'.repeat(10000);
    const bytes = Buffer.from(written((o) => o.writeString(s), 1), 'hex');
    expect(new KryoInput(bytes).readString()).toBe(s);
  });

  test('any UTF-16 string (lone surrogates included) round-trips', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (s) => {
      const input = new KryoInput(Buffer.from(written((o) => o.writeString(s)), 'hex'));
      expect(input.readString()).toBe(s);
      expect(input.remaining).toBe(0);
    }), { numRuns: 3000 });
  });

  test.each([
    ['unterminated ASCII', '6162'],
    ['truncated length form', '8561'],
    ['truncated 2-byte unit', '82c3'],
    ['truncated 3-byte unit', '82eda0'],
    ['invalid lead byte', '82ff'],
    ['continuation byte as lead', '8280'],
    ['empty input', ''],
  ])('%s fails with the offset', (_name, h) => {
    const input = new KryoInput(hex(h));
    expect(() => input.readString()).toThrow(SerdeError);
    expect(() => new KryoInput(hex(h)).readString()).toThrow(/offset \d+/);
  });
});

describe('fixed-width numbers and bounds', () => {
  test('little-endian fixed numbers', () => {
    expect(written((o) => o.writeInt32LE(3))).toBe('03000000');
    expect(written((o) => o.writeFloat64LE(3.14))).toBe('1f85eb51b81e0940');
    const input = new KryoInput(hex('0000c03f 0700 7800 feff ffff'));
    expect(input.readFloat32LE()).toBe(1.5);
    expect(input.readInt16LE()).toBe(7);
    expect(input.readUint16LE()).toBe(0x78);
    expect(input.readInt32LE()).toBe(-2);
  });

  test.each([
    ['varint', (i: KryoInput) => i.readVarUint(), '80'],
    ['varlong', (i: KryoInput) => i.readVarLongZigZag(), 'ffff'],
    ['int32', (i: KryoInput) => i.readInt32LE(), '010203'],
    ['double', (i: KryoInput) => i.readFloat64LE(), '00'],
    ['bytes', (i: KryoInput) => i.readBytes(4, 'byte[]'), '0102'],
    ['flag varint', (i: KryoInput) => i.readVarIntFlag(), 'c0'],
  ])('truncated %s is a SerdeError with code KRYO_MALFORMED', (_name, read, h) => {
    let caught: unknown;
    try {
      read(new KryoInput(hex(h)));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SerdeError);
    expect((caught as SerdeError).code).toBe('KRYO_MALFORMED');
  });
});
