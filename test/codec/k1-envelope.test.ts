// Legacy k1 envelope: the Kryo framing of wire-format Ex-2, round trips and malformed input.
import { decodeK1Envelope, encodeK1Envelope } from '../../src/codec/k1-envelope';
import { SerdeError } from '../../src/errors';

const EX2_BASE64 = 'KAE7msoCAAECAwQFBgcICQoLqwW1n9EkMmOPhuXTyPlbwJIa78rqJQwwsmtlecJrsQ==';
const EX2_CIPHERTEXT = Buffer.from(
  '013b9aca02' + '000102030405060708090a0b' + 'ab05b59fd124' + '32638f86e5d3c8f95bc0921aefcaea25', 'hex');

function errorOf(f: () => unknown): SerdeError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(SerdeError);
    return err as SerdeError;
  }
  throw new Error('expected a SerdeError');
}

test('Ex-2 decodes to its ciphertext and PayloadMetaData', () => {
  const bytes = Buffer.from(EX2_BASE64, 'base64');
  expect(bytes[0]).toBe(0x28); // varint(39 + 1)
  const env = decodeK1Envelope(bytes);
  expect(env).toEqual({ ciphertext: EX2_CIPHERTEXT, algorithmId: '02', keyId: 'keyB', version: 'k1' });
  expect(Buffer.isBuffer(env.ciphertext)).toBe(true);
});

test('Ex-2 framing: encode reproduces the exact bytes', () => {
  const encoded = encodeK1Envelope({ ciphertext: EX2_CIPHERTEXT, algorithmId: '02', keyId: 'keyB', version: 'k1' });
  expect(encoded.toString('base64')).toBe(EX2_BASE64);
  expect(encoded.subarray(40).toString('hex')).toBe('0c30b26b6579c26bb1');
});

test.each([
  ['empty ciphertext, empty key id', { ciphertext: Buffer.alloc(0), algorithmId: '03', keyId: '', version: 'k1' }],
  ['long key id with non-ASCII', { ciphertext: Buffer.alloc(300, 1), algorithmId: '02', keyId: 'ключ-😀'.repeat(10), version: 'k1' }],
  ['1-char strings', { ciphertext: Buffer.from([0]), algorithmId: '2', keyId: 'k', version: 'x' }],
])('round trip: %s', (_name, env) => {
  const decoded = decodeK1Envelope(new Uint8Array(encodeK1Envelope(env)));
  expect(decoded).toEqual(env);
});

describe('malformed k1 input', () => {
  const valid = Buffer.from(EX2_BASE64, 'base64');

  test('every truncation fails with K1_ENVELOPE_MALFORMED', () => {
    for (let n = 0; n < valid.length; n++) {
      expect(errorOf(() => decodeK1Envelope(valid.subarray(0, n))).code).toBe('K1_ENVELOPE_MALFORMED');
    }
  });

  test.each([
    ['null ciphertext', '00 0c 30 b2 6b 31 6b b1', /null ciphertext/],
    ['null metadata', '02 aa 00', /null metadata at offset 2/],
    ['wrong metadata class', '02 aa 0b 30 b2 6b b1 6b b1', /marker 0xb.*PayloadMetaData/],
    ['null key id', '02 aa 0c 30 b2 80 6b b1', /null keyId/],
    ['trailing bytes', '02 aa 0c 30 b2 6b b1 6b b1 00', /trailing/],
    ['a k2 envelope', Buffer.from('k20002').toString('hex') + '04' + Buffer.from('keyB').toString('hex'), /k1 envelope/],
  ])('%s', (_name, h, message) => {
    const err = errorOf(() => decodeK1Envelope(Buffer.from(h.replace(/\s+/g, ''), 'hex')));
    expect(err.code).toBe('K1_ENVELOPE_MALFORMED');
    expect(err.message).toMatch(message);
    expect(err.message).not.toMatch(/aa/);
  });
});
