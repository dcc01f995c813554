// Envelope encryption against the real broker and the emulated clouds: algorithm 06 with AWS (moto), GCP
// (in-process gRPC fake) and Azure (in-process Key Vault fake) KEKs and the Kafka EDEK store, algorithm 05
// through the middleware, a second OS process consuming records whose DEKs this one created, and the KMS
// calls 100,000 records cost.
import { spawn } from 'node:child_process';
import { createDecipheriv } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import type { Admin, Kafka, LogEntry } from 'kafkajs';
import { Kryptonite } from '../../src/engine';
import { createEnvelopeKek } from '../../src/keys/provider-registry';
import { decryptingConsumer, encryptingProducer } from '../../src/kafka';
import type { TopicRule } from '../../src/record';
import type { KekType } from '../../src/config/types';
import { kek, providerDeps, startClouds, type Clouds } from '../support/cloud-fixtures';
import { watchConnections, type LoopbackGuard } from '../support/loopback-guard';
import { brokers, capturedLogs, consumeUntil, createTopics, kafka, producerConfig, readRaw, testKeysets, uniqueName, type Received } from './kafka-support';

const KMS = 'TINK/AES_GCM_ENVELOPE_KMS' as const;
const KEYSET = 'TINK/AES_GCM_ENVELOPE_KEYSET' as const;
const ROOT = join(__dirname, '..', '..');

let clouds: Clouds;
let client: Kafka;
let admin: Admin;
let guard: LoopbackGuard;
const engines: Kryptonite[] = [];
const quiet = { kafkaConfig: { logCreator: () => (e: LogEntry) => { capturedLogs.push(e); } } };

beforeAll(async () => {
  guard = watchConnections();
  clouds = await startClouds();
  client = kafka('envelope-it');
  admin = client.admin();
  await admin.connect();
});

afterAll(async () => {
  await Promise.all(engines.map((k) => k.close()));
  await admin?.disconnect();
  await clouds?.stop();
  guard?.restore();
});

function optionsFor(cloud: Exclude<KekType, 'NONE'>, edekTopic: string, extra: Record<string, unknown> = {}) {
  const { kekUri, kekConfig } = kek(clouds, cloud);
  return {
    key_source: 'NONE',
    // Kryptonite's code shape: kek_config as JSON text
    envelope_kek_configs: [{ identifier: `kek-${cloud}`, kek_type: cloud, kek_uri: kekUri, kek_config: JSON.stringify(kekConfig) }],
    envelope_kek_identifier: `kek-${cloud}`,
    edek_store_config: { 'kafkacache.bootstrap.servers': brokers().join(','), 'kafkacache.topic': edekTopic },
    ...extra,
  };
}

async function engine(options: Record<string, unknown>): Promise<Kryptonite> {
  const k = await Kryptonite.create(options, { keys: { providers: providerDeps }, envelope: { kafka: quiet } });
  engines.push(k);
  return k;
}

const order = (i: number) => ({ id: i, customer: { name: `Customer ${i}`, email: `c${i}.secret@example.com` }, card: `4000-0000-0000-${1000 + i}` });
const FIELDS = [{ name: 'customer.email', algorithm: KMS }, { name: 'card', algorithm: KMS }];

function sortByOffset(rs: Received[]): Received[] {
  return rs.sort((a, b) => Number(a.message.offset) - Number(b.message.offset));
}

function fieldBytes(text: string): { keyId: string; alg: string; c: Buffer } {
  const b = Buffer.from(text, 'base64');
  const n = b[6] as number;
  return { alg: b.toString('latin1', 4, 6), keyId: b.toString('utf8', 7, 7 + n), c: b.subarray(7 + n) };
}

function openGcm(dek: Buffer, ivCtTag: Buffer, aad: string): Buffer {
  const d = createDecipheriv(dek.length === 16 ? 'aes-128-gcm' : 'aes-256-gcm', dek, ivCtTag.subarray(0, 12));
  d.setAAD(Buffer.from(aad));
  d.setAuthTag(ivCtTag.subarray(ivCtTag.length - 16));
  return Buffer.concat([d.update(ivCtTag.subarray(12, ivCtTag.length - 16)), d.final()]);
}

