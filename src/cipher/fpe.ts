// The FPE facade the field engine uses for CUSTOM/MYSTO_FPE_FF3_1: one object per raw key, taking the tweak as
// Kryptonite configures it (the UTF-8 bytes of a string, not hex) and caching prepared tweaks and alphabets.

import { ConfigError, describeType } from '../errors';
import { Ff3Cipher, prepareFf3Alphabet, prepareFf3Tweak, type Ff3Alphabet, type Ff3Tweak } from './ff3';

export interface FpeCipher {
  /** Encrypts `value`; same length, same alphabet. `tweakString` is UTF-8 encoded: 7 bytes FF3-1, 8 bytes FF3. */
  encrypt(value: string, tweakString: string, alphabet: string): string;
  decrypt(value: string, tweakString: string, alphabet: string): string;
}

/** Configs name a handful of tweaks and alphabets; the cap only guards against a caller generating them per value. */
const CACHE_LIMIT = 256;

export function createFpeCipher(keyBytes: Uint8Array): FpeCipher {
  const ff3 = new Ff3Cipher(keyBytes);
  const tweaks = new Map<string, Ff3Tweak>();
  const alphabets = new Map<string, Ff3Alphabet>();

  const tweakFor = (tweakString: string): Ff3Tweak => cached(tweaks, tweakString, () => tweakFromString(tweakString));

  const alphabetOf = (alphabet: string): Ff3Alphabet =>
    cached(alphabets, alphabet, () => {
      rejectSurrogates(alphabet);
      return prepareFf3Alphabet(alphabet);
    });

  return Object.freeze({
    encrypt: (value: string, tweakString: string, alphabet: string) =>
      ff3.encrypt(value, tweakFor(tweakString), alphabetOf(alphabet)),
    decrypt: (value: string, tweakString: string, alphabet: string) =>
      ff3.decrypt(value, tweakFor(tweakString), alphabetOf(alphabet)),
  });
}

/**
 * Lets configuration checks fail at construction rather than at the first record: throws the same
 * ConfigError the cipher would, with the option path (e.g. `field_config[0].fpeTweak`) appended.
 */
export function checkFpeTweak(tweakString: string, optionPath: string): void {
  try {
    tweakFromString(tweakString);
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(err.code, `${err.message} (option '${optionPath}')`);
    throw err;
  }
}

function tweakFromString(tweakString: string): Ff3Tweak {
  if (typeof tweakString !== 'string') {
    throw new ConfigError('FPE_TWEAK_INVALID', `FPE tweak must be a string, got ${describeType(tweakString)}`);
  }
  return prepareFf3Tweak(Buffer.from(tweakString, 'utf8'));
}

function cached<T>(cache: Map<string, T>, key: string, make: () => T): T {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const made = make();
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, made);
  return made;
}

/**
 * FF3 works on UTF-16 units, as Java does, so a character outside the BMP would be two alphabet "characters"
 * and outputs could hold unpaired surrogates, which UTF-8 on the wire cannot carry (Java writes '?', Node
 * U+FFFD): the value would be lost. Such an alphabet is refused up front instead.
 */
function rejectSurrogates(alphabet: string): void {
  if (typeof alphabet !== 'string') return; // prepareFf3Alphabet reports the type
  for (let i = 0; i < alphabet.length; i++) {
    const unit = alphabet.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdfff) {
      throw new ConfigError('FPE_ALPHABET_INVALID',
        `FPE alphabet has a UTF-16 surrogate at position ${i} (a character outside the Basic Multilingual Plane); ` +
        'FF3 would split it and could emit unpaired surrogates that UTF-8 cannot carry');
    }
  }
}
