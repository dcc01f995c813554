// The resolver for key_source KMS / KMS_ENCRYPTED: keysets listed and loaded at startup, unknown ids
// fetched on demand (one fetch shared by concurrent callers), an opt-in refresh that picks up new and
// changed secrets and keeps the last good keyset when a fetch fails. Unlike Kryptonite, one malformed
// secret does not abort startup: it is logged and only lookups of that identifier fail.
import { KeyNotFoundError, KeysetError, KmsError, KryptoniteError } from '../errors';
import type { Keyset } from '../keyset/keyset';
import type { KeysLogger } from './logger';
import type { DescribedKeysetSource, KeysetResolver } from './ports';
import { withRetries, type RetryOptions } from './retry';

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface CachedResolverOptions {
  /** Turns stored text into a keyset (parse, or decrypt with the KEK). Errors must not carry the text. */
  materialize(text: string, identifier: string): Promise<Keyset>;
  logger: KeysLogger;
  retry?: RetryOptions;
  /** 0 or less = no refresh. */
  refreshIntervalMs: number;
  /** A failed identifier is answered from its remembered error for this long before fetching again (default 30 s). */
  failureRetryAfterMs?: number;
  timers?: Timers;
  now?: () => number;
  /** Releases the clients behind the source and KEK. */
  onClose?: () => Promise<void>;
}

interface Failure { error: KryptoniteError; at: number }

const realTimers: Timers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export class CachedKeysetResolver implements KeysetResolver<Keyset> {
  readonly #source: DescribedKeysetSource;
  readonly #opts: CachedResolverOptions;
  readonly #keysets = new Map<string, Keyset>();
  readonly #failures = new Map<string, Failure>();
  readonly #inflight = new Map<string, Promise<Keyset>>();
  readonly #timers: Timers;
  readonly #now: () => number;
  #timer: unknown;
  #closed = false;
  #refreshing: Promise<void> | undefined;

  constructor(source: DescribedKeysetSource, options: CachedResolverOptions) {
    this.#source = source;
    this.#opts = options;
    this.#timers = options.timers ?? realTimers;
    this.#now = options.now ?? Date.now;
  }

  #describe(id: string): string {
    return this.#source.describe?.(id) ?? `keyset '${id}'`;
  }

  /** Lists and loads every keyset. Fails only when the listing itself fails; per-id failures are logged. */
  async start(): Promise<void> {
    const ids = await withRetries(() => this.#source.list(), this.#opts.retry);
    const results = await Promise.allSettled(ids.map((id) => this.#load(id)));
    const failed = results.filter((r) => r.status === 'rejected').length;
    this.#opts.logger.info(`key store: ${ids.length - failed} keyset(s) loaded at startup, ${failed} failed`);
    this.#schedule();
  }

  peek(identifier: string): Keyset | undefined {
    return this.#keysets.get(identifier);
  }

  async resolve(identifier: string): Promise<Keyset> {
    const cached = this.#keysets.get(identifier);
    if (cached) return cached;
    const failure = this.#failures.get(identifier);
    if (failure && this.#now() - failure.at < (this.#opts.failureRetryAfterMs ?? 30_000)) throw failure.error;
    return this.#load(identifier);
  }

  /** One fetch per identifier at a time; success replaces the cached keyset, failure is remembered and logged. */
  #load(id: string): Promise<Keyset> {
    const running = this.#inflight.get(id);
    if (running) return running;
    const p = this.#fetch(id).then((ks) => {
      this.#keysets.set(id, ks);
      this.#failures.delete(id);
      return ks;
    }, (err: unknown) => {
      const error = err instanceof KryptoniteError ? err : new KeysetError('KEYSET_LOAD_FAILED', `${this.#describe(id)}: loading failed`, { cause: err });
      this.#failures.set(id, { error, at: this.#now() });
      const log = error instanceof KeyNotFoundError ? this.#opts.logger.warn : this.#opts.logger.error;
      log(`${error.message}${this.#keysets.has(id) ? ' (keeping the keyset loaded earlier)' : ''}`);
      throw error;
    }).finally(() => this.#inflight.delete(id));
    this.#inflight.set(id, p);
    return p;
  }

  async #fetch(id: string): Promise<Keyset> {
    const text = await withRetries(() => this.#source.get(id), this.#opts.retry);
    try {
      return await withRetries(() => this.#opts.materialize(text, id), this.#opts.retry);
    } catch (err) {
      if (err instanceof KeysetError || err instanceof KmsError) {
        // Name the stored object; the keyset/KEK layers' messages name the problem, never the content.
        const Ctor = err.constructor as new (code: string, message: string, o: { cause: unknown; retriable: boolean }) => KryptoniteError;
        throw new Ctor(err.code, `${this.#describe(id)}: ${err.message}`, { cause: err, retriable: err.retriable });
      }
      throw err;
    }
  }

  #schedule(): void {
    if (this.#closed || this.#opts.refreshIntervalMs <= 0) return;
    this.#timer = this.#timers.setTimeout(() => {
      this.#refreshing = this.refresh().finally(() => {
        this.#refreshing = undefined;
        this.#schedule();
      });
    }, this.#opts.refreshIntervalMs);
  }

  /**
   * One refresh cycle (also run by the timer): re-list, re-fetch every listed and cached id, keep the
   * previous keyset for any that fails, keep ids no longer listed (with a warning).
   */
  async refresh(): Promise<void> {
    let listed: string[] | undefined;
    try {
      listed = await withRetries(() => this.#source.list(), this.#opts.retry);
    } catch (err) {
      this.#opts.logger.warn(`key store refresh: listing failed (${err instanceof Error ? err.message : 'error'}); refreshing the loaded keysets only`);
    }
    if (listed) {
      const gone = [...this.#keysets.keys()].filter((id) => !listed.includes(id));
      if (gone.length > 0) this.#opts.logger.warn(`key store refresh: ${gone.length} loaded keyset(s) no longer listed, kept until restart: ${gone.join(', ')}`);
    }
    const ids = [...new Set([...(listed ?? []), ...this.#keysets.keys()])];
    if (this.#closed) return;
    const results = await Promise.allSettled(ids.map((id) => this.#load(id)));
    const failed = results.filter((r) => r.status === 'rejected').length;
    this.#opts.logger.info(`key store refresh: ${ids.length - failed} upserted, ${failed} failed`);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    await this.#refreshing?.catch(() => undefined);
    await this.#opts.onClose?.();
  }
}
