// The provider table: kms_type / kek_type name → lazily required provider module. Nothing here imports a
// provider or an SDK at load time, so the main entry never pulls in a cloud SDK; an unknown or
// unavailable provider fails at construction with a ConfigError naming what to install.
import { ConfigError } from '../errors';
import type { KekType, KmsType } from '../config/types';
import type { DescribedKeysetSource, KeyEncryptionKey } from './ports';
import type * as AwsProvider from '../providers/aws';
import type * as GcpProvider from '../providers/gcp';
import type * as AzureProvider from '../providers/azure';

/** Per-cloud options passed through to the provider factories (SDK client options, credentials). */
export interface ProviderOptions {
  aws?: AwsProvider.AwsProviderOptions;
  gcp?: GcpProvider.GcpProviderOptions;
  azure?: AzureProvider.AzureProviderOptions;
}

/** A keyset source the resolver can close. */
export type ClosableKeysetSource = DescribedKeysetSource & { close?(): Promise<void> };
export type ClosableKek = KeyEncryptionKey & { close?(): Promise<void> };

interface KmsEntry {
  packages: string[];
  create(kmsConfig: unknown, encrypted: boolean, options: ProviderOptions): ClosableKeysetSource;
}
interface KekEntry {
  packages: string[];
  create(kekUri: string, kekConfig: unknown, options: ProviderOptions): ClosableKek;
}

/* eslint-disable @typescript-eslint/no-require-imports */
const aws = (): typeof AwsProvider => require('../providers/aws') as typeof AwsProvider;
const gcp = (): typeof GcpProvider => require('../providers/gcp') as typeof GcpProvider;
const azure = (): typeof AzureProvider => require('../providers/azure') as typeof AzureProvider;
/* eslint-enable @typescript-eslint/no-require-imports */

export const KMS_PROVIDERS: Readonly<Record<Exclude<KmsType, 'NONE'>, KmsEntry>> = {
  AWS_SM_SECRETS: {
    packages: ['@aws-sdk/client-secrets-manager'],
    create: (cfg, encrypted, o) => aws().createAwsSecretsManagerSource(cfg, { ...o.aws, encrypted }),
  },
  GCP_SM_SECRETS: {
    packages: ['@google-cloud/secret-manager'],
    create: (cfg, encrypted, o) => gcp().createGcpSecretManagerSource(cfg, { ...o.gcp, encrypted }),
  },
  AZ_KV_SECRETS: {
    packages: ['@azure/keyvault-secrets', '@azure/identity'],
    create: (cfg, _encrypted, o) => azure().createAzureKeyVaultSource(cfg, o.azure),
  },
};

export const KEK_PROVIDERS: Readonly<Record<Exclude<KekType, 'NONE'>, KekEntry>> = {
  AWS: { packages: ['@aws-sdk/client-kms'], create: (uri, cfg, o) => aws().createAwsKmsKek(uri, cfg, o.aws) },
  GCP: { packages: ['@google-cloud/kms'], create: (uri, cfg, o) => gcp().createGcpKmsKek(uri, cfg, o.gcp) },
  AZURE: {
    packages: ['@azure/keyvault-keys', '@azure/identity'],
    create: (uri, cfg, o) => azure().createAzureKeyVaultKek(uri, cfg, o.azure),
  },
};

/** Envelope KEKs (algorithm 06): same as the keyset KEKs except Azure's plain RSA-OAEP-256 wrap. */
export const ENVELOPE_KEK_PROVIDERS: Readonly<Record<Exclude<KekType, 'NONE'>, KekEntry>> = {
  ...KEK_PROVIDERS,
  AZURE: { ...KEK_PROVIDERS.AZURE, create: (uri, cfg, o) => azure().createAzureEnvelopeKek(uri, cfg, o.azure) },
};

function lookup<E>(table: Readonly<Record<string, E>>, name: string, option: string, kind: string): E {
  const entry = Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
  if (!entry) {
    throw new ConfigError('PROVIDER_UNKNOWN',
      `${option}: no ${kind} provider for type '${name}' (known: ${Object.keys(table).join(', ')})`);
  }
  return entry;
}

/** The keyset source for kms_type; `encrypted` selects Kryptonite's encrypted-keyset secret names. */
export function createKeysetSource(kmsType: string, kmsConfig: unknown, encrypted: boolean, options: ProviderOptions = {}): ClosableKeysetSource {
  return lookup(KMS_PROVIDERS, kmsType, 'kms_type', 'KMS key vault').create(kmsConfig, encrypted, options);
}

/** The keyset-encryption KEK for kek_type / kek_uri / kek_config. */
export function createKeyEncryptionKey(kekType: string, kekUri: string, kekConfig: unknown, options: ProviderOptions = {}): ClosableKek {
  if (!kekUri) throw new ConfigError('CONFIG_INVALID', `kek_uri is required for kek_type ${kekType}`);
  return lookup(KEK_PROVIDERS, kekType, 'kek_type', 'KMS key encryption').create(kekUri, kekConfig, options);
}

/** The envelope KEK (algorithm 06, issue 10) for one envelope_kek_configs entry. */
export function createEnvelopeKek(kekType: string, kekUri: string, kekConfig: unknown, options: ProviderOptions = {}): ClosableKek {
  if (!kekUri) throw new ConfigError('CONFIG_INVALID', `kek_uri is required for kek_type ${kekType}`);
  return lookup(ENVELOPE_KEK_PROVIDERS, kekType, 'kek_type', 'envelope KEK').create(kekUri, kekConfig, options);
}
