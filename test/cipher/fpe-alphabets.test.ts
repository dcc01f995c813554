// Exact alphabet strings, alphabet validation and the exact-integer FF3-1 length bounds.

import { ConfigError } from '../../src/errors';
import { FPE_ALPHABETS, alphabetFor, fpeLengthBounds, validateAlphabet } from '../../src/cipher/fpe-alphabets';

describe('FPE alphabets', () => {
  it('match Kryptonite\'s strings and radixes', () => {
    expect(FPE_ALPHABETS.DIGITS).toBe('0123456789');
    expect(FPE_ALPHABETS.HEXADECIMAL).toBe('0123456789ABCDEF');
    expect(FPE_ALPHABETS.UPPERCASE).toBe('ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    expect(FPE_ALPHABETS.LOWERCASE).toBe('abcdefghijklmnopqrstuvwxyz');
    expect(FPE_ALPHABETS.ALPHANUMERIC).toBe('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz');
    expect(FPE_ALPHABETS.ALPHANUMERIC_EXTENDED).toHaveLength(95);
  });

  it('ALPHANUMERIC_EXTENDED has the exact UTF-8 bytes of wire-format.md §7.3 (§ and ° included)', () => {
    const expected = '303132333435363738394142434445464748494a4b4c4d4e4f505152535455565758595a'
      + '6162636465666768696a6b6c6d6e6f707172737475767778797a'
      + '205f2c2e213f40252426c2a72227c2b05e2d2b2a2f3b3a2328297b7d5b5d3c3e3d7e7c';
    expect(Buffer.from(FPE_ALPHABETS.ALPHANUMERIC_EXTENDED, 'utf8').toString('hex')).toBe(expected);
    expect(FPE_ALPHABETS.ALPHANUMERIC_EXTENDED).not.toMatch(/[\\`]/);
  });

  it('alphabetFor returns built-ins and validated custom alphabets', () => {
    expect(alphabetFor('DIGITS')).toBe('0123456789');
    expect(alphabetFor('ALPHANUMERIC', 'ignored')).toBe(FPE_ALPHABETS.ALPHANUMERIC);
    expect(alphabetFor('CUSTOM', '01')).toBe('01');
  });

  it('CUSTOM without a custom alphabet names the option path', () => {
    expect(() => alphabetFor('CUSTOM', undefined, 'field_config[1].fpeAlphabetCustom'))
      .toThrow(/CUSTOM needs a custom alphabet at 'field_config\[1\]\.fpeAlphabetCustom'/);
    expect(() => alphabetFor('CUSTOM', '')).toThrow(ConfigError);
  });

  it('rejects unknown types, duplicates, fewer than 2 and more than 256 characters', () => {
    expect(() => alphabetFor('BASE64' as never)).toThrow(/unknown FPE alphabet type 'BASE64'/);
    expect(() => validateAlphabet('0123452', 'x.alphabet')).toThrow(/'x\.alphabet' contains a duplicate character U\+0032 at positions 2 and 6/);
    expect(() => validateAlphabet('0')).toThrow(/at least 2 characters, got 1/);
    expect(() => validateAlphabet('')).toThrow(ConfigError);
    const big = String.fromCharCode(...Array.from({ length: 257 }, (_, i) => 0x100 + i));
    expect(() => validateAlphabet(big)).toThrow(/radix 257; radix must be between 2 and 256/);
    expect(() => validateAlphabet(big.slice(0, 256))).not.toThrow();
  });

  it('compares UTF-16 units like Java: a non-BMP character is two distinct units', () => {
    expect(() => validateAlphabet('\ud83d\ude00')).not.toThrow();
    expect(() => validateAlphabet('\ud83d\ude00\ud83d\ude01')).toThrow(/duplicate character U\+D83D at positions 0 and 2/);
  });
});

describe('fpeLengthBounds', () => {
  it.each([
    ['DIGITS', 10, 6, 56], ['HEXADECIMAL', 16, 5, 48], ['UPPERCASE', 26, 5, 40],
    ['ALPHANUMERIC', 62, 4, 32], ['ALPHANUMERIC_EXTENDED', 95, 4, 28],
    ['binary', 2, 20, 192], ['radix 256', 256, 3, 24], ['radix 64', 64, 4, 32], ['radix 70', 70, 4, 30],
  ])('%s (radix %i): %i..%i', (_name, radix, min, max) => {
    expect(fpeLengthBounds(radix)).toEqual({ minLen: min, maxLen: max });
  });

  it('satisfies the definitions exactly for every radix 2..256', () => {
    for (let radix = 2; radix <= 256; radix++) {
      const r = BigInt(radix);
      const { minLen, maxLen } = fpeLengthBounds(radix);
      expect(r ** BigInt(minLen - 1) < 1_000_000n && r ** BigInt(minLen) >= 1_000_000n).toBe(true);
      expect(maxLen % 2).toBe(0);
      const half = BigInt(maxLen / 2);
      expect(r ** half <= 2n ** 96n && r ** (half + 1n) > 2n ** 96n).toBe(true);
    }
  });

  it('rejects radixes outside 2..256', () => {
    for (const bad of [0, 1, 257, 2.5]) expect(() => fpeLengthBounds(bad)).toThrow(/radix must be between 2 and 256/);
  });
});
