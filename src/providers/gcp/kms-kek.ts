// kek_type GCP: a Cloud KMS symmetric key (gcp-kms://projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>)
// used as Tink's GcpKmsAead does (Encrypt/Decrypt, associated data = additionalAuthenticatedData), plus
// the CRC32C end-to-end checks Cloud KMS offers.
import type * as CloudKms from '@google-cloud/kms';
import { ConfigError, KmsError } from '../../errors';
import { callKms, type KmsFailure } from '../../keys/kms-errors';
import { requireOptional } from '../../keys/optional-require';
import type { KeyEncryptionKey } from '../../keys/ports';
import { crc32c } from './crc32c';
import { gcpCallOptions, gcpClientOptions, readGcpConfig, type GcpProviderOptions } from './config';
import { classifyGcpError } from './errors';

export const GCP_KEK_PREFIX = 'gcp-kms://';
const PKG = '@google-cloud/kms';
const KEY_NAME = /^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+(\/cryptoKeyVersions\/[^/]+)?$/;

export interface GcpKmsKek extends KeyEncryptionKey {
  readonly keyName: string;
  close(): Promise<void>;
}

export function parseGcpKekUri(kekUri: string): string {
  if (!kekUri.toLowerCase().startsWith(GCP_KEK_PREFIX)) {
    throw new ConfigError('CONFIG_INVALID', `kek_uri must start with '${GCP_KEK_PREFIX}' for kek_type GCP`);
  }
  const name = kekUri.slice(GCP_KEK_PREFIX.length);
  if (!KEY_NAME.test(name)) {
    throw new ConfigError('CONFIG_INVALID', 'kek_uri: expected gcp-kms://projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>');
  }
  return name;
}

// Cloud KMS answers a wrong key, wrong associated data or damaged ciphertext with INVALID_ARGUMENT.
function classifyDecryptError(err: unknown): KmsFailure {
  const f = classifyGcpError(err);
  return f.detail === 'gRPC INVALID_ARGUMENT' ? { ...f, kind: 'crypto' } : f;
}

const checksum = (b: Uint8Array): { value: number } => ({ value: crc32c(b) });
const num = (v: unknown): number | undefined => {
  const x = (v as { value?: unknown } | null | undefined)?.value;
  return x === undefined || x === null ? undefined : Number(x);
};

export function createGcpKmsKek(kekUri: string, kekConfig: unknown, options: GcpProviderOptions = {}): GcpKmsKek {
  const keyName = parseGcpKekUri(kekUri);
  const sdk = requireOptional<typeof CloudKms>(PKG, 'kek_type GCP');
  const client = new sdk.KeyManagementServiceClient(
    gcpClientOptions(readGcpConfig(kekConfig, 'kek_config'), PKG, options) as ConstructorParameters<typeof sdk.KeyManagementServiceClient>[0]);
  const call = gcpCallOptions(options);
  const corrupted = (op: string): KmsError =>
    new KmsError('KMS_INTEGRITY', `GCP KMS: ${op} with ${keyName}: checksum mismatch in transit`, { retriable: true });

  return {
    keyName,
    async encrypt(plaintext, associatedData) {
      const [out] = await callKms(`GCP KMS: Encrypt with ${keyName}`, classifyGcpError, () => client.encrypt({
        name: keyName, plaintext, additionalAuthenticatedData: associatedData,
        plaintextCrc32c: checksum(plaintext), additionalAuthenticatedDataCrc32c: checksum(associatedData),
      }, call));
      if (!out.ciphertext) throw new KmsError('KMS_ERROR', `GCP KMS: Encrypt with ${keyName} returned no ciphertext`);
      const ct = Buffer.from(out.ciphertext as Uint8Array);
      if (out.verifiedPlaintextCrc32c === false || out.verifiedAdditionalAuthenticatedDataCrc32c === false) throw corrupted('Encrypt');
      const sum = num(out.ciphertextCrc32c);
      if (sum !== undefined && sum !== crc32c(ct)) throw corrupted('Encrypt');
      return ct;
    },
    async decrypt(ciphertext, associatedData) {
      const [out] = await callKms(`GCP KMS: Decrypt with ${keyName}`, classifyDecryptError, () => client.decrypt({
        name: keyName, ciphertext, additionalAuthenticatedData: associatedData,
        ciphertextCrc32c: checksum(ciphertext), additionalAuthenticatedDataCrc32c: checksum(associatedData),
      }, call));
      const pt = Buffer.from((out.plaintext ?? new Uint8Array(0)) as Uint8Array);
      const sum = num(out.plaintextCrc32c);
      if (sum !== undefined && sum !== crc32c(pt)) throw corrupted('Decrypt');
      return pt;
    },
    async close() {
      await client.close();
    },
  };
}
