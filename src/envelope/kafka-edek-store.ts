// The EDEK store on a compacted Kafka topic, record-compatible with Kryptonite's KCache store (key = 16
// fingerprint bytes, value = wrapped DEK, no headers). Every instance mirrors the whole topic in memory:
// it reads from the beginning at start-up, then follows the topic; a lookup miss waits (bounded) until the
// mirror has caught up with the topic's current end before it reports the EDEK as missing.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import {
  ConfigResourceTypes, Kafka, logLevel, Partitioners, type Admin, type Consumer, type KafkaConfig, type Producer, type SASLOptions,
} from 'kafkajs';
import { ConfigError, KryptoniteError } from '../errors';
import { FINGERPRINT_SIZE, type EdekStore } from './edek-store';
import type { KafkaEdekStoreConfig } from './edek-store-config';

export interface KafkaEdekStoreDeps {
  /** Extra KafkaJS client settings (logCreator, retry, …); brokers and security come from the config. */
  kafkaConfig?: Partial<KafkaConfig>;
}

type Offsets = Map<number, number>;

export class KafkaEdekStore implements EdekStore {
  private readonly entries = new Map<string, Buffer>();
  private readonly progress: Offsets = new Map();
  private readonly waiters = new Set<() => void>();
  private kafka: Kafka | undefined;
  private admin: Admin | undefined;
  private consumer: Consumer | undefined;
  private producer: Producer | undefined;
  private failure: Error | undefined;
  private closed = false;

  constructor(private readonly cfg: KafkaEdekStoreConfig, private readonly deps: KafkaEdekStoreDeps = {}) {}

  describe(): string { return `Kafka topic '${this.cfg.topic}'`; }

  /** Entries mirrored so far (tests, metrics). */
  get size(): number { return this.entries.size; }

