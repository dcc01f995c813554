// Tink output prefixes: the bytes in front of a ciphertext that name the key that made it.

import type { OutputPrefixType } from './keyset-model';

export const PREFIX_SIZE = 5;
const TINK_START = 0x01;
const LEGACY_START = 0x00;

/** TINK = 01 ‖ keyId (big-endian); LEGACY and CRUNCHY = 00 ‖ keyId; RAW = empty. */
export function outputPrefix(type: OutputPrefixType, keyId: number): Buffer {
  if (type === 'RAW') return Buffer.alloc(0);
  const out = Buffer.allocUnsafe(PREFIX_SIZE);
  out[0] = type === 'TINK' ? TINK_START : LEGACY_START;
  out.writeUInt32BE(keyId, 1);
  return out;
}
