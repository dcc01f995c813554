// kms_type AZ_KV_SECRETS: keysets stored as Key Vault secrets named by the bare keyset identifier (no
// prefix, as Kryptonite), so the vault should hold keysets of one kind only. Disabled secrets are skipped
// when listing (Kryptonite would fail startup on them).
import type * as KvSecrets from '@azure/keyvault-secrets';
import { ConfigError, KeyNotFoundError, KeysetError } from '../../errors';
import { callKms } from '../../keys/kms-errors';
import { requireOptional } from '../../keys/optional-require';
import type { DescribedKeysetSource } from '../../keys/ports';
import { azureCredential, readAzureConfig, type AzureProviderOptions } from './config';
import { classifyAzureError } from './errors';

/** Key Vault object names: 1-127 letters, digits and dashes. */
const SECRET_NAME = /^[0-9A-Za-z-]{1,127}$/;

export interface AzureKeyVaultSource extends DescribedKeysetSource {
  readonly vaultUrl: string;
  close(): Promise<void>;
}

export function createAzureKeyVaultSource(kmsConfig: unknown, options: AzureProviderOptions = {}): AzureKeyVaultSource {
  const settings = readAzureConfig(kmsConfig, 'kms_config');
  const vaultUrl = settings.keyVaultUrl;
  if (vaultUrl === undefined) throw new ConfigError('CONFIG_INVALID', 'kms_config.keyVaultUrl is required for kms_type AZ_KV_SECRETS');
  if (!/^https:\/\//i.test(vaultUrl)) throw new ConfigError('CONFIG_INVALID', 'kms_config.keyVaultUrl must be an https:// URL');
  const sdk = requireOptional<typeof KvSecrets>('@azure/keyvault-secrets', 'kms_type AZ_KV_SECRETS');
  const client = new sdk.SecretClient(vaultUrl, azureCredential(settings, options, 'kms_type AZ_KV_SECRETS'),
    options.clientOptions as KvSecrets.SecretClientOptions | undefined);

  return {
    vaultUrl,
    describe: (id) => `Azure Key Vault secret '${id}' in ${vaultUrl}`,
    async list() {
      return callKms(`Azure Key Vault ${vaultUrl}: listing secrets`, classifyAzureError, async () => {
        const ids: string[] = [];
        for await (const props of client.listPropertiesOfSecrets()) {
          if (props.enabled !== false && props.name) ids.push(props.name);
        }
        return ids;
      });
    },
    async get(identifier) {
      if (!SECRET_NAME.test(identifier)) {
        throw new KeyNotFoundError('KMS_NOT_FOUND',
          `Azure Key Vault ${vaultUrl}: '${identifier}' cannot be a secret name (only letters, digits and '-')`);
      }
      const secret = await callKms(`Azure Key Vault ${vaultUrl}: reading secret '${identifier}'`, classifyAzureError,
        () => client.getSecret(identifier));
      if (typeof secret.value !== 'string') {
        throw new KeysetError('KEYSET_MALFORMED', `Azure secret '${identifier}' in ${vaultUrl} has no value`);
      }
      return secret.value;
    },
    async close() {
      // The SDK holds no sockets beyond keep-alive; nothing to release.
    },
  };
}
