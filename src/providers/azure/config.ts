// kms_config / kek_config for Azure as Kryptonite reads them ({clientId, tenantId, clientSecret,
// keyVaultUrl}); without the three credential fields the SDK's DefaultAzureCredential chain is used.
import type { TokenCredential } from '@azure/core-auth';
import type * as Identity from '@azure/identity';
import { ConfigError } from '../../errors';
import { configObject, optionalString } from '../../keys/provider-config';
import { requireOptional } from '../../keys/optional-require';

export interface AzureProviderOptions {
  /** Merged into the Key Vault client options (tests: tlsOptions, serviceVersion, retryOptions, ...). */
  clientOptions?: Record<string, unknown>;
  /** Use this credential instead of the one derived from the config (managed identity, tests). */
  credential?: TokenCredential;
}

export interface AzureSettings {
  keyVaultUrl?: string;
  clientSecret?: { tenantId: string; clientId: string; clientSecret: string; authorityHost?: string };
}

export function readAzureConfig(raw: unknown, option: string): AzureSettings {
  const cfg = configObject(raw, option);
  const tenantId = optionalString(cfg, 'tenantId', option);
  const clientId = optionalString(cfg, 'clientId', option);
  const clientSecret = optionalString(cfg, 'clientSecret', option);
  const given = [tenantId, clientId, clientSecret].filter((v) => v !== undefined).length;
  if (given !== 0 && given !== 3) {
    throw new ConfigError('CONFIG_INVALID',
      `${option}: clientId, tenantId and clientSecret must be given together (or all left out to use DefaultAzureCredential)`);
  }
  const authorityHost = optionalString(cfg, 'authorityHost', option);
  return {
    keyVaultUrl: optionalString(cfg, 'keyVaultUrl', option),
    clientSecret: tenantId !== undefined && clientId !== undefined && clientSecret !== undefined
      ? { tenantId, clientId, clientSecret, ...(authorityHost !== undefined ? { authorityHost } : {}) } : undefined,
  };
}

export function azureCredential(settings: AzureSettings, options: AzureProviderOptions, neededFor: string): TokenCredential {
  if (options.credential) return options.credential;
  const identity = requireOptional<typeof Identity>('@azure/identity', neededFor);
  const cs = settings.clientSecret;
  if (cs) {
    return new identity.ClientSecretCredential(cs.tenantId, cs.clientId, cs.clientSecret,
      cs.authorityHost !== undefined ? { authorityHost: cs.authorityHost } : {});
  }
  return new identity.DefaultAzureCredential();
}
