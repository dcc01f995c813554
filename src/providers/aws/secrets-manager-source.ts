// kms_type AWS_SM_SECRETS: keysets stored as SecretString values in AWS Secrets Manager under
// Kryptonite's names k4k/tink_plain/<id> and k4k/tink_encrypted/<id>.
import type * as SecretsManager from '@aws-sdk/client-secrets-manager';
import { KeysetError } from '../../errors';
import { callKms } from '../../keys/kms-errors';
import { requireOptional } from '../../keys/optional-require';
import type { DescribedKeysetSource } from '../../keys/ports';
import { awsClientConfig, readAwsConfig, type AwsProviderOptions } from './config';
import { classifyAwsError } from './errors';

export const AWS_PLAIN_PREFIX = 'k4k/tink_plain/';
export const AWS_ENCRYPTED_PREFIX = 'k4k/tink_encrypted/';

export interface AwsSecretsManagerSourceOptions extends AwsProviderOptions {
  /** Which Kryptonite secret family to read (KMS → plain, KMS_ENCRYPTED → encrypted). Default plain. */
  encrypted?: boolean;
}

export interface AwsSecretsManagerSource extends DescribedKeysetSource {
  /** The full secret name for an identifier (for messages and tests). */
  secretName(identifier: string): string;
  close(): Promise<void>;
}

export function createAwsSecretsManagerSource(kmsConfig: unknown, options: AwsSecretsManagerSourceOptions = {}): AwsSecretsManagerSource {
  const sdk = requireOptional<typeof SecretsManager>('@aws-sdk/client-secrets-manager', 'kms_type AWS_SM_SECRETS');
  const client = new sdk.SecretsManagerClient(awsClientConfig(readAwsConfig(kmsConfig, 'kms_config'), options));
  const prefix = options.encrypted === true ? AWS_ENCRYPTED_PREFIX : AWS_PLAIN_PREFIX;
  const secretName = (id: string): string => prefix + id;

  return {
    secretName,
    describe: (id) => `AWS Secrets Manager secret '${secretName(id)}'`,
    async list() {
      return callKms(`AWS Secrets Manager: listing secrets '${prefix}*'`, classifyAwsError, async () => {
        const ids: string[] = [];
        let nextToken: string | undefined;
        do {
          const page = await client.send(new sdk.ListSecretsCommand({ MaxResults: 100, ...(nextToken ? { NextToken: nextToken } : {}) }));
          for (const entry of page.SecretList ?? []) {
            if (entry.Name?.startsWith(prefix) && entry.Name.length > prefix.length) ids.push(entry.Name.slice(prefix.length));
          }
          nextToken = page.NextToken || undefined;
        } while (nextToken !== undefined);
        return ids;
      });
    },
    async get(identifier) {
      const name = secretName(identifier);
      const out = await callKms(`AWS Secrets Manager: reading secret '${name}'`, classifyAwsError,
        () => client.send(new sdk.GetSecretValueCommand({ SecretId: name })));
      if (typeof out.SecretString !== 'string') {
        throw new KeysetError('KEYSET_MALFORMED', `AWS secret '${name}' has no SecretString (binary secrets are not keysets)`);
      }
      return out.SecretString;
    },
    async close() {
      client.destroy();
    },
  };
}