describe.each(['AWS', 'GCP', 'AZURE'] as const)('TINK/AES_GCM_ENVELOPE_KMS with the %s KEK', (cloud) => {
  it('middleware round trip on the broker; DEKs rotate by count, each published to the EDEK topic before use', async () => {
    const edekTopic = uniqueName(`edeks-${cloud}`);
    const dataTopic = uniqueName(`orders-${cloud}`);
    await createTopics(admin, [dataTopic]);
    const writer = await engine(optionsFor(cloud, edekTopic, { dek_max_encryptions: 16 }));
    const reader = await engine(optionsFor(cloud, edekTopic)); // started before the DEKs exist: it must follow the topic
    const topics: TopicRule[] = [{ topic: dataTopic, value: { fields: FIELDS } }];
    const producer = encryptingProducer(client.producer(producerConfig), { kryptonite: writer, topics });
    await producer.connect();
    const N = 20;
    await producer.send({ topic: dataTopic, messages: Array.from({ length: N }, (_, i) => ({ key: `k${i}`, value: JSON.stringify(order(i)) })) });
    await producer.disconnect();

    // 40 encrypted fields with at most 16 per DEK: 3 DEKs, 3 EDEK records (key = fingerprint, value = KMS output, no headers)
    const raw = sortByOffset(await readRaw(client, dataTopic, N));
    const edeks = await readRaw(client, edekTopic, 3);
    const byFp = new Map(edeks.map((r) => [r.message.key!.toString('hex'), r.message.value!]));
    expect(byFp.size).toBe(3);
    for (const r of edeks) expect(r.message.headers).toEqual({});
    expect(writer.envelopeStats()).toMatchObject({ kmsSessions: 3, kmsWraps: 3 });
    const envelopeKek = createEnvelopeKek(cloud, kek(clouds, cloud).kekUri, kek(clouds, cloud).kekConfig, providerDeps);
    const seenFps = new Set<string>();
    for (let i = 0; i < N; i++) {
      const doc = JSON.parse(raw[i]!.message.value!.toString('utf8'));
      expect(doc.customer.name).toBe(`Customer ${i}`);
      const f = fieldBytes(doc.customer.email);
      expect([f.alg, f.keyId]).toEqual(['06', `kek-${cloud}`]);
      const fp = f.c.subarray(0, 16).toString('hex');
      seenFps.add(fp);
      // independent decode of the wire bytes: KMS unwrap (AAD = identifier), then plain AES-GCM on the data part
      const dek = await envelopeKek.decrypt(byFp.get(fp)!, Buffer.from(`kek-${cloud}`));
      expect(dek.length).toBe(16);
      // Kryo writes an ASCII string with the last byte's high bit set
      expect(openGcm(dek, f.c.subarray(16), `k206kek-${cloud}`).includes(Buffer.from(`c${i}.secret@example.co`))).toBe(true);
    }
    expect(seenFps.size).toBe(3);
    await envelopeKek.close?.();

    const consumer = decryptingConsumer(client.consumer({ groupId: uniqueName('g') }), { kryptonite: reader, topics });
    await consumer.connect();
    await consumer.subscribe({ topics: [dataTopic], fromBeginning: true });
    const seen = sortByOffset(await consumeUntil(consumer, N));
    await consumer.disconnect();
    expect(seen.map((r) => JSON.parse(r.message.value!.toString('utf8')))).toEqual(Array.from({ length: N }, (_, i) => order(i)));
    expect(reader.envelopeStats()).toMatchObject({ kmsSessions: 0, kmsUnwraps: 3 });
    const logs = JSON.stringify(capturedLogs);
    for (let i = 0; i < N; i++) expect(logs).not.toContain(`c${i}.secret`);
  });

  it("the cloud's associated-data rule for the DEK wrap", async () => {
    const edekTopic = uniqueName(`edeks-aad-${cloud}`);
    const k = await engine(optionsFor(cloud, edekTopic));
    const f = fieldBytes(await k.encryptValue('x', { name: 'f', algorithm: KMS }) as string);
    const [rec] = await readRaw(client, edekTopic, 1);
    const wrapped = rec!.message.value!;
    const { kekUri, kekConfig } = kek(clouds, cloud);
    const direct = createEnvelopeKek(cloud, kekUri, kekConfig, providerDeps);
    expect(rec!.message.key!.equals(f.c.subarray(0, 16))).toBe(true);
    if (cloud === 'AWS') {
      // Tink's AwsKmsAead: EncryptionContext {"associatedData": lowercase hex of the identifier}, checked by KMS itself
      const c = kekConfig as Record<string, string>;
      const sdk = new KMSClient({ region: clouds.region, endpoint: c.endpoint,
        credentials: { accessKeyId: c.accessKey!, secretAccessKey: c.secretKey!, ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}) } });
      const ok = await sdk.send(new DecryptCommand({ KeyId: clouds.awsKeyArn, CiphertextBlob: wrapped, EncryptionContext: { associatedData: Buffer.from('kek-AWS').toString('hex') } }));
      expect(ok.Plaintext?.length).toBe(16);
      await expect(sdk.send(new DecryptCommand({ KeyId: clouds.awsKeyArn, CiphertextBlob: wrapped }))).rejects.toThrow();
      sdk.destroy();
    } else if (cloud === 'GCP') {
      await expect(direct.decrypt(wrapped, Buffer.from('kek-GCP'))).resolves.toHaveLength(16);
      await expect(direct.decrypt(wrapped, Buffer.from('other'))).rejects.toThrow();
    } else {
      // AzureEnvelopeKekEncryption: raw RSA-OAEP-256 wrap (RSA-2048 → 256 bytes), associated data ignored
      expect(wrapped.length).toBe(256);
      await expect(direct.decrypt(wrapped, Buffer.from('anything'))).resolves.toHaveLength(16);
    }
    await direct.close?.();
  });
});

