// New keysets and rotation keys with the Kryptonite keyset tool's rules: consecutive ids from the
// initial id, first key primary; AES-GCM 128/256 and AES-SIV (always 512-bit) with TINK prefix, FPE raw bytes with RAW.

import { randomBytes } from 'node:crypto';
import { ConfigError } from '../errors';
import { encodeKeyValue, keyTypeSpec, typeUrlOf, type KeyKind } from './key-types';
import { Keyset, type KeyInit } from './keyset';

export type KeysetAlgorithm = 'AES_GCM' | 'AES_GCM_SIV' | 'FPE_FF31';

export interface GenerateKeysetOptions {
  algorithm: KeysetAlgorithm;
  /** AES_GCM: 128 or 256; FPE_FF31: 128, 192 or 256; ignored for AES_GCM_SIV (always a 64-byte AES-SIV key). Default 256. */
  keySizeBits?: number;
  /** 1..1000, default 1. */
  numKeys?: number;
  /** Id of the first key, default 10000; the others follow consecutively. */
  initialKeyId?: number;
  identifier?: string;
  /** Injected randomness for tests; crypto.randomBytes otherwise. */
  random?: (n: number) => Buffer;
}

const KIND: Record<KeysetAlgorithm, KeyKind> = { AES_GCM: 'AES_GCM', AES_GCM_SIV: 'AES_SIV', FPE_FF31: 'FPE' };

function keyBytesFor(algorithm: KeysetAlgorithm, bits: number, option: string): number {
  if (algorithm === 'AES_GCM_SIV') return 64;
  const allowed = algorithm === 'AES_GCM' ? [128, 256] : [128, 192, 256];
  if (!allowed.includes(bits)) {
    throw new ConfigError('INVALID_OPTION', `${option}: ${algorithm} supports key sizes ${allowed.join(', ')} bits, got ${bits}`);
  }
  return bits / 8;
}

function newKey(kind: KeyKind, keyId: number, size: number, random: (n: number) => Buffer): KeyInit {
  const raw = random(size);
  try {
    return { keyId, status: 'ENABLED', outputPrefixType: kind === 'FPE' ? 'RAW' : 'TINK', typeUrl: typeUrlOf(kind), value: encodeKeyValue(kind, raw), keyMaterialType: 'SYMMETRIC' };
  } finally {
    raw.fill(0);
  }
}

export function generateKeyset(options: GenerateKeysetOptions): Keyset {
  const { algorithm, keySizeBits = 256, numKeys = 1, initialKeyId = 10000, random = randomBytes } = options;
  if (!(algorithm in KIND)) throw new ConfigError('INVALID_OPTION', `algorithm: expected AES_GCM, AES_GCM_SIV or FPE_FF31, got '${String(algorithm)}'`);
  if (!Number.isInteger(numKeys) || numKeys < 1 || numKeys > 1000) throw new ConfigError('INVALID_OPTION', `numKeys: expected 1..1000, got ${numKeys}`);
  if (!Number.isInteger(initialKeyId) || initialKeyId < 0 || initialKeyId + numKeys - 1 > 0xffffffff) {
    throw new ConfigError('INVALID_OPTION', `initialKeyId: ids ${initialKeyId}..${initialKeyId + numKeys - 1} must be uint32`);
  }
  const size = keyBytesFor(algorithm, keySizeBits, 'keySizeBits');
  const kind = KIND[algorithm];
  const keys = Array.from({ length: numKeys }, (_, i) => newKey(kind, initialKeyId + i, size, random));
  return Keyset.create(initialKeyId, keys, { identifier: options.identifier });
}

export interface AddKeyOptions {
  /** Make the new key the primary (default false: add it ENABLED, promote later). */
  promote?: boolean;
  /** Id for the new key; default highest id + 1. */
  keyId?: number;
  random?: (n: number) => Buffer;
}

/** Rotation: a new key of the primary's type and size; existing keys stay as they are so old data still decrypts. */
export function addKey(keyset: Keyset, options: AddKeyOptions = {}): Keyset {
  const primary = keyset.primaryKey();
  const spec = keyTypeSpec(primary.typeUrl)!;
  const rawPrimary = primary.rawKey();
  const size = rawPrimary.length;
  rawPrimary.fill(0);
  const keyId = options.keyId ?? Math.max(...keyset.keys.map((k) => k.keyId)) + 1;
  if (keyset.keys.some((k) => k.keyId === keyId)) throw new ConfigError('INVALID_OPTION', `keyId: ${keyId} is already in the keyset`);
  const added = { ...newKey(spec.kind, keyId, size, options.random ?? randomBytes), outputPrefixType: primary.outputPrefixType };
  const existing: KeyInit[] = keyset.keys.map((k) => ({ ...k.info(), keyMaterialType: k.keyMaterialType, value: k.keyDataValue() }));
  return Keyset.create(options.promote === true ? keyId : keyset.primaryKeyId, [...existing, added], { identifier: keyset.identifier });
}

/** Makes an existing ENABLED key the primary. */
export function promoteKey(keyset: Keyset, keyId: number): Keyset {
  const existing: KeyInit[] = keyset.keys.map((k) => ({ ...k.info(), keyMaterialType: k.keyMaterialType, value: k.keyDataValue() }));
  return Keyset.create(keyId, existing, { identifier: keyset.identifier });
}

/** Enables or disables a key (the primary cannot be disabled: validation requires it ENABLED). */
export function setKeyStatus(keyset: Keyset, keyId: number, status: 'ENABLED' | 'DISABLED'): Keyset {
  if (!keyset.keys.some((k) => k.keyId === keyId)) throw new ConfigError('INVALID_OPTION', `keyId: ${keyId} is not in the keyset`);
  const keys: KeyInit[] = keyset.keys.map((k) => ({ ...k.info(), keyMaterialType: k.keyMaterialType, value: k.keyDataValue(), ...(k.keyId === keyId ? { status } : {}) }));
  return Keyset.create(keyset.primaryKeyId, keys, { identifier: keyset.identifier });
}
