// The KMS keyset cache: startup load, on-demand fetch shared by concurrent callers, malformed-secret
// isolation, refresh with rotation, last good keyset during an outage, bounded retries.
import { KeyNotFoundError, KeysetError, KmsError } from '../../src/errors';
import { createKeysetResolver } from '../../src/keys/keyset-resolver';
import type { KeysLogger } from '../../src/keys/logger';
import type { KeyManagementSettings } from '../../src/config/types';
import { addKey, generateKeyset, keysetAead, type Keyset } from '../../src/keyset';

/** An in-memory secret store with call counts and switchable failures. */
class MemoryStore {
  readonly values = new Map<string, string>();
  calls = { list: 0, get: 0 };
  failure: Error | undefined;
  getDelayMs = 0;
  describe = (id: string) => `memory secret '${id}'`;
  async list(): Promise<string[]> {
    this.calls.list++;
    if (this.failure) throw this.failure;
    return [...this.values.keys()];
  }
  async get(id: string): Promise<string> {
    this.calls.get++;
    if (this.getDelayMs) await new Promise((r) => setTimeout(r, this.getDelayMs));
    if (this.failure) throw this.failure;
    const v = this.values.get(id);
    if (v === undefined) throw new KeyNotFoundError('KMS_NOT_FOUND', `memory secret '${id}': not found`);
    return v;
  }
}

