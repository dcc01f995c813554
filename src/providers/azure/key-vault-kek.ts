// kek_type AZURE: an RSA key in Key Vault (azure-kv://<vault-host>/keys/<name>[/<version>]). Two forms:
// the keyset KEK (Kryptonite's hybrid RSA-OAEP-256 + AES-256-GCM format, associated data honoured) and
// the envelope KEK for algorithm 06 (plain RSA-OAEP-256 wrap of the DEK, associated data ignored as in
// Kryptonite's AzureEnvelopeKekEncryption).
import { randomBytes } from 'node:crypto';
import type * as KvKeys from '@azure/keyvault-keys';
import { ConfigError, KmsError } from '../../errors';
import { callKms } from '../../keys/kms-errors';
import { requireOptional } from '../../keys/optional-require';
import type { KeyEncryptionKey } from '../../keys/ports';
import { azureCredential, readAzureConfig, type AzureProviderOptions } from './config';
import { classifyAzureError } from './errors';
import { DEK_BYTES, decode, encode, open, seal } from './hybrid-format';

export const AZURE_KEK_PREFIX = 'azure-kv://';
const WRAP = 'RSA-OAEP-256';

export interface AzureKeyVaultKek extends KeyEncryptionKey {
  readonly keyUrl: string;
  close(): Promise<void>;
}

/** azure-kv://host/keys/name[/version] → https://host/keys/name[/version] (as Kryptonite). */
export function parseAzureKekUri(kekUri: string): string {
  if (!kekUri.toLowerCase().startsWith(AZURE_KEK_PREFIX)) {
    throw new ConfigError('CONFIG_INVALID', `kek_uri must start with '${AZURE_KEK_PREFIX}' for kek_type AZURE`);
  }
  const keyUrl = `https://${kekUri.slice(AZURE_KEK_PREFIX.length)}`;
  let path: string;
  try {
    path = new URL(keyUrl).pathname;
  } catch {
    throw new ConfigError('CONFIG_INVALID', 'kek_uri: not a valid azure-kv://<vault-host>/keys/<name>[/<version>] URI');
  }
  if (!/\/keys\/[0-9A-Za-z-]+(\/[0-9A-Za-z]+)?\/?$/.test(path)) {
    throw new ConfigError('CONFIG_INVALID', 'kek_uri: expected azure-kv://<vault-host>/keys/<name>[/<version>]');
  }
  return keyUrl;
}

interface Wrapper {
  keyUrl: string;
  wrap(key: Uint8Array): Promise<Buffer>;
  unwrap(wrapped: Uint8Array): Promise<Buffer>;
}

function createWrapper(kekUri: string, kekConfig: unknown, options: AzureProviderOptions): Wrapper {
  const keyUrl = parseAzureKekUri(kekUri);
  const settings = readAzureConfig(kekConfig, 'kek_config');
  const sdk = requireOptional<typeof KvKeys>('@azure/keyvault-keys', 'kek_type AZURE');
  const client = new sdk.CryptographyClient(keyUrl, azureCredential(settings, options, 'kek_type AZURE'),
    options.clientOptions as KvKeys.CryptographyClientOptions | undefined);
  const unwrapClassifier = (err: unknown): ReturnType<typeof classifyAzureError> => {
    const f = classifyAzureError(err);
    // Key Vault answers an unwrap of bytes it did not wrap with 400 Bad Request.
    return f.detail.endsWith('HTTP 400') ? { ...f, kind: 'crypto' } : f;
  };
  return {
    keyUrl,
    async wrap(key) {
      const out = await callKms(`Azure Key Vault: wrapKey ${WRAP} with ${keyUrl}`, classifyAzureError, () => client.wrapKey(WRAP, key));
      return Buffer.from(out.result);
    },
    async unwrap(wrapped) {
      const out = await callKms(`Azure Key Vault: unwrapKey ${WRAP} with ${keyUrl}`, unwrapClassifier, () => client.unwrapKey(WRAP, wrapped));
      return Buffer.from(out.result);
    },
  };
}

/** The keyset KEK (kek_type AZURE for CONFIG_ENCRYPTED / KMS_ENCRYPTED and the keyset tool). */
export function createAzureKeyVaultKek(kekUri: string, kekConfig: unknown, options: AzureProviderOptions = {}): AzureKeyVaultKek {
  const w = createWrapper(kekUri, kekConfig, options);
  return {
    keyUrl: w.keyUrl,
    async encrypt(plaintext, associatedData) {
      const dek = randomBytes(DEK_BYTES);
      const { iv, ciphertextAndTag } = seal(dek, plaintext, associatedData);
      const wrappedKey = await w.wrap(dek);
      dek.fill(0);
      return encode({ wrappedKey, iv, ciphertextAndTag });
    },
    async decrypt(ciphertext, associatedData) {
      const parts = decode(ciphertext);
      const dek = await w.unwrap(parts.wrappedKey);
      if (dek.length !== DEK_BYTES) {
        throw new KmsError('KMS_DECRYPT_FAILED', `Azure keyset KEK ${w.keyUrl}: unwrapped key has the wrong length`);
      }
      try {
        return open(dek, parts.iv, parts.ciphertextAndTag, associatedData);
      } finally {
        dek.fill(0);
      }
    },
    async close() {},
  };
}

/** The envelope KEK (algorithm 06): RSA-OAEP-256 wrap of the raw DEK; associated data is ignored. */
export function createAzureEnvelopeKek(kekUri: string, kekConfig: unknown, options: AzureProviderOptions = {}): AzureKeyVaultKek {
  const w = createWrapper(kekUri, kekConfig, options);
  return {
    keyUrl: w.keyUrl,
    encrypt: (plaintext) => w.wrap(plaintext),
    decrypt: (ciphertext) => w.unwrap(ciphertext),
    async close() {},
  };
}
