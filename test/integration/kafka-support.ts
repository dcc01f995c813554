// Shared helpers for the integration tests against the real broker: clients with captured (quiet) logs, unique
// topics, Tink JSON keysets built here from random bytes, and waiting for records.
import { randomBytes, randomInt } from 'node:crypto';
import { Kafka, logLevel, Partitioners, type Admin, type Consumer, type KafkaMessage, type LogEntry } from 'kafkajs';
import { Kryptonite } from '../../src/engine';

export function brokers(): string[] {
  const list = process.env.KAFKA_BROKERS?.split(',').map((s) => s.trim()).filter(Boolean) ?? [];
  if (list.length === 0) {
    throw new Error('KAFKA_BROKERS is not set: run jest with the kafka service (not K4K_SERVICES=none) after scripts/testinfra/kafka.sh, '
      + 'or point KAFKA_BROKERS at a running broker');
  }
  return list;
}

/** Every log entry of every client made here; tests check that no key or value ever reaches a log. */
export const capturedLogs: LogEntry[] = [];

export function kafka(clientId: string, brokerList: string[] = brokers()): Kafka {
  return new Kafka({
    clientId, brokers: brokerList, logLevel: logLevel.INFO,
    logCreator: () => (entry) => { capturedLogs.push(entry); },
    retry: { initialRetryTime: 100, retries: 8 },
  });
}

export const producerConfig = { createPartitioner: Partitioners.DefaultPartitioner };

let counter = 0;
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter++}`;
}

export async function createTopics(admin: Admin, topics: string[], numPartitions = 1): Promise<void> {
  await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions })), waitForLeaders: true });
}

// Tink protos: AesGcmKey { version = 1; key_value = 3 }, AesSivKey { version = 1; key_value = 2 } (proto3, version 0 omitted).
function tinkKeyset(kind: 'gcm' | 'siv'): Record<string, unknown> {
  const keyId = randomInt(1, 2 ** 31 - 1);
  const raw = randomBytes(kind === 'gcm' ? 32 : 64);
  const value = Buffer.concat([Buffer.from([kind === 'gcm' ? 0x1a : 0x12, raw.length]), raw]).toString('base64');
  const typeUrl = `type.googleapis.com/google.crypto.tink.${kind === 'gcm' ? 'AesGcmKey' : 'AesSivKey'}`;
  return { primaryKeyId: keyId, key: [{ keyData: { typeUrl, value, keyMaterialType: 'SYMMETRIC' }, status: 'ENABLED', keyId, outputPrefixType: 'TINK' }] };
}

/** Fresh keysets per test file: `gcm` (default), `siv` (deterministic) and `other` (for a consumer that lacks it). */
export function testKeysets() {
  return { gcm: tinkKeyset('gcm'), siv: tinkKeyset('siv'), other: tinkKeyset('gcm') };
}

export type TestKeysets = ReturnType<typeof testKeysets>;

export function engine(keys: TestKeysets, ids: (keyof TestKeysets)[] = ['gcm', 'siv', 'other']): Promise<Kryptonite> {
  return Kryptonite.create({
    key_source: 'CONFIG',
    cipher_data_keys: ids.map((id) => ({ identifier: id, material: keys[id] })),
    cipher_data_key_identifier: 'gcm',
  });
}

export interface Received { topic: string; partition: number; message: KafkaMessage }

/** Runs `consumer` with eachMessage until `count` records arrived (or fails after `timeoutMs`). */
export async function consumeUntil(consumer: Consumer, count: number, timeoutMs = 30_000, into: Received[] = []): Promise<Received[]> {
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`received ${into.length} of ${count} records within ${timeoutMs} ms`)), timeoutMs);
    void consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        into.push({ topic, partition, message });
        if (into.length >= count) { clearTimeout(timer); resolve(); }
      },
    }).catch(reject);
  });
  return into;
}

/** All records of `topic` read with a plain KafkaJS consumer from the beginning. */
export async function readRaw(client: Kafka, topic: string, count: number): Promise<Received[]> {
  const consumer = client.consumer({ groupId: uniqueName('raw') });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    return await consumeUntil(consumer, count);
  } finally {
    await consumer.disconnect();
  }
}

export async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function isK2(text: string): boolean {
  return Buffer.from(text, 'base64').subarray(0, 2).toString('latin1') === 'k2';
}
