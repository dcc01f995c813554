// kek_type AWS: a KMS key (aws-kms://<key ARN>) used the way Tink's AwsKmsAead uses it, so that keysets
// encrypted by Kryptonite/Tink decrypt here and vice versa: Encrypt/Decrypt with KeyId = ARN, non-empty
// associated data sent as EncryptionContext {"associatedData": lowercase hex}, and on Decrypt the
// returned KeyId must equal a configured key ARN.
import type * as Kms from '@aws-sdk/client-kms';
import { ConfigError, KmsError } from '../../errors';
import { callKms } from '../../keys/kms-errors';
import { requireOptional } from '../../keys/optional-require';
import type { KeyEncryptionKey } from '../../keys/ports';
import { awsClientConfig, readAwsConfig, type AwsProviderOptions } from './config';
import { classifyAwsError } from './errors';

export const AWS_KEK_PREFIX = 'aws-kms://';

export interface AwsKmsKek extends KeyEncryptionKey {
  readonly keyArn: string;
  close(): Promise<void>;
}

/** Strips the prefix (case-insensitive, as Tink) and reads the region, the 4th ':'-separated token. */
export function parseAwsKekUri(kekUri: string): { keyArn: string; region: string } {
  if (!kekUri.toLowerCase().startsWith(AWS_KEK_PREFIX)) {
    throw new ConfigError('CONFIG_INVALID', `kek_uri must start with '${AWS_KEK_PREFIX}' for kek_type AWS`);
  }
  const keyArn = kekUri.slice(AWS_KEK_PREFIX.length);
  const tokens = keyArn.split(':');
  const region = tokens[3];
  if (tokens.length < 4 || !region) {
    throw new ConfigError('CONFIG_INVALID', "kek_uri: expected aws-kms://arn:aws:kms:<region>:<account>:key/<id> (no region found)");
  }
  return { keyArn, region };
}

function isKeyArnFormat(arn: string): boolean {
  const tokens = arn.split(':');
  return tokens.length === 6 && (tokens[5] ?? '').startsWith('key/');
}

function encryptionContext(associatedData: Uint8Array): { EncryptionContext?: Record<string, string> } {
  return associatedData.length > 0 ? { EncryptionContext: { associatedData: Buffer.from(associatedData).toString('hex') } } : {};
}

export function createAwsKmsKek(kekUri: string, kekConfig: unknown, options: AwsProviderOptions = {}): AwsKmsKek {
  const { keyArn, region } = parseAwsKekUri(kekUri);
  const sdk = requireOptional<typeof Kms>('@aws-sdk/client-kms', 'kek_type AWS');
  const conn = readAwsConfig(kekConfig, 'kek_config');
  // The key's region wins over any configured one, as in Kryptonite (its kek_config has no region).
  const client = new sdk.KMSClient(awsClientConfig({ ...conn, region }, options));
  return {
    keyArn,
    async encrypt(plaintext, associatedData) {
      const out = await callKms(`AWS KMS: Encrypt with ${keyArn}`, classifyAwsError, () => client.send(new sdk.EncryptCommand({
        KeyId: keyArn, Plaintext: plaintext, ...encryptionContext(associatedData),
      })));
      if (!out.CiphertextBlob) throw new KmsError('KMS_ERROR', `AWS KMS: Encrypt with ${keyArn} returned no ciphertext`);
      return Buffer.from(out.CiphertextBlob);
    },
    async decrypt(ciphertext, associatedData) {
      const out = await callKms(`AWS KMS: Decrypt with ${keyArn}`, classifyAwsError, () => client.send(new sdk.DecryptCommand({
        KeyId: keyArn, CiphertextBlob: ciphertext, ...encryptionContext(associatedData),
      })));
      if (isKeyArnFormat(keyArn) && out.KeyId !== keyArn) {
        // A ciphertext under another key we may also decrypt with must not be accepted (Tink does the same).
        throw new KmsError('KMS_WRONG_KEY', `AWS KMS: Decrypt with ${keyArn} answered for a different key id`);
      }
      if (!out.Plaintext) throw new KmsError('KMS_ERROR', `AWS KMS: Decrypt with ${keyArn} returned no plaintext`);
      return Buffer.from(out.Plaintext);
    },
    async close() {
      client.destroy();
    },
  };
}