function settings(keySource: 'KMS' | 'KMS_ENCRYPTED' = 'KMS'): KeyManagementSettings {
  return { keySource, cipherDataKeys: [], kmsType: 'AWS_SM_SECRETS', kmsConfig: {}, kmsRefreshIntervalMinutes: 0, kekType: 'NONE', kekUri: '', kekConfig: {} };
}
function logger(): KeysLogger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`) };
}
const json = (ks: Keyset) => JSON.stringify(ks.toTinkJson());
const unavailable = () => new KmsError('KMS_UNAVAILABLE', 'store down', { retriable: true });
const noWait = { maxAttempts: 3, sleep: async () => undefined };

test('loads every listed keyset at startup; encrypt/decrypt through the keyset primitive', async () => {
  const store = new MemoryStore();
  const a = generateKeyset({ algorithm: 'AES_GCM', identifier: 'a' });
  store.values.set('a', json(a));
  store.values.set('b', json(generateKeyset({ algorithm: 'AES_GCM_SIV', identifier: 'b' })));
  const r = await createKeysetResolver(settings(), { keysetSource: store, logger: logger() });
  expect(store.calls).toEqual({ list: 1, get: 2 });
  const loaded = r.peek?.('a');
  expect(loaded).toBeDefined();
  const ct = keysetAead(loaded!).encrypt(Buffer.from('hi'), Buffer.from('ad'));
  expect(keysetAead(a).decrypt(ct, Buffer.from('ad')).toString()).toBe('hi');
  await r.close();
});

test('unknown ids are fetched on demand once for all concurrent callers, then cached', async () => {
  const store = new MemoryStore();
  const r = await createKeysetResolver(settings(), { keysetSource: store, logger: logger() });
  store.values.set('late', json(generateKeyset({ algorithm: 'AES_GCM' })));
  store.getDelayMs = 20;
  const results = await Promise.all(Array.from({ length: 10 }, () => r.resolve('late')));
  expect(new Set(results).size).toBe(1);
  expect(store.calls.get).toBe(1);
  await r.resolve('late');
  expect(store.calls.get).toBe(1);
  await r.close();
});

test('one malformed secret is logged by name (never content) and fails only its own lookups', async () => {
  const store = new MemoryStore();
  const log = logger();
  store.values.set('good', json(generateKeyset({ algorithm: 'AES_GCM' })));
  store.values.set('bad', '{"primaryKeyId": 1, "key": "TOP-SECRET-CONTENT"');
  store.values.set('wrongshape', '{"primaryKeyId": 5, "key": [], "extra": "TOP-SECRET-2"}');
  let now = 0;
  const r = await createKeysetResolver(settings(), { keysetSource: store, logger: log, now: () => now, failureRetryAfterMs: 1000 });
  await expect(r.resolve('good')).resolves.toBeDefined();
  const err = await r.resolve('bad').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(KeysetError);
  expect((err as Error).message).toContain("memory secret 'bad'");
  expect((err as KeysetError).retriable).toBe(false);
  await expect(r.resolve('wrongshape')).rejects.toBeInstanceOf(KeysetError);
  expect(log.lines.filter((l) => l.startsWith('error'))).toHaveLength(2);
  expect(log.lines.join('\n')).not.toContain('TOP-SECRET');
  expect(String((err as Error).message)).not.toContain('TOP-SECRET');
  // The remembered failure answers until failureRetryAfterMs passes; then a fixed secret loads.
  const gets = store.calls.get;
  await expect(r.resolve('bad')).rejects.toBeInstanceOf(KeysetError);
  expect(store.calls.get).toBe(gets);
  store.values.set('bad', json(generateKeyset({ algorithm: 'AES_GCM' })));
  now = 2000;
  await expect(r.resolve('bad')).resolves.toBeDefined();
  await r.close();
});

test('plain and encrypted material must match the key source', async () => {
  const store = new MemoryStore();
  store.values.set('enc', JSON.stringify({ encryptedKeyset: 'AAAA', keysetInfo: { primaryKeyId: 1, keyInfo: [] } }));
  const r = await createKeysetResolver(settings('KMS'), { keysetSource: store, logger: logger() });
  await expect(r.resolve('enc')).rejects.toThrow(/stored encrypted but key_source is KMS/);
  await r.close();
});

test('throttling/outage is retried with backoff (bounded); a missing secret is not retried', async () => {
  const store = new MemoryStore();
  store.values.set('k', json(generateKeyset({ algorithm: 'AES_GCM' })));
  let failuresLeft = 2;
  const flaky = { describe: store.describe, list: () => store.list(),
    get: async (id: string) => { if (failuresLeft-- > 0) throw unavailable(); return store.get(id); } };
  const sleeps: number[] = [];
  const r = await createKeysetResolver(settings(), { keysetSource: flaky, logger: logger(),
    retry: { maxAttempts: 3, baseDelayMs: 100, sleep: async (ms) => { sleeps.push(ms); } } });
  expect(r.peek?.('k')).toBeDefined();
  expect(sleeps).toHaveLength(2);
  expect(sleeps[1]!).toBeGreaterThan(sleeps[0]! / 2); // grows
  const before = store.calls.get;
  await expect(r.resolve('absent')).rejects.toBeInstanceOf(KeyNotFoundError);
  expect(store.calls.get).toBe(before + 1);
  await r.close();
});

test('startup fails with a retriable KmsError when the store cannot even be listed', async () => {
  const store = new MemoryStore();
  store.failure = unavailable();
  await expect(createKeysetResolver(settings(), { keysetSource: store, logger: logger(), retry: noWait }))
    .rejects.toMatchObject({ code: 'KMS_UNAVAILABLE', retriable: true });
  expect(store.calls.list).toBe(3);
});

describe('refresh', () => {
  /** Manual timers: the test fires the scheduled refresh itself. */
  function manualTimers() {
    const pending: Array<{ fn: () => void; ms: number }> = [];
    return { pending, setTimeout: (fn: () => void, ms: number) => { pending.push({ fn, ms }); return pending.length; }, clearTimeout: () => { pending.length = 0; } };
  }
  async function fire(t: ReturnType<typeof manualTimers>): Promise<void> {
    const next = t.pending.shift();
    if (!next) throw new Error('no refresh scheduled');
    next.fn();
    for (let i = 0; i < 50 && t.pending.length === 0; i++) await new Promise((r) => setTimeout(r, 2));
  }

  test('picks up a rotated multi-key keyset and new secrets; keeps the last good keyset while the store is down', async () => {
    const store = new MemoryStore();
    const log = logger();
    const v1 = generateKeyset({ algorithm: 'AES_GCM', identifier: 'rot', initialKeyId: 100 });
    store.values.set('rot', json(v1));
    const timers = manualTimers();
    const r = await createKeysetResolver({ ...settings(), kmsRefreshIntervalMinutes: 5 }, { keysetSource: store, logger: log, timers, retry: noWait });
    expect(timers.pending[0]?.ms).toBe(5 * 60_000);
    const oldCt = keysetAead((await r.resolve('rot'))).encrypt(Buffer.from('old'), Buffer.alloc(0));

    const v2 = addKey(v1, { promote: true });
    store.values.set('rot', json(v2));
    store.values.set('new', json(generateKeyset({ algorithm: 'AES_GCM' })));
    await fire(timers);
    const now = await r.resolve('rot');
    expect(now.primaryKeyId).toBe(101);
    expect(now.keys).toHaveLength(2);
    expect(keysetAead(now).decrypt(oldCt, Buffer.alloc(0)).toString()).toBe('old');
    expect(r.peek?.('new')).toBeDefined();
    expect(log.lines).toContain('info key store refresh: 2 upserted, 0 failed');

    store.failure = unavailable();
    await fire(timers);
    expect((await r.resolve('rot')).primaryKeyId).toBe(101);
    expect(log.lines.some((l) => l.startsWith('warn key store refresh: listing failed'))).toBe(true);

    store.failure = undefined;
    store.values.delete('new');
    await fire(timers);
    expect(r.peek?.('new')).toBeDefined();
    expect(log.lines.some((l) => l.includes('no longer listed, kept until restart: new'))).toBe(true);
    await r.close();
    expect(timers.pending).toHaveLength(0);
  });

  test('no refresh timer for interval 0', async () => {
    const timers = manualTimers();
    const r = await createKeysetResolver(settings(), { keysetSource: new MemoryStore(), logger: logger(), timers });
    expect(timers.pending).toHaveLength(0);
    await r.close();
  });
});
