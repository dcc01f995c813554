// The Kafka EDEK store against the real broker: topic creation and the compaction check, Kryptonite's record
// layout both ways, the start-up read from the beginning, following the topic while running, and the bounded
// wait of a lookup miss.
import { randomBytes } from 'node:crypto';
import { ConfigResourceTypes, type Admin, type Kafka, type Producer } from 'kafkajs';
import { KafkaEdekStore, fingerprintOf, parseEdekStoreConfig, type KafkaEdekStoreConfig } from '../../src/envelope';
import { brokers, capturedLogs, kafka, producerConfig, readRaw, uniqueName } from '../integration/kafka-support';

// KafkaJS reports the broker's start-up hiccups and the unreachable-broker case at ERROR; keep them out of the output.
const quiet = { kafkaConfig: { logCreator: () => (e: import('kafkajs').LogEntry) => { capturedLogs.push(e); } } };

let client: Kafka;
let admin: Admin;
let producer: Producer;
const open: KafkaEdekStore[] = [];

beforeAll(async () => {
  client = kafka('edek-store-test');
  admin = client.admin();
  await admin.connect();
  producer = client.producer(producerConfig);
  await producer.connect();
});

afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
  await producer?.disconnect();
  await admin?.disconnect();
});

function config(topic: string, extra: Record<string, string> = {}): KafkaEdekStoreConfig {
  const cfg = parseEdekStoreConfig({ 'kafkacache.bootstrap.servers': brokers().join(','), 'kafkacache.topic': topic, ...extra }, (p, m) => {
    throw new Error(`${p}: ${m}`);
  });
  return cfg!;
}

async function store(topic: string, extra: Record<string, string> = {}): Promise<KafkaEdekStore> {
  const s = new KafkaEdekStore(config(topic, extra), quiet);
  open.push(s);
  await s.init();
  return s;
}

function edek(): { fp: Buffer; wrapped: Buffer } {
  const wrapped = randomBytes(49);
  return { fp: fingerprintOf(wrapped), wrapped };
}

async function cleanupPolicy(topic: string): Promise<string | undefined> {
  const d = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['cleanup.policy'] }] });
  return d.resources[0]?.configEntries.find((e) => e.configName === 'cleanup.policy')?.configValue;
}

describe('Kafka EDEK store', () => {
  it('creates an absent topic compacted; writes key = fingerprint, value = wrapped DEK, no headers', async () => {
    const topic = uniqueName('edeks');
    const s = await store(topic);
    expect(await cleanupPolicy(topic)).toBe('compact');
    const e = edek();
    await s.put(e.fp, e.wrapped);
    const [rec] = await readRaw(client, topic, 1);
    expect(rec!.message.key!.equals(e.fp)).toBe(true);
    expect(rec!.message.value!.equals(e.wrapped)).toBe(true);
    expect(rec!.message.headers).toEqual({});
    await expect(s.get(e.fp)).resolves.toEqual(e.wrapped);
  });

  it('refuses a topic that is not compacted unless kafkacache.topic.require.compact=false', async () => {
    const topic = uniqueName('edeks-delete');
    await admin.createTopics({ topics: [{ topic, configEntries: [{ name: 'cleanup.policy', value: 'delete' }] }], waitForLeaders: true });
    const s = new KafkaEdekStore(config(topic), quiet);
    open.push(s);
    await expect(s.init()).rejects.toThrow(`edek_store_config.kafkacache.topic: topic '${topic}' must be compacted (cleanup.policy=compact) but has cleanup.policy=delete`);
    await expect(store(topic, { 'kafkacache.topic.require.compact': 'false' })).resolves.toBeInstanceOf(KafkaEdekStore);
  });

  it('reads records already on the topic at start-up (written as Kryptonite writes them), skipping foreign keys', async () => {
    const topic = uniqueName('edeks-pre');
    await admin.createTopics({ topics: [{ topic, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }], waitForLeaders: true });
    const entries = Array.from({ length: 25 }, edek);
    await producer.send({ topic, messages: [...entries.map((e) => ({ key: e.fp, value: e.wrapped })), { key: 'not-a-fingerprint', value: 'x' }] });
    const s = await store(topic, { 'k4k.lookup.wait.ms': '0' });
    expect(s.size).toBe(25);
    for (const e of entries) await expect(s.get(e.fp)).resolves.toEqual(e.wrapped);
  });

  it("follows the topic: another instance's new EDEK is found; a miss waits at most k4k.lookup.wait.ms", async () => {
    const topic = uniqueName('edeks-follow');
    const a = await store(topic);
    const b = await store(topic, { 'k4k.lookup.wait.ms': '3000' });
    const e = edek();
    await a.put(e.fp, e.wrapped);
    await expect(b.get(e.fp)).resolves.toEqual(e.wrapped); // immediately after the write: the lookup waits for it
    const started = Date.now();
    await expect(b.get(edek().fp)).resolves.toBeUndefined();
    // the miss ends once the mirror has caught up with the topic, well before the bound
    expect(Date.now() - started).toBeLessThan(3000);
    const c = await store(topic, { 'k4k.lookup.wait.ms': '0' });
    await expect(c.get(e.fp)).resolves.toEqual(e.wrapped);
  });

  it('put/get before init fail with a clear message', async () => {
    const s = new KafkaEdekStore(config(uniqueName('never')));
    await expect(s.get(edek().fp)).rejects.toThrow('the EDEK store has not been initialised — call init() first');
    await s.close();
  });

  it('an unreachable broker fails init within kafkacache.init.timeout.ms with the topic named', async () => {
    const s = new KafkaEdekStore({ ...config('t'), brokers: ['127.0.0.1:1'] }, { kafkaConfig: { ...quiet.kafkaConfig, retry: { retries: 0 }, connectionTimeout: 300 } });
    await expect(s.init()).rejects.toThrow(/^failed to initialise EdekStore on Kafka topic 't'/);
  });
});
