// Builds the KeysetResolver for the configured key_source. (Lead's bootstrap version: key_source CONFIG.
// The cloud key sources — CONFIG_ENCRYPTED, KMS, KMS_ENCRYPTED — are added by the cloud KMS work.)
import { ConfigError, KeyNotFoundError } from '../errors';
import type { KeyManagementSettings } from '../config/types';
import { Keyset } from '../keyset/keyset';
import type { KeysetResolver } from './ports';

export async function createKeysetResolver(settings: KeyManagementSettings): Promise<KeysetResolver<Keyset>> {
  if (settings.keySource !== 'CONFIG') {
    throw new ConfigError('UNSUPPORTED_KEY_SOURCE', `key_source ${settings.keySource} is not available in this build`);
  }
  return staticKeysetResolver(new Map(settings.cipherDataKeys.map((e) =>
    [e.identifier, Keyset.fromTinkJson(e.material, { identifier: e.identifier })])));
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
