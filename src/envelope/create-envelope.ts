// Builds envelope encryption from validated settings: one envelope KEK per envelope_kek_configs entry
// (through the cloud provider table), the EDEK store (Kafka unless one is injected), and the session limits.
import { ConfigError, KryptoniteError } from '../errors';
import type { EnvelopeKekEntry, EnvelopeSettings } from '../config/types';
import { createEnvelopeKek, type ClosableKek, type ProviderOptions } from '../keys/provider-registry';
import { EnvelopeEncryption } from './envelope-encryption';
import type { EdekStore } from './edek-store';
import { parseEdekStoreConfig } from './edek-store-config';
import { KafkaEdekStore, type KafkaEdekStoreDeps } from './kafka-edek-store';

export interface EnvelopeDependencies {
  /** Use this store instead of the Kafka store described by edek_store_config. */
  edekStore?: EdekStore;
  /** Make the KEK of an envelope_kek_configs entry yourself (tests, custom KMS) instead of the cloud provider. */
  createKek?: (entry: EnvelopeKekEntry) => ClosableKek;
  /** Clock for DEK session ages (milliseconds); defaults to Date.now. */
  now?: () => number;
  /** Extra KafkaJS settings for the Kafka EDEK store. */
  kafka?: KafkaEdekStoreDeps;
}

export interface EnvelopeRuntime {
  readonly encryption: EnvelopeEncryption;
  readonly store: EdekStore | undefined;
  close(): Promise<void>;
}

export async function createEnvelope(s: EnvelopeSettings, deps: EnvelopeDependencies = {}, providers: ProviderOptions = {}): Promise<EnvelopeRuntime> {
  const keks = new Map<string, ClosableKek>();
  const closeKeks = async (): Promise<void> => { await Promise.allSettled([...keks.values()].map((k) => k.close?.())); };
  try {
    s.kekConfigs.forEach((entry, i) => {
      try {
        keks.set(entry.identifier, deps.createKek?.(entry) ?? createEnvelopeKek(entry.kekType, entry.kekUri, entry.kekConfig, providers));
      } catch (err) {
        if (!(err instanceof KryptoniteError)) throw err;
        throw new ConfigError(err.code, `envelope_kek_configs[${i}] ('${entry.identifier}'): ${err.message}`, { cause: err });
      }
    });
  } catch (err) {
    await closeKeks();
    throw err;
  }
  let store = deps.edekStore;
  if (store === undefined && s.edekStoreConfig !== undefined) {
    const problems: string[] = [];
    const cfg = parseEdekStoreConfig(s.edekStoreConfig, (path, message) => problems.push(`${path}: ${message}`));
    if (cfg === undefined) throw new ConfigError('INVALID_CONFIG', `invalid edek_store_config:\n- ${problems.join('\n- ')}`, { problems });
    store = new KafkaEdekStore(cfg, deps.kafka);
  }
  if (store === undefined && keks.size > 0) {
    await closeKeks();
    throw new ConfigError('INVALID_CONFIG', 'edek_store_config: envelope_kek_configs is set (KMS envelope encryption enabled) but edek_store_config '
      + 'is missing — configure the Kafka EDEK store (kafkacache.bootstrap.servers, kafkacache.topic)');
  }
  try {
    await store?.init();
  } catch (err) {
    await closeKeks();
    throw err;
  }
  const encryption = new EnvelopeEncryption({
    dekBytes: s.dekKeyBits === 256 ? 32 : 16,
    maxEncryptions: s.dekMaxEncryptions,
    ttlMs: s.dekTtlMinutes * 60_000,
    cacheSize: s.dekCacheSize,
    now: deps.now ?? Date.now,
    keks,
    store,
  });
  return {
    encryption,
    store,
    async close() {
      await Promise.allSettled([store?.close(), closeKeks()]);
    },
  };
}
