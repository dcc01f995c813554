// FF3 and FF3-1 format-preserving encryption (NIST SP 800-38G), bit-compatible with Mysto FF3Cipher 1.2.0
// as used by Kryptonite: radix 2..256 over any alphabet of UTF-16 code units, 7-byte (FF3-1) or 8-byte (FF3) tweaks.

import { createCipheriv, type Cipher } from 'node:crypto';
import { ConfigError, CryptoError, describeType } from '../errors';
import { fpeLengthBounds, validateAlphabet } from './fpe-alphabets';

const ROUNDS = 8;
const MASK_64 = (1n << 64n) - 1n;
/** Largest integer a double holds exactly; digit chunks stay below it so they need no BigInt. */
const SAFE_CHUNK_LIMIT = 2 ** 53;

/** An alphabet prepared once: digit lookup, radix powers and length bounds. Independent of the key. */
export interface Ff3Alphabet {
  readonly alphabet: string;
  readonly radix: number;
  readonly minLen: number;
  readonly maxLen: number;
  /** UTF-16 unit -> digit value, -1 when the unit is not in the alphabet. */
  readonly digitOf: Int16Array;
  readonly units: Uint16Array;
  /** Digits per chunk so that radix^chunk <= 2^53. */
  readonly chunk: number;
  /** radix^i for i in 0..max(chunk, maxLen/2). */
  readonly pow: readonly bigint[];
}

export function prepareFf3Alphabet(alphabet: string): Ff3Alphabet {
  validateAlphabet(alphabet);
  const radix = alphabet.length;
  const { minLen, maxLen } = fpeLengthBounds(radix);
  const units = new Uint16Array(radix);
  let maxUnit = 0;
  for (let i = 0; i < radix; i++) {
    units[i] = alphabet.charCodeAt(i);
    maxUnit = Math.max(maxUnit, alphabet.charCodeAt(i));
  }
  const digitOf = new Int16Array(maxUnit + 1).fill(-1);
  units.forEach((unit, i) => { digitOf[unit] = i; });
  let chunk = 0;
  for (let p = radix; p <= SAFE_CHUNK_LIMIT; p *= radix) chunk++;
  const r = BigInt(radix);
  const pow: bigint[] = [1n];
  for (let i = 1; i <= Math.max(chunk, maxLen / 2); i++) pow.push(pow[i - 1]! * r);
  return Object.freeze({ alphabet, radix, minLen, maxLen, digitOf, units, chunk, pow });
}

/** A tweak prepared once: the four bytes that start P in each round, already in AES input (reversed) order. */
export interface Ff3Tweak {
  readonly byteLength: 7 | 8;
  readonly roundHeaders: readonly Uint8Array[];
}

export function prepareFf3Tweak(tweak: Uint8Array): Ff3Tweak {
  if (!(tweak instanceof Uint8Array)) {
    throw new ConfigError('FPE_TWEAK_INVALID', `FPE tweak must be bytes, got ${describeType(tweak)}`);
  }
  if (tweak.length !== 7 && tweak.length !== 8) {
    throw new ConfigError('FPE_TWEAK_INVALID',
      `FPE tweak length ${tweak.length} bytes is invalid: it must be 7 bytes (FF3-1, 56 bits) or 8 bytes (FF3, 64 bits)`);
  }
  const t64 = tweak.length === 8 ? Uint8Array.from(tweak) : expandTweak56(tweak);
  const roundHeaders: Uint8Array[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const w = i % 2 === 0 ? 4 : 0; // even rounds use TR (bytes 4..7), odd rounds TL (bytes 0..3)
    roundHeaders.push(Uint8Array.of(t64[w + 3]! ^ i, t64[w + 2]!, t64[w + 1]!, t64[w]!));
  }
  return Object.freeze({ byteLength: tweak.length as 7 | 8, roundHeaders: Object.freeze(roundHeaders) });
}

/** FF3-1: the 56-bit tweak becomes TL = T[0..27] || 0^4 and TR = T[32..55] || T[28..31] || 0^4. */
function expandTweak56(t: Uint8Array): Uint8Array {
  return Uint8Array.of(t[0]!, t[1]!, t[2]!, t[3]! & 0xf0, t[4]!, t[5]!, t[6]!, (t[3]! & 0x0f) << 4);
}

/** One key's FF3 cipher; the AES key schedule is built once here and reused for every round. */
export class Ff3Cipher {
  readonly #aes: Cipher;
  readonly #block = Buffer.alloc(16);

  constructor(key: Uint8Array) {
    if (!(key instanceof Uint8Array)) {
      throw new CryptoError('FPE_KEY_INVALID', `FPE key must be bytes, got ${describeType(key)}`);
    }
    if (key.length !== 16 && key.length !== 24 && key.length !== 32) {
      throw new CryptoError('FPE_KEY_INVALID',
        `FPE key length ${key.length} bytes is invalid: FF3 needs 16, 24 or 32 bytes`);
    }
    // FF3 defines the AES key as REVB(K); ECB without padding so that each update() is one block.
    const reversed = Buffer.from(key).reverse();
    this.#aes = createCipheriv(`aes-${key.length * 8}-ecb`, reversed, null);
    this.#aes.setAutoPadding(false);
    reversed.fill(0);
  }

