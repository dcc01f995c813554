// FF3 / FF3-1 core: round trips over every alphabet and length range, tweak handling, and the error contract.

import fc from 'fast-check';
import { ConfigError, CryptoError } from '../../src/errors';
import { Ff3Cipher, prepareFf3Alphabet, prepareFf3Tweak } from '../../src/cipher/ff3';
import { FPE_ALPHABETS } from '../../src/cipher/fpe-alphabets';

const KEY = Buffer.from('2DE79D232DF5585D68CE47882AE256D6', 'hex');
const T7 = prepareFf3Tweak(Buffer.from('CBD09280979564', 'hex'));
const DIGITS = prepareFf3Alphabet(FPE_ALPHABETS.DIGITS);

const allAlphabets: Record<string, string> = {
  ...FPE_ALPHABETS,
  binary: '01',
  'radix 256': String.fromCharCode(...Array.from({ length: 256 }, (_, i) => 0x100 + i)),
};

/** A random value of length n over the alphabet. */
const valueOf = (alphabet: string, n: number) =>
  fc.array(fc.integer({ min: 0, max: alphabet.length - 1 }), { minLength: n, maxLength: n })
    .map((ds) => ds.map((d) => alphabet[d]).join(''));

const tweakBytes = fc.oneof(fc.uint8Array({ minLength: 7, maxLength: 7 }), fc.uint8Array({ minLength: 8, maxLength: 8 }));
const keyBytes = fc.constantFrom(16, 24, 32).chain((n) => fc.uint8Array({ minLength: n, maxLength: n }));

describe('FF3 core round trips', () => {
  it.each(Object.entries(allAlphabets))('%s: min, max and random lengths decrypt back, keep length and alphabet', (_name, alphabetString) => {
    const alphabet = prepareFf3Alphabet(alphabetString);
    const length = fc.oneof(fc.constant(alphabet.minLen), fc.constant(alphabet.maxLen),
      fc.integer({ min: alphabet.minLen, max: alphabet.maxLen }));
    const lengthsSeen = new Set<number>();
    fc.assert(fc.property(keyBytes, tweakBytes, length.chain((n) => valueOf(alphabetString, n)), (key, t, value) => {
      lengthsSeen.add(value.length);
      const cipher = new Ff3Cipher(key);
      const tweak = prepareFf3Tweak(t);
      const ct = cipher.encrypt(value, tweak, alphabet);
      expect(ct).toHaveLength(value.length);
      for (const ch of ct) expect(alphabetString.includes(ch)).toBe(true);
      expect(cipher.decrypt(ct, tweak, alphabet)).toBe(value);
    }), { numRuns: 60 });
    expect(lengthsSeen.has(alphabet.minLen) && lengthsSeen.has(alphabet.maxLen)).toBe(true);
  });

  it('is deterministic and a permutation: distinct plaintexts never collide', () => {
    const cipher = new Ff3Cipher(KEY);
    const seen = new Map<string, string>();
    for (let i = 0; i < 2000; i++) {
      const pt = String(i).padStart(6, '0');
      const ct = cipher.encrypt(pt, T7, DIGITS);
      expect(cipher.encrypt(pt, T7, DIGITS)).toBe(ct);
      expect(seen.has(ct)).toBe(false);
      seen.set(ct, pt);
    }
  });

  it('a different tweak or key gives a different output', () => {
    const cipher = new Ff3Cipher(KEY);
    const pt = '5544600070008000';
    const base = cipher.encrypt(pt, T7, DIGITS);
    const other = prepareFf3Tweak(Buffer.from('CBD09280979565', 'hex'));
    expect(cipher.encrypt(pt, other, DIGITS)).not.toBe(base);
    expect(new Ff3Cipher(Buffer.alloc(16, 1)).encrypt(pt, T7, DIGITS)).not.toBe(base);
    expect(cipher.decrypt(base, other, DIGITS)).not.toBe(pt); // no integrity check: a wrong tweak gives a wrong value
  });

  it('FF3-1 with a 56-bit tweak equals FF3 with the 64-bit tweak it expands to', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 7, maxLength: 7 }), valueOf(FPE_ALPHABETS.DIGITS, 12), (t, value) => {
      const t64 = Uint8Array.of(t[0]!, t[1]!, t[2]!, t[3]! & 0xf0, t[4]!, t[5]!, t[6]!, (t[3]! & 0x0f) << 4);
      const cipher = new Ff3Cipher(KEY);
      expect(cipher.encrypt(value, prepareFf3Tweak(t), DIGITS)).toBe(cipher.encrypt(value, prepareFf3Tweak(t64), DIGITS));
    }), { numRuns: 50 });
  });

  it('FF3 8-byte tweak: NIST sample 1 and its round trip', () => {
    const cipher = new Ff3Cipher(Buffer.from('EF4359D8D580AA4F7F036D6F04FC6A94', 'hex'));
    const tweak = prepareFf3Tweak(Buffer.from('D8E7920AFA330A73', 'hex'));
    expect(tweak.byteLength).toBe(8);
    expect(cipher.encrypt('890121234567890000', tweak, DIGITS)).toBe('750918814058654607');
    expect(cipher.decrypt('750918814058654607', tweak, DIGITS)).toBe('890121234567890000');
  });

  it('does not modify the caller\'s key or tweak bytes', () => {
    const key = Buffer.from(KEY);
    const t = Buffer.from('CBD09280979564', 'hex');
    new Ff3Cipher(key).encrypt('123456', prepareFf3Tweak(t), DIGITS);
    expect(key.equals(KEY)).toBe(true);
    expect(t.toString('hex')).toBe('cbd09280979564');
  });
});

