// Kryptonite's Azure keyset-KEK ciphertext layout (AzureKmsAead): a random 32-byte AES key wrapped with
// RSA-OAEP-256 by Key Vault, and the payload sealed locally with AES-256-GCM:
//   wrappedKeyLength (4 bytes, big-endian) ‖ wrappedKey ‖ iv (12) ‖ ciphertext ‖ tag (16)
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CryptoError } from '../../errors';

export const DEK_BYTES = 32;
export const IV_BYTES = 12;
export const TAG_BYTES = 16;

export interface SealedParts {
  wrappedKey: Buffer;
  iv: Buffer;
  ciphertextAndTag: Buffer;
}

/** AES-256-GCM under `dek`; associated data only when non-empty (GCM treats none and empty alike). */
export function seal(dek: Uint8Array, plaintext: Uint8Array, associatedData: Uint8Array, iv: Uint8Array = randomBytes(IV_BYTES)): { iv: Buffer; ciphertextAndTag: Buffer } {
  const cipher = createCipheriv('aes-256-gcm', dek, iv);
  if (associatedData.length > 0) cipher.setAAD(associatedData);
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return { iv: Buffer.from(iv), ciphertextAndTag: ct };
}

export function open(dek: Uint8Array, iv: Uint8Array, ciphertextAndTag: Uint8Array, associatedData: Uint8Array): Buffer {
  try {
    const decipher = createDecipheriv('aes-256-gcm', dek, iv);
    if (associatedData.length > 0) decipher.setAAD(associatedData);
    decipher.setAuthTag(ciphertextAndTag.subarray(ciphertextAndTag.length - TAG_BYTES));
    return Buffer.concat([decipher.update(ciphertextAndTag.subarray(0, ciphertextAndTag.length - TAG_BYTES)), decipher.final()]);
  } catch (err) {
    throw new CryptoError('KEK_DECRYPT_FAILED', 'Azure keyset KEK: authentication of the sealed keyset failed (wrong key or associated data, or damaged ciphertext)', { cause: err });
  }
}

export function encode(parts: SealedParts): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(parts.wrappedKey.length);
  return Buffer.concat([len, parts.wrappedKey, parts.iv, parts.ciphertextAndTag]);
}

export function decode(data: Uint8Array): SealedParts {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (buf.length < 4) throw new CryptoError('KEK_CIPHERTEXT_TOO_SHORT', 'Azure keyset KEK: ciphertext too short');
  const len = buf.readUInt32BE(0);
  if (len === 0 || len > buf.length - 4 - IV_BYTES - TAG_BYTES) {
    throw new CryptoError('KEK_CIPHERTEXT_TOO_SHORT', 'Azure keyset KEK: ciphertext too short for its wrapped-key length');
  }
  return {
    wrappedKey: buf.subarray(4, 4 + len),
    iv: buf.subarray(4 + len, 4 + len + IV_BYTES),
    ciphertextAndTag: buf.subarray(4 + len + IV_BYTES),
  };
}