  async init(): Promise<void> {
    if (this.kafka !== undefined) return;
    const kafka = (this.kafka = new Kafka({
      clientId: this.cfg.clientId,
      brokers: [...this.cfg.brokers],
      logLevel: logLevel.WARN,
      ...this.security(),
      ...this.deps.kafkaConfig,
    }));
    try {
      this.admin = kafka.admin();
      await this.admin.connect();
      await this.ensureTopic(this.admin);
      const end = await this.endOffsets();
      this.consumer = kafka.consumer({ groupId: `${this.cfg.groupIdPrefix}-${randomUUID()}`, maxWaitTimeInMs: 1000 });
      this.consumer.on(this.consumer.events.CRASH, (e) => {
        if (!e.payload.restart) { this.failure = e.payload.error; this.notify(); }
      });
      await this.consumer.connect();
      await this.consumer.subscribe({ topic: this.cfg.topic, fromBeginning: true });
      await this.consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          for (const m of batch.messages) {
            if (m.key === null || m.key.length !== FINGERPRINT_SIZE) continue; // not an EDEK record
            const k = m.key.toString('hex');
            if (m.value === null) this.entries.delete(k);
            else this.entries.set(k, Buffer.from(m.value));
          }
          const next = Number(batch.lastOffset()) + 1;
          if (next > (this.progress.get(batch.partition) ?? 0)) this.progress.set(batch.partition, next);
          this.notify();
        },
      });
      this.producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
      await this.producer.connect();
      if (!(await this.waitFor(() => this.caughtUp(end), this.cfg.initTimeoutMs))) {
        throw new KryptoniteError('EDEK_STORE_INIT', `failed to initialise EdekStore: could not read ${this.describe()} to its end within `
          + `${this.cfg.initTimeoutMs} ms${this.failure ? ` (${this.failure.message})` : ''}`, { retriable: true });
      }
    } catch (err) {
      await this.close();
      if (err instanceof KryptoniteError) throw err;
      throw new KryptoniteError('EDEK_STORE_INIT', `failed to initialise EdekStore on ${this.describe()}: ${(err as Error).message}`,
        { retriable: true, cause: err });
    }
  }

  async put(fingerprint: Buffer, wrappedDek: Buffer): Promise<void> {
    const producer = this.ready();
    try {
      await producer.send({ topic: this.cfg.topic, acks: -1, timeout: this.cfg.timeoutMs, messages: [{ key: fingerprint, value: wrappedDek }] });
    } catch (err) {
      throw new KryptoniteError('EDEK_STORE_WRITE', `could not write an EDEK to ${this.describe()}: ${(err as Error).message}`,
        { retriable: true, cause: err });
    }
    this.entries.set(fingerprint.toString('hex'), Buffer.from(wrappedDek));
  }

  async get(fingerprint: Buffer): Promise<Buffer | undefined> {
    this.ready();
    const k = fingerprint.toString('hex');
    const hit = this.entries.get(k);
    if (hit !== undefined || this.cfg.lookupWaitMs === 0) return hit;
    // Written by another instance a moment ago? Wait until our mirror has read as far as the topic is now.
    const deadline = Date.now() + this.cfg.lookupWaitMs;
    const end = await this.endOffsets();
    await this.waitFor(() => this.entries.has(k) || this.caughtUp(end), Math.max(0, deadline - Date.now()));
    if (this.failure) throw this.storeFailed();
    return this.entries.get(k);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.notify();
    await Promise.allSettled([this.consumer?.disconnect(), this.producer?.disconnect(), this.admin?.disconnect()]);
  }

  private ready(): Producer {
    if (this.closed) throw new KryptoniteError('EDEK_STORE_CLOSED', `${this.describe()}: the EDEK store is closed`);
    if (this.producer === undefined) throw new KryptoniteError('EDEK_STORE_NOT_INITIALISED', 'the EDEK store has not been initialised — call init() first');
    if (this.failure) throw this.storeFailed();
    return this.producer;
  }

  private storeFailed(): KryptoniteError {
    return new KryptoniteError('EDEK_STORE_FAILED', `the consumer following ${this.describe()} stopped: ${this.failure?.message ?? 'unknown'}`,
      { retriable: false, cause: this.failure });
  }

  private async ensureTopic(admin: Admin): Promise<void> {
    const { topic } = this.cfg;
    if (!(await admin.listTopics()).includes(topic)) {
      const brokers = (await admin.describeCluster()).brokers.length;
      await admin.createTopics({
        waitForLeaders: true,
        topics: [{
          topic, numPartitions: this.cfg.numPartitions, replicationFactor: this.cfg.replicationFactor ?? Math.min(3, brokers),
          configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
        }],
      });
    }
    if (!this.cfg.requireCompact) return;
    const described = await admin.describeConfigs({
      includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['cleanup.policy'] }],
    });
    const policy = described.resources[0]?.configEntries.find((e) => e.configName === 'cleanup.policy')?.configValue ?? '';
    if (!policy.split(',').map((s) => s.trim()).includes('compact')) {
      throw new ConfigError('EDEK_TOPIC_NOT_COMPACTED', `edek_store_config.kafkacache.topic: topic '${topic}' must be compacted `
        + `(cleanup.policy=compact) but has cleanup.policy=${policy || '(unknown)'}; `
        + 'set kafkacache.topic.require.compact=false to use it anyway');
    }
  }

  private async endOffsets(): Promise<Offsets> {
    const offsets = await this.admin!.fetchTopicOffsets(this.cfg.topic);
    // An empty partition (high = low) has nothing to read.
    return new Map(offsets.filter((o) => Number(o.high) > Number(o.low)).map((o) => [o.partition, Number(o.high)]));
  }

  private caughtUp(end: Offsets): boolean {
    for (const [p, high] of end) if ((this.progress.get(p) ?? 0) < high) return false;
    return true;
  }

  private waitFor(done: () => boolean, timeoutMs: number): Promise<boolean> {
    if (done()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = (): void => {
        if (done() || this.failure || this.closed) { finish(); }
      };
      const finish = (): void => { clearTimeout(timer); this.waiters.delete(check); resolve(done()); };
      const timer = setTimeout(finish, timeoutMs);
      this.waiters.add(check);
    });
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  private security(): Pick<KafkaConfig, 'ssl' | 'sasl'> {
    const s = this.cfg.security;
    const out: Pick<KafkaConfig, 'ssl' | 'sasl'> = {};
    if (s.protocol === 'SSL' || s.protocol === 'SASL_SSL') {
      const tls: ConnectionOptions = {};
      const read = (f: string): Buffer => readFileSync(f);
      if (s.caFile) tls.ca = read(s.caFile);
      if (s.certFile) tls.cert = read(s.certFile);
      if (s.keyFile) tls.key = read(s.keyFile);
      if (s.keyPassword) tls.passphrase = s.keyPassword;
      if (!s.verifyHostname) tls.checkServerIdentity = () => undefined;
      out.ssl = Object.keys(tls).length > 0 ? tls : true;
    }
    if (s.saslMechanism) {
      out.sasl = { mechanism: s.saslMechanism, username: s.username ?? '', password: s.password ?? '' } as SASLOptions;
    }
    return out;
  }
}
