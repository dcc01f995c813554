// Avro binary primitives: zig-zag varint boundaries, int/long limits, floats, Java-style UTF-8.
import fc from 'fast-check';
import { AvroReader, AvroWriter, javaUtf8 } from '../../src/codec/avro-binary';
import { floatToNumber } from '../../src/codec/avro-decode';
import { SerdeError } from '../../src/errors';

const longHex = (v: number | bigint): string => {
  const w = new AvroWriter(1);
  w.writeLong(v);
  return w.toBuffer().toString('hex');
};

describe('zig-zag varint longs', () => {
  it.each([
    [0, '00'], [-1, '01'], [1, '02'], [63, '7e'], [-64, '7f'], [64, '8001'], [-65, '8101'],
    [0x3fffffff, 'feffffff07'], [-0x40000000, 'ffffffff07'], [0x40000000, '8080808008'],
    [2n ** 63n - 1n, 'feffffffffffffffff01'], [-(2n ** 63n), 'ffffffffffffffffff01'],
  ])('%p -> %s and back', (v, hex) => {
    expect(longHex(v)).toBe(hex);
    const back = new AvroReader(Buffer.from(hex, 'hex')).readLong();
    expect(BigInt(back)).toBe(BigInt(v));
  });

  it('round-trips every 64-bit value, as number when safe and bigint otherwise', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (v) => {
      const back = new AvroReader(Buffer.from(longHex(v), 'hex')).readLong();
      const safe = v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER);
      expect(typeof back).toBe(safe ? 'number' : 'bigint');
      expect(BigInt(back)).toBe(v);
    }), { numRuns: 2000 });
  });

  it('refuses longs outside 64 bits on write', () => {
    expect(() => longHex(2n ** 63n)).toThrow(RangeError);
  });

  it('reads ints as Java does: 5 bytes at most, low 32 bits kept', () => {
    expect(new AvroReader(Buffer.from('feffffff0f', 'hex')).readInt()).toBe(2147483647);
    expect(new AvroReader(Buffer.from('ffffffff0f', 'hex')).readInt()).toBe(-2147483648);
    expect(() => new AvroReader(Buffer.from('ffffffffff01', 'hex')).readInt()).toThrow(SerdeError);
  });

  it('names the offset of a truncated value', () => {
    const r = new AvroReader(Buffer.from('0280', 'hex'));
    expect(r.readLong()).toBe(1);
    expect(() => r.readLong()).toThrow(/truncated long at byte offset 2/);
  });
});

describe('floats and strings', () => {
  it('shows a float as the shortest decimal that reads back to it', () => {
    expect(floatToNumber(Math.fround(0.1))).toBe(0.1);
    expect(floatToNumber(Math.fround(3.4028234663852886e38))).toBe(3.4028235e38);
    expect(floatToNumber(Math.fround(1.401298464324817e-45))).toBe(1e-45);
    expect(floatToNumber(-0)).toBe(-0);
    expect(floatToNumber(NaN)).toBeNaN();
    fc.assert(fc.property(fc.float({ noNaN: true }), (f) => {
      expect(Math.fround(floatToNumber(f))).toBe(f);
    }));
  });

  it('encodes lone surrogates as "?" and keeps pairs', () => {
    expect(javaUtf8('\udc00x\ud83d\ude00\ud800').toString('hex')).toBe('3f78f09f98803f');
  });
});
