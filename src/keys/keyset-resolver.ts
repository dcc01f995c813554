// Builds the KeysetResolver for the configured key_source: CONFIG (plain cipher_data_keys), CONFIG_ENCRYPTED
// (cipher_data_keys decrypted with the kek_type KEK at startup), KMS / KMS_ENCRYPTED (keysets in the
// kms_type secret store, cached and optionally refreshed) and NONE (no keysets at all).
import { ConfigError, KeyNotFoundError, KeysetError } from '../errors';
import type { KeyManagementSettings } from '../config/types';
import { Keyset } from '../keyset/keyset';
import { decryptKeyset } from '../keyset/encrypted-keyset';
import { parseKeysetMaterial } from '../keyset/keyset-material';
import { CachedKeysetResolver, type Timers } from './cached-keyset-resolver';
import { consoleKeysLogger, type KeysLogger } from './logger';
import type { DescribedKeysetSource, KeyEncryptionKey, KeysetResolver } from './ports';
import { createKeyEncryptionKey, createKeysetSource, type ClosableKek, type ProviderOptions } from './provider-registry';
import { withRetries, type RetryOptions } from './retry';

export interface KeysetResolverDeps {
  /** Options handed to the cloud providers (SDK client options, credentials). */
  providers?: ProviderOptions;
  /** Use this store instead of the kms_type provider. */
  keysetSource?: DescribedKeysetSource & { close?(): Promise<void> };
  /** Use this KEK instead of the kek_type provider. */
  keyEncryptionKey?: KeyEncryptionKey & { close?(): Promise<void> };
  logger?: KeysLogger;
  retry?: RetryOptions;
  /** Overrides kms_refresh_interval_minutes in milliseconds (sub-minute intervals for tests). */
  refreshIntervalMs?: number;
  /** How long a failed identifier is answered from its remembered error before it is fetched again (default 30 s). */
  failureRetryAfterMs?: number;
  timers?: Timers;
  now?: () => number;
}

export async function createKeysetResolver(settings: KeyManagementSettings, deps: KeysetResolverDeps = {}): Promise<KeysetResolver<Keyset>> {
  switch (settings.keySource) {
    case 'CONFIG':
      return staticKeysetResolver(new Map(settings.cipherDataKeys.map((e) => {
        const m = parseKeysetMaterial(e.material, { identifier: e.identifier });
        if (m.kind !== 'plain') {
          throw new ConfigError('CONFIG_INVALID', `cipher_data_keys '${e.identifier}' holds an encrypted keyset but key_source is CONFIG (use CONFIG_ENCRYPTED)`);
        }
        return [e.identifier, m.keyset];
      })));
    case 'CONFIG_ENCRYPTED':
      return configEncryptedResolver(settings, deps);
    case 'KMS':
    case 'KMS_ENCRYPTED':
      return kmsResolver(settings, deps);
    case 'NONE':
      return noKeysetsResolver();
    default:
      throw new ConfigError('CONFIG_INVALID', `key_source: unknown value '${String(settings.keySource)}'`);
  }
}

function keyEncryptionKey(settings: KeyManagementSettings, deps: KeysetResolverDeps): ClosableKek {
  if (deps.keyEncryptionKey) return deps.keyEncryptionKey;
  if (settings.kekType === 'NONE') {
    throw new ConfigError('CONFIG_INVALID', `kek_type must be AWS, GCP or AZURE for key_source ${settings.keySource}`);
  }
  return createKeyEncryptionKey(settings.kekType, settings.kekUri, settings.kekConfig, deps.providers);
}

