import fc from 'fast-check';
import { K2Header, decodeStrictBase64, parseEnvelope } from '../../src/codec/envelope';

// Java's basic decoder, written as the obvious (slow) rule: standard alphabet, padding only at the end and correct.
function javaAccepts(text: string): boolean {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return false;
  const body = text.replace(/=+$/, '');
  if (body.length % 4 === 1) return false;
  return text.length === body.length || text.length % 4 === 0;
}

describe('k2 envelope', () => {
  it('writes magic, serde code, algorithm id, key-id length, key id and ciphertext, and reads them back', () => {
    const h = new K2Header('01', '03', 'kéy');
    const text = h.wrap(Buffer.from([9, 8, 7]));
    expect(Buffer.from(text, 'base64')).toEqual(Buffer.from([0x6b, 0x32, 0x30, 0x31, 0x30, 0x33, 4, 0x6b, 0xc3, 0xa9, 0x79, 9, 8, 7]));
    expect(h.associatedData).toEqual(Buffer.from('k203kéy', 'utf8'));
    expect(parseEnvelope(text)).toEqual({ version: 'k2', serdeCode: '01', algorithmId: '03', keyId: 'kéy', ciphertext: Buffer.from([9, 8, 7]) });
  });

  it('refuses key ids longer than 255 UTF-8 bytes', () => {
    expect(() => new K2Header('00', '02', 'é'.repeat(128))).toThrow(/at most 255/);
  });

  it('reports truncated headers', () => {
    expect(() => parseEnvelope(Buffer.from('k20002').toString('base64'))).toThrow(/truncated/);
    expect(() => parseEnvelope(Buffer.from([0x6b, 0x32, 0x30, 0x30, 0x30, 0x32, 9, 0x61]).toString('base64'))).toThrow(/key id needs 9 bytes/);
  });
});

describe('strict Base64', () => {
  it('accepts exactly what Java\'s basic decoder accepts', () => {
    const alphabet = 'ABCab01+/=-_ \n.é';
    const text = fc.array(fc.constantFrom(...alphabet), { maxLength: 14 }).map((a) => a.join(''));
    fc.assert(fc.property(text, (t) => {
      const ours = decodeStrictBase64(t);
      expect(ours !== undefined).toBe(javaAccepts(t));
      if (ours !== undefined) expect(ours).toEqual(Buffer.from(t, 'base64'));
    }), { numRuns: 20_000 });
  });

  it('round-trips random bytes with and without padding', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
      const t = Buffer.from(b).toString('base64');
      expect(decodeStrictBase64(t)).toEqual(Buffer.from(b));
      expect(decodeStrictBase64(t.replace(/=+$/, ''))).toEqual(Buffer.from(b));
    }));
  });
});