describe('FF3 core errors', () => {
  const cipher = new Ff3Cipher(KEY);
  const thrown = (f: () => unknown): Error => {
    try { f(); } catch (e) { return e as Error; }
    throw new Error('expected a throw');
  };

  it('length out of bounds: Mysto\'s message, CryptoError, not retriable', () => {
    const short = thrown(() => cipher.encrypt('12345', T7, DIGITS));
    expect(short).toBeInstanceOf(CryptoError);
    expect(short.message).toMatch(/^message length 5 is not within min 6 and max 56 bounds/);
    expect((short as CryptoError).retriable).toBe(false);
    expect(() => cipher.decrypt('1'.repeat(57), T7, DIGITS)).toThrow(/message length 57 is not within min 6 and max 56 bounds/);
    expect(() => cipher.encrypt('', T7, DIGITS)).toThrow(/message length 0/);
  });

  it('a character outside the alphabet names its position, never the character or the value', () => {
    const value = '4111-1111-1111';
    const err = thrown(() => cipher.encrypt(value, T7, DIGITS));
    expect(err).toBeInstanceOf(CryptoError);
    expect(err.message).toMatch(/character at position 4 is not in the FPE alphabet \(radix 10\)/);
    expect(err.message).not.toContain('-');
    expect(err.message).not.toContain('4111');
    const lower = thrown(() => cipher.decrypt('ABCDEFGHIj', T7, prepareFf3Alphabet(FPE_ALPHABETS.UPPERCASE)));
    expect(lower.message).toMatch(/position 9/);
    expect(lower.message).not.toMatch(/j/);
    // Units above the alphabet's highest unit take a different path through the lookup table.
    expect(() => cipher.encrypt('12345\u20ac', T7, DIGITS)).toThrow(/position 5/);
  });

  it('non-string input names the JS type', () => {
    expect(() => cipher.encrypt(123456 as never, T7, DIGITS)).toThrow(/FPE input must be a string, got a number/);
    expect(() => cipher.encrypt(null as never, T7, DIGITS)).toThrow(/got null/);
    expect(() => cipher.decrypt(Buffer.from('123456') as never, T7, DIGITS)).toThrow(/got bytes/);
    expect(() => cipher.encrypt(['1'] as never, T7, DIGITS)).toThrow(/got an array/);
  });

  it('tweak of the wrong length names its byte length', () => {
    for (const n of [0, 6, 9, 16]) {
      const err = thrown(() => prepareFf3Tweak(new Uint8Array(n)));
      expect(err).toBeInstanceOf(ConfigError);
      expect(err.message).toContain(`FPE tweak length ${n} bytes is invalid`);
    }
    expect(() => prepareFf3Tweak('0000000' as never)).toThrow(/FPE tweak must be bytes, got a string/);
  });

  it('key of the wrong size is refused without echoing key bytes', () => {
    for (const n of [0, 8, 15, 17, 31, 33, 64]) {
      const key = Buffer.alloc(n, 0xab);
      const err = thrown(() => new Ff3Cipher(key));
      expect(err).toBeInstanceOf(CryptoError);
      expect(err.message).toContain(`FPE key length ${n} bytes is invalid`);
      expect(err.message.toLowerCase()).not.toContain('abab');
    }
    expect(() => new Ff3Cipher('00112233445566778899aabbccddeeff' as never)).toThrow(/FPE key must be bytes, got a string/);
  });

  it('alphabets with duplicates, under 2 or over 256 characters are refused', () => {
    expect(() => prepareFf3Alphabet('0120')).toThrow(ConfigError);
    expect(() => prepareFf3Alphabet('0')).toThrow(/at least 2 characters/);
    expect(() => prepareFf3Alphabet(String.fromCharCode(...Array.from({ length: 257 }, (_, i) => 0x100 + i))))
      .toThrow(/radix must be between 2 and 256/);
  });
});