describe('TINK/AES_GCM_ENVELOPE_KEYSET through the middleware', () => {
  it('the wrapped DEK travels inline; a second instance with the same keyset decrypts', async () => {
    const keys = testKeysets();
    const opts = { cipher_data_keys: [{ identifier: 'kek', material: keys.gcm }], cipher_data_key_identifier: 'kek', dek_key_bits: 256, dek_max_encryptions: 7 };
    const writer = await engine(opts);
    const reader = await engine(opts);
    const topic = uniqueName('orders-05');
    await createTopics(admin, [topic]);
    const topics: TopicRule[] = [{ topic, value: { fields: [{ name: 'customer.email', algorithm: KEYSET }, { name: 'card', algorithm: KEYSET }] } }];
    const producer = encryptingProducer(client.producer(producerConfig), { kryptonite: writer, topics });
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 10 }, (_, i) => ({ value: JSON.stringify(order(i)) })) });
    await producer.disconnect();
    const raw = sortByOffset(await readRaw(client, topic, 10));
    const wrappedDeks = new Set(raw.flatMap((r) => {
      const d = JSON.parse(r.message.value!.toString('utf8'));
      return [d.customer.email, d.card].map((t: string) => { const f = fieldBytes(t); expect(f.alg).toBe('05'); return f.c.subarray(4, 4 + f.c.readInt32BE(0)).toString('hex'); });
    }));
    expect(wrappedDeks.size).toBe(3); // 20 fields, 7 per DEK
    for (const w of wrappedDeks) expect(w.length / 2).toBe(5 + 12 + 32 + 16);
    const consumer = decryptingConsumer(client.consumer({ groupId: uniqueName('g') }), { kryptonite: reader, topics });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const seen = sortByOffset(await consumeUntil(consumer, 10));
    await consumer.disconnect();
    expect(seen.map((r) => JSON.parse(r.message.value!.toString('utf8')))).toEqual(Array.from({ length: 10 }, (_, i) => order(i)));
  });
});

