// Keyset-level AEAD and deterministic AEAD with Tink's wrapper semantics: encrypt with the primary key
// (prefix ‖ output); decrypt with ENABLED keys whose 5-byte prefix matches, then ENABLED RAW keys.

import { AesGcm } from '../cipher/aes-gcm';
import { AesSiv } from '../cipher/aes-siv';
import type { Aead, DeterministicAead } from '../cipher/primitive';
import { CryptoError } from '../errors';
import { AES_GCM_TYPE_URL, AES_SIV_TYPE_URL, FPE_TYPE_URL } from './key-types';
import type { Keyset, KeysetKey } from './keyset';
import { keysetError } from './keyset-model';
import { outputPrefix, PREFIX_SIZE } from './output-prefix';

interface Entry<P> {
  keyId: number;
  prefix: Buffer;
  primitive: P;
}

interface Table<P> {
  primary: Entry<P>;
  /** key = prefixKey() of the 5 prefix bytes */
  byPrefix: Map<number, Entry<P>[]>;
  raw: Entry<P>[];
}

/** The 5 prefix bytes (type byte, big-endian key id) as one number: no string is built per decryption. */
function prefixKey(b: Uint8Array, at: number): number {
  return (b[at] as number) * 2 ** 32 + (((b[at + 1] as number) << 24) >>> 0) + ((b[at + 2] as number) << 16) + ((b[at + 3] as number) << 8) + (b[at + 4] as number);
}

function buildTable<P>(keyset: Keyset, typeUrl: string, purpose: string, make: (raw: Buffer) => P): Table<P> {
  const byPrefix = new Map<number, Entry<P>[]>();
  const raw: Entry<P>[] = [];
  let primary: Entry<P> | undefined;
  for (const key of keyset.keys) {
    if (key.status !== 'ENABLED') continue;
    if (key.typeUrl !== typeUrl) {
      throw keysetError('KEYSET_WRONG_TYPE', { identifier: keyset.identifier }, `key ${key.keyId}`,
        `type url '${key.typeUrl}' cannot be used for ${purpose} (needs '${typeUrl}')`);
    }
    const entry = makeEntry(key, make);
    if (key.outputPrefixType === 'RAW') raw.push(entry);
    else {
      const k = prefixKey(entry.prefix, 0);
      const list = byPrefix.get(k);
      if (list === undefined) byPrefix.set(k, [entry]);
      else list.push(entry);
    }
    if (key.keyId === keyset.primaryKeyId) primary = entry;
  }
  // validation guarantees an ENABLED primary
  return { primary: primary!, byPrefix, raw };
}

function makeEntry<P>(key: KeysetKey, make: (raw: Buffer) => P): Entry<P> {
  const rawKey = key.rawKey();
  try {
    return { keyId: key.keyId, prefix: outputPrefix(key.outputPrefixType, key.keyId), primitive: make(rawKey) };
  } finally {
    rawKey.fill(0);
  }
}

function decryptWith<P>(table: Table<P>, ciphertext: Uint8Array, attempt: (p: P, body: Uint8Array) => Buffer, keyset: Keyset): Buffer {
  if (ciphertext.length >= PREFIX_SIZE) {
    const candidates = table.byPrefix.get(prefixKey(ciphertext, 0));
    if (candidates !== undefined) {
      const body = ciphertext.subarray(PREFIX_SIZE);
      for (const c of candidates) {
        try {
          return attempt(c.primitive, body);
        } catch {
          // Tink semantics: a failing candidate is not an error yet; try the next one, then the RAW keys.
        }
      }
    }
  }
  for (const c of table.raw) {
    try {
      return attempt(c.primitive, ciphertext);
    } catch {
      // as above
    }
  }
  const name = keyset.identifier !== undefined ? `keyset '${keyset.identifier}'` : 'keyset';
  throw new CryptoError('DECRYPTION_FAILED', `decryption failed: no enabled key of ${name} could decrypt the ciphertext`, { retriable: false });
}

class KeysetAead implements Aead {
  readonly #table: Table<AesGcm>;
  readonly #keyset: Keyset;

  constructor(keyset: Keyset) {
    this.#keyset = keyset;
    this.#table = buildTable(keyset, AES_GCM_TYPE_URL, 'AEAD (AES-GCM)', (raw) => new AesGcm(raw));
  }

  encrypt(plaintext: Uint8Array, associatedData: Uint8Array): Buffer {
    const p = this.#table.primary;
    return p.primitive.encryptWithPrefix(p.prefix, plaintext, associatedData);
  }

  decrypt(ciphertext: Uint8Array, associatedData: Uint8Array): Buffer {
    return decryptWith(this.#table, ciphertext, (gcm, body) => gcm.decrypt(body, associatedData), this.#keyset);
  }
}

class KeysetDeterministicAead implements DeterministicAead {
  readonly #table: Table<AesSiv>;
  readonly #keyset: Keyset;

  constructor(keyset: Keyset) {
    this.#keyset = keyset;
    this.#table = buildTable(keyset, AES_SIV_TYPE_URL, 'deterministic AEAD (AES-SIV)', (raw) => new AesSiv(raw));
  }

  encryptDeterministically(plaintext: Uint8Array, associatedData: Uint8Array): Buffer {
    const p = this.#table.primary;
    return p.primitive.encryptWithPrefix(p.prefix, plaintext, associatedData);
  }

  decryptDeterministically(ciphertext: Uint8Array, associatedData: Uint8Array): Buffer {
    return decryptWith(this.#table, ciphertext, (siv, body) => siv.decryptDeterministically(body, associatedData), this.#keyset);
  }
}

// Per-key primitives are built once per Keyset object; Keysets are immutable, so the cache never goes stale.
const aeadCache = new WeakMap<Keyset, Aead>();
const daeadCache = new WeakMap<Keyset, DeterministicAead>();

/** AES-GCM keyset AEAD (TINK/AES_GCM, envelope KEK keysets). Every ENABLED key must be an AesGcmKey. */
export function keysetAead(keyset: Keyset): Aead {
  let a = aeadCache.get(keyset);
  if (a === undefined) aeadCache.set(keyset, (a = new KeysetAead(keyset)));
  return a;
}

/** AES-SIV keyset deterministic AEAD (TINK/AES_GCM_SIV). Every ENABLED key must be an AesSivKey. */
export function keysetDeterministicAead(keyset: Keyset): DeterministicAead {
  let a = daeadCache.get(keyset);
  if (a === undefined) daeadCache.set(keyset, (a = new KeysetDeterministicAead(keyset)));
  return a;
}

/** The primary key's raw bytes for FF3-1 (only the primary is ever used for FPE). */
export function fpeKeyBytes(keyset: Keyset): Buffer {
  const primary = keyset.primaryKey();
  if (primary.typeUrl !== FPE_TYPE_URL) {
    throw keysetError('KEYSET_WRONG_TYPE', { identifier: keyset.identifier }, `key ${primary.keyId}`,
      `primary key type url '${primary.typeUrl}' is not the FPE key type '${FPE_TYPE_URL}'`);
  }
  return primary.rawKey();
}