async function configEncryptedResolver(settings: KeyManagementSettings, deps: KeysetResolverDeps): Promise<KeysetResolver<Keyset>> {
  const kek = keyEncryptionKey(settings, deps);
  try {
    const entries = await Promise.all(settings.cipherDataKeys.map(async (e): Promise<[string, Keyset]> => {
      const m = parseKeysetMaterial(e.material, { identifier: e.identifier });
      if (m.kind !== 'encrypted') {
        throw new ConfigError('CONFIG_INVALID', `cipher_data_keys '${e.identifier}' holds a plain keyset but key_source is CONFIG_ENCRYPTED`);
      }
      return [e.identifier, await withRetries(() => decryptKeyset(m.encrypted, kek, { identifier: e.identifier }), deps.retry)];
    }));
    return staticKeysetResolver(new Map(entries));
  } finally {
    // All keysets are decrypted once at startup; the KMS client is not needed afterwards.
    await kek.close?.();
  }
}

async function kmsResolver(settings: KeyManagementSettings, deps: KeysetResolverDeps): Promise<KeysetResolver<Keyset>> {
  const encrypted = settings.keySource === 'KMS_ENCRYPTED';
  if (!deps.keysetSource && settings.kmsType === 'NONE') {
    throw new ConfigError('CONFIG_INVALID', `kms_type must be AWS_SM_SECRETS, GCP_SM_SECRETS or AZ_KV_SECRETS for key_source ${settings.keySource}`);
  }
  const kek = encrypted ? keyEncryptionKey(settings, deps) : undefined;
  const source = deps.keysetSource ?? createKeysetSource(settings.kmsType, settings.kmsConfig, encrypted, deps.providers);
  const resolver = new CachedKeysetResolver(source, {
    logger: deps.logger ?? consoleKeysLogger,
    ...(deps.retry ? { retry: deps.retry } : {}),
    refreshIntervalMs: deps.refreshIntervalMs ?? Math.max(0, settings.kmsRefreshIntervalMinutes) * 60_000,
    ...(deps.failureRetryAfterMs !== undefined ? { failureRetryAfterMs: deps.failureRetryAfterMs } : {}),
    ...(deps.timers ? { timers: deps.timers } : {}),
    ...(deps.now ? { now: deps.now } : {}),
    materialize: async (text, identifier) => {
      const m = parseKeysetMaterial(text, { identifier });
      if (m.kind === 'plain') {
        if (kek) throw new KeysetError('KEYSET_NOT_ENCRYPTED', `keyset '${identifier}' is stored unencrypted but key_source is KMS_ENCRYPTED`);
        return m.keyset;
      }
      if (!kek) throw new KeysetError('KEYSET_ENCRYPTED', `keyset '${identifier}' is stored encrypted but key_source is KMS (use KMS_ENCRYPTED)`);
      return decryptKeyset(m.encrypted, kek, { identifier });
    },
    onClose: async () => {
      await Promise.allSettled([source.close?.(), kek?.close?.()]);
    },
  });
  try {
    await resolver.start();
  } catch (err) {
    await resolver.close();
    throw err;
  }
  return resolver;
}

/** A resolver over keysets loaded up front (key_source CONFIG and CONFIG_ENCRYPTED). */
export function staticKeysetResolver(keysets: ReadonlyMap<string, Keyset>): KeysetResolver<Keyset> {
  return {
    peek: (id) => keysets.get(id),
    resolve: async (id) => {
      const ks = keysets.get(id);
      if (ks === undefined) {
        throw new KeyNotFoundError('KEYSET_NOT_FOUND', `no keyset with identifier '${id}' in cipher_data_keys`);
      }
      return ks;
    },
    close: async () => undefined,
  };
}

/** key_source NONE: only TINK/AES_GCM_ENVELOPE_KMS works, which needs no keysets. */
function noKeysetsResolver(): KeysetResolver<Keyset> {
  return {
    peek: () => undefined,
    resolve: async (id) => {
      throw new KeyNotFoundError('KEYSET_NOT_FOUND',
        `no keyset '${id}': key_source is NONE, which provides no keysets (only TINK/AES_GCM_ENVELOPE_KMS can be used)`);
    },
    close: async () => undefined,
  };
}