describe('a second process', () => {
  it('consumes and decrypts records whose DEKs this process created, before and after it started', async () => {
    const edekTopic = uniqueName('edeks-child');
    const dataTopic = uniqueName('orders-child');
    await createTopics(admin, [dataTopic]);
    const options = optionsFor('AWS', edekTopic, { dek_max_encryptions: 4 });
    const writer = await engine(options);
    const topics: TopicRule[] = [{ topic: dataTopic, value: { fields: FIELDS } }];
    const producer = encryptingProducer(client.producer(producerConfig), { kryptonite: writer, topics });
    await producer.connect();
    const first = 5;
    const second = 7;
    await producer.send({ topic: dataTopic, messages: Array.from({ length: first }, (_, i) => ({ value: JSON.stringify(order(i)) })) });

    const job = { options, brokers: brokers(), topic: dataTopic, fields: FIELDS, count: first + second, groupId: uniqueName('child') };
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, 'test', 'envelope', 'child-consumer.ts')], {
      cwd: ROOT, env: { ...process.env, NODE_NO_WARNINGS: '1', K4K_CHILD_JOB: JSON.stringify(job), TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const lines: string[] = [];
    const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? -1)));
    const ready = new Promise<void>((resolve) => {
      createInterface({ input: child.stdout }).on('line', (line) => { if (line === 'ready') resolve(); else lines.push(line); });
    });
    await Promise.race([ready, exited.then((c) => { throw new Error(`child exited (${c}) before it was ready: ${stderr}`); })]);
    // new DEKs, created after the child's store finished its start-up read
    await producer.send({ topic: dataTopic, messages: Array.from({ length: second }, (_, i) => ({ value: JSON.stringify(order(first + i)) })) });
    await producer.disconnect();
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([exited, new Promise<number>((_, reject) => {
      timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`child timed out: ${stderr}`)); }, 90_000);
    })]).finally(() => clearTimeout(timer));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const stats = JSON.parse(lines.pop()!.replace(/^stats /, ''));
    expect(lines.map((l) => JSON.parse(l))).toEqual(Array.from({ length: first + second }, (_, i) => order(i)));
    expect(writer.envelopeStats().kmsSessions).toBe(Math.ceil(((first + second) * 2) / 4));
    expect(stats).toMatchObject({ kmsSessions: 0, kmsUnwraps: writer.envelopeStats().kmsSessions });
  }, 120_000);
});

describe('KMS calls', () => {
  it('100,000 records through the middleware under default settings: one Encrypt to write, one Decrypt to read elsewhere', async () => {
    const edekTopic = uniqueName('edeks-100k');
    const dataTopic = uniqueName('orders-100k');
    await createTopics(admin, [dataTopic]);
    const calls = () => ({ encrypt: clouds.gcp.calls.get('encrypt') ?? 0, decrypt: clouds.gcp.calls.get('decrypt') ?? 0 });
    const before = calls();
    const writer = await engine(optionsFor('GCP', edekTopic));
    const reader = await engine(optionsFor('GCP', edekTopic));
    const topics: TopicRule[] = [{ topic: dataTopic, value: { fields: [{ name: 'card', algorithm: KMS }] } }];
    const producer = encryptingProducer(client.producer(producerConfig), { kryptonite: writer, topics });
    await producer.connect();
    const N = 100_000;
    for (let start = 0; start < N; start += 5000) {
      await producer.send({ topic: dataTopic, messages: Array.from({ length: 5000 }, (_, j) => ({ value: `{"id":${start + j},"card":"4000-${start + j}"}` })) });
    }
    await producer.disconnect();
    const afterWrite = calls();
    expect(afterWrite.encrypt - before.encrypt).toBe(1);
    const consumer = decryptingConsumer(client.consumer({ groupId: uniqueName('g'), maxBytesPerPartition: 4 << 20 }), { kryptonite: reader, topics });
    await consumer.connect();
    await consumer.subscribe({ topics: [dataTopic], fromBeginning: true });
    let n = 0;
    let wrong = 0;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`decrypted ${n} of ${N}`)), 110_000);
      void consumer.run({
        eachBatch: async ({ batch }) => {
          for (const m of batch.messages) {
            const d = JSON.parse(m.value!.toString('utf8')) as { id: number; card: string };
            if (d.card !== `4000-${d.id}`) wrong++;
            if (++n === N) { clearTimeout(timer); resolve(); }
          }
        },
      }).catch(reject);
    });
    await consumer.disconnect();
    expect(wrong).toBe(0);
    const after = calls();
    expect({ encrypt: after.encrypt - before.encrypt, decrypt: after.decrypt - before.decrypt }).toEqual({ encrypt: 1, decrypt: 1 });
  }, 180_000);
});