  encrypt(value: string, tweak: Ff3Tweak, alphabet: Ff3Alphabet): string {
    const digits = toDigits(value, alphabet);
    const n = digits.length;
    const u = Math.ceil(n / 2);
    let a = digitsToNumber(digits, 0, u, alphabet);
    let b = digitsToNumber(digits, u, n, alphabet);
    for (let i = 0; i < ROUNDS; i++) {
      const modulus = alphabet.pow[i % 2 === 0 ? u : n - u]!;
      const c = (a + this.#roundValue(tweak.roundHeaders[i]!, b)) % modulus;
      a = b;
      b = c;
    }
    return toText(a, b, u, n, alphabet);
  }

  decrypt(value: string, tweak: Ff3Tweak, alphabet: Ff3Alphabet): string {
    const digits = toDigits(value, alphabet);
    const n = digits.length;
    const u = Math.ceil(n / 2);
    let a = digitsToNumber(digits, 0, u, alphabet);
    let b = digitsToNumber(digits, u, n, alphabet);
    for (let i = ROUNDS - 1; i >= 0; i--) {
      const modulus = alphabet.pow[i % 2 === 0 ? u : n - u]!;
      const c = (((b - this.#roundValue(tweak.roundHeaders[i]!, a)) % modulus) + modulus) % modulus;
      b = a;
      a = c;
    }
    return toText(a, b, u, n, alphabet);
  }

  /**
   * y = NUM(REVB(AES(REVB(P)))) with P = W xor [i]_4 || [x]^12. Building REVB(P) directly and reading S
   * little-endian saves both byte reversals. x < radix^ceil(n/2) <= 2^96, so it always fits 12 bytes
   * (Mysto drops BigInteger's 13th sign byte for the same result).
   */
  #roundValue(header: Uint8Array, x: bigint): bigint {
    const block = this.#block;
    block.writeBigUInt64LE(x & MASK_64, 0);
    block.writeUInt32LE(Number(x >> 64n), 8);
    block.set(header, 12);
    const s = this.#aes.update(block);
    return s.readBigUInt64LE(0) | (s.readBigUInt64LE(8) << 64n);
  }
}

/** Checks type, length and alphabet membership; errors name the position, never the character or value. */
function toDigits(value: string, alphabet: Ff3Alphabet): Uint8Array {
  if (typeof value !== 'string') {
    throw new CryptoError('FPE_INPUT_TYPE', `FPE input must be a string, got ${describeType(value)}`);
  }
  const n = value.length;
  if (n < alphabet.minLen || n > alphabet.maxLen) {
    throw new CryptoError('FPE_INPUT_LENGTH',
      `message length ${n} is not within min ${alphabet.minLen} and max ${alphabet.maxLen} bounds (radix ${alphabet.radix})`);
  }
  const digits = new Uint8Array(n);
  const table = alphabet.digitOf;
  for (let i = 0; i < n; i++) {
    const d = table[value.charCodeAt(i)] ?? -1;
    if (d < 0) {
      throw new CryptoError('FPE_INPUT_CHARACTER',
        `character at position ${i} is not in the FPE alphabet (radix ${alphabet.radix})`);
    }
    digits[i] = d;
  }
  return digits;
}

/** NUM_radix(REV(X)): the first character is the least significant digit. Horner in double-sized chunks. */
function digitsToNumber(digits: Uint8Array, start: number, end: number, alphabet: Ff3Alphabet): bigint {
  const { radix, chunk, pow } = alphabet;
  let num = 0n;
  let j = end;
  while (j > start) {
    const take = Math.min(chunk, j - start);
    let part = 0;
    for (let t = j - 1; t >= j - take; t--) part = part * radix + digits[t]!;
    num = num * pow[take]! + BigInt(part);
    j -= take;
  }
  return num;
}

/** REV(STR_radix^m(x)) for the two halves, written straight into one UTF-16 unit array. */
function toText(a: bigint, b: bigint, u: number, n: number, alphabet: Ff3Alphabet): string {
  const out = new Uint16Array(n);
  writeDigits(a, out, 0, u, alphabet);
  writeDigits(b, out, u, n - u, alphabet);
  return String.fromCharCode(...out);
}

function writeDigits(x: bigint, out: Uint16Array, offset: number, m: number, alphabet: Ff3Alphabet): void {
  const { radix, chunk, pow, units } = alphabet;
  let rest = x;
  for (let j = 0; j < m;) {
    const take = Math.min(chunk, m - j);
    let part: number;
    if (j + take < m) {
      part = Number(rest % pow[take]!);
      rest /= pow[take]!;
    } else {
      part = Number(rest);
    }
    for (let t = 0; t < take; t++, j++) {
      out[offset + j] = units[part % radix]!;
      part = Math.floor(part / radix);
    }
  }
}
