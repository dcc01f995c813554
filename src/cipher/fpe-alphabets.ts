// The FPE alphabets of Kryptonite 0.7.0 (exact strings: a character's position is its digit value),
// alphabet validation, and the FF3-1 message-length bounds per radix computed with exact integers.

import { ConfigError } from '../errors';
import type { FpeAlphabetType } from '../config/types';

const DIGITS = '0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';

/** Alphabet strings exactly as Kryptonite's `AlphabetTypeFPE` enum defines them; order defines digit values. */
export const FPE_ALPHABETS: Readonly<Record<Exclude<FpeAlphabetType, 'CUSTOM'>, string>> = Object.freeze({
  DIGITS,
  UPPERCASE: UPPER,
  LOWERCASE: LOWER,
  ALPHANUMERIC: DIGITS + UPPER + LOWER,
  // § (U+00A7) and ° (U+00B0) are single UTF-16 units; no backslash, no backtick.
  ALPHANUMERIC_EXTENDED: DIGITS + UPPER + LOWER + ' _,.!?@%$&\u00a7"\'\u00b0^-+*/;:#(){}[]<>=~|',
  HEXADECIMAL: '0123456789ABCDEF',
});

export const FPE_MIN_RADIX = 2;
export const FPE_MAX_RADIX = 256;
/** NIST SP 800-38G Rev.1 draft: radix^minlen must be at least one million. */
const DOMAIN_MIN = 1_000_000n;
const TWO_POW_96 = 1n << 96n;

/**
 * The alphabet for a configured type. CUSTOM needs the custom string; the built-in types ignore it.
 * `optionPath` names the option in error messages (e.g. `field_config[2].fpeAlphabetCustom`).
 */
export function alphabetFor(type: FpeAlphabetType, custom?: string, optionPath = 'cipher_fpe_alphabet_custom'): string {
  if (type === 'CUSTOM') {
    if (typeof custom !== 'string' || custom.length === 0) {
      throw new ConfigError('FPE_ALPHABET_MISSING',
        `FPE alphabet type CUSTOM needs a custom alphabet at '${optionPath}'`);
    }
    validateAlphabet(custom, optionPath);
    return custom;
  }
  const alphabet = (FPE_ALPHABETS as Record<string, string | undefined>)[type];
  if (alphabet === undefined) {
    throw new ConfigError('FPE_ALPHABET_TYPE', `unknown FPE alphabet type '${String(type)}'`);
  }
  return alphabet;
}

/**
 * Checks what Kryptonite and Mysto check: at least 2 characters, no duplicates (Java compares UTF-16
 * units), radix at most 256. Alphabets are configuration, not data, so naming a character is safe.
 */
export function validateAlphabet(alphabet: string, optionPath = 'alphabet'): void {
  if (typeof alphabet !== 'string') {
    throw new ConfigError('FPE_ALPHABET_INVALID', `FPE alphabet at '${optionPath}' must be a string, got ${typeof alphabet}`);
  }
  if (alphabet.length < FPE_MIN_RADIX) {
    throw new ConfigError('FPE_ALPHABET_INVALID',
      `FPE alphabet at '${optionPath}' must contain at least 2 characters, got ${alphabet.length}`);
  }
  if (alphabet.length > FPE_MAX_RADIX) {
    throw new ConfigError('FPE_ALPHABET_INVALID',
      `FPE alphabet at '${optionPath}' has radix ${alphabet.length}; radix must be between 2 and 256`);
  }
  const firstSeen = new Map<number, number>();
  for (let i = 0; i < alphabet.length; i++) {
    const unit = alphabet.charCodeAt(i);
    const earlier = firstSeen.get(unit);
    if (earlier !== undefined) {
      throw new ConfigError('FPE_ALPHABET_INVALID',
        `FPE alphabet at '${optionPath}' contains a duplicate character U+${hex4(unit)} at positions ${earlier} and ${i}`);
    }
    firstSeen.set(unit, i);
  }
}

export interface FpeLengthBounds {
  readonly minLen: number;
  readonly maxLen: number;
}

/**
 * minLen = smallest n with radix^n >= 1e6; maxLen = 2 * floor(log_radix(2^96)). Mysto computes both with
 * doubles; exact integers give the same numbers for every radix 2..256 and cannot drift at exact powers
 * (radix 16, 64, 256 hit 2^96 exactly).
 */
export function fpeLengthBounds(radix: number): FpeLengthBounds {
  if (!Number.isInteger(radix) || radix < FPE_MIN_RADIX || radix > FPE_MAX_RADIX) {
    throw new ConfigError('FPE_ALPHABET_INVALID', `radix must be between 2 and 256, got ${radix}`);
  }
  const r = BigInt(radix);
  let minLen = 0;
  for (let p = 1n; p < DOMAIN_MIN; p *= r) minLen++;
  let half = 0;
  for (let p = r; p <= TWO_POW_96; p *= r) half++;
  return { minLen, maxLen: 2 * half };
}

function hex4(unit: number): string {
  return unit.toString(16).toUpperCase().padStart(4, '0');
}
