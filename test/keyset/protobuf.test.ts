// The proto3 reader/writer: varint edges, unknown-field skipping, malformed input.

import { ProtoDecodeError, ProtoWriter, encodeVarint, readFields } from '../../src/keyset/protobuf';

describe('protobuf', () => {
  it.each([[0, '00'], [1, '01'], [127, '7f'], [128, '8001'], [300, 'ac02'], [1000000002, '8294ebdc03'], [0xffffffff, 'ffffffff0f']])(
    'varint %i <-> %s', (n, hexs) => {
      expect(encodeVarint(n).toString('hex')).toBe(hexs);
      const f = readFields(Buffer.concat([Buffer.from([0x08]), Buffer.from(hexs, 'hex')]));
      expect(f).toEqual([{ field: 1, wireType: 0, value: n }]);
    });

  it('keeps the low 32 bits of a 10-byte varint (how protobuf reads uint32/enum fields)', () => {
    // int64 -1 as written for a negative enum: ten bytes ff..ff 01
    expect(readFields(Buffer.from('08ffffffffffffffffff01', 'hex'))).toEqual([{ field: 1, wireType: 0, value: 0xffffffff }]);
  });

  it('writes fields in order and omits proto3 defaults, but not empty embedded messages', () => {
    const bytes = new ProtoWriter().uint32(1, 0).uint32(2, 5).bytes(3, Buffer.alloc(0)).string(4, 'ab').message(5, Buffer.alloc(0)).finish();
    expect(bytes.toString('hex')).toBe('1005' + '22026162' + '2a00');
  });

  it('returns every wire type it can skip: varint, fixed64, length-delimited, fixed32', () => {
    const bytes = Buffer.from('0801' + '11' + '0102030405060708' + '1a03616263' + '25' + 'aabbccdd', 'hex');
    expect(readFields(bytes).map((f) => [f.field, f.wireType])).toEqual([[1, 0], [2, 1], [3, 2], [4, 5]]);
  });

  it.each([
    ['truncated varint', '08'],
    ['length past the end', '0a05abcd'],
    ['truncated fixed64', '090102'],
    ['group wire type 3', '0b'],
    ['field number 0', '0001'],
    ['varint longer than 10 bytes', '08ffffffffffffffffffff01'],
  ])('rejects %s', (_name, hexs) => {
    expect(() => readFields(Buffer.from(hexs, 'hex'))).toThrow(ProtoDecodeError);
  });

  it('refuses to encode values outside uint32', () => {
    expect(() => encodeVarint(-1)).toThrow(RangeError);
    expect(() => encodeVarint(2 ** 32)).toThrow(RangeError);
    expect(() => encodeVarint(1.5)).toThrow(RangeError);
  });
});
