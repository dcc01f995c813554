// Encrypted keysets (§8.5): the serialized Keyset protobuf encrypted by a key-encryption key with EMPTY
// associated data, stored as Tink's JSON `{encryptedKeyset, keysetInfo}`.

import { KmsError, KryptoniteError } from '../errors';
import type { KeyEncryptionKey } from '../keys/ports';
import { Keyset, type KeysetOptions } from './keyset';
import { JsonReader, parseJsonText, readTinkJsonKeysetInfo, type TinkJsonKeysetInfo } from './keyset-json';
import { keysetError } from './keyset-model';

export interface EncryptedKeysetJson {
  encryptedKeyset: string;
  keysetInfo: TinkJsonKeysetInfo;
}

/** Tink and Kryptonite encrypt keysets with empty associated data. */
const KEYSET_ASSOCIATED_DATA = Buffer.alloc(0);

export async function encryptKeyset(keyset: Keyset, kek: KeyEncryptionKey): Promise<EncryptedKeysetJson> {
  const plaintext = keyset.toProto();
  try {
    const ciphertext = await kek.encrypt(plaintext, KEYSET_ASSOCIATED_DATA);
    return { encryptedKeyset: ciphertext.toString('base64'), keysetInfo: keyset.keysetInfo() };
  } catch (e) {
    throw kekFailure(e, 'encrypt', keyset.identifier);
  } finally {
    plaintext.fill(0);
  }
}

/** Reads `{encryptedKeyset, keysetInfo}` (object or JSON text) and decrypts it with the KEK. */
export async function decryptKeyset(json: unknown, kek: KeyEncryptionKey, options: KeysetOptions = {}): Promise<Keyset> {
  const parsed = readEncryptedKeysetJson(typeof json === 'string' ? parseJsonText(json, options) : json, options);
  let plaintext: Buffer;
  try {
    plaintext = await kek.decrypt(parsed.encryptedKeyset, KEYSET_ASSOCIATED_DATA);
  } catch (e) {
    throw kekFailure(e, 'decrypt', options.identifier);
  }
  try {
    return Keyset.fromProto(plaintext, options);
  } finally {
    plaintext.fill(0);
  }
}

export function readEncryptedKeysetJson(input: unknown, options: KeysetOptions = {}): { encryptedKeyset: Buffer; keysetInfo: TinkJsonKeysetInfo | undefined } {
  const r = new JsonReader(options);
  const o = r.object(input, '$', ['encryptedKeyset', 'keysetInfo']);
  const encryptedKeyset = r.base64(r.required(o, 'encryptedKeyset', ''), 'encryptedKeyset');
  if (encryptedKeyset.length === 0) r.fail('encryptedKeyset', 'is empty');
  const keysetInfo = o.keysetInfo === undefined ? undefined : readTinkJsonKeysetInfo(o.keysetInfo, 'keysetInfo', options);
  return { encryptedKeyset, keysetInfo };
}

/**
 * KMS errors keep their own class and retriable flag (a timeout may succeed later); any other KEK failure
 * means the material cannot be decrypted with this KEK and becomes a non-retriable KeysetError.
 */
function kekFailure(e: unknown, op: 'encrypt' | 'decrypt', identifier: string | undefined): KryptoniteError {
  if (e instanceof KmsError) return e;
  const problem = op === 'decrypt'
    ? 'the key-encryption key could not decrypt encryptedKeyset (wrong KEK or corrupted material)'
    : 'the key-encryption key failed to encrypt the keyset';
  return keysetError(op === 'decrypt' ? 'KEYSET_DECRYPTION_FAILED' : 'KEYSET_ENCRYPTION_FAILED', { identifier }, undefined, problem, e);
}
