// Bounded retries with exponential backoff and jitter, only for errors marked retriable (KMS throttling,
// timeouts, unreachable service). Everything else fails at once.
import { KryptoniteError } from '../errors';

export interface RetryOptions {
  /** Total attempts including the first (default 3). */
  maxAttempts?: number;
  /** First backoff delay (default 200 ms), doubled per attempt, capped by maxDelayMs (default 3000 ms). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Injected for tests. */
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());

export function isRetriable(err: unknown): boolean {
  return err instanceof KryptoniteError && err.retriable;
}

export async function withRetries<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const max = Math.max(1, options.maxAttempts ?? 3);
  const base = options.baseDelayMs ?? 200;
  const cap = options.maxDelayMs ?? 3000;
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= max || !isRetriable(err)) throw err;
      const delay = Math.min(cap, base * 2 ** (attempt - 1));
      // Full jitter in [delay/2, delay] so that many clients do not retry in lockstep.
      await sleep(delay / 2 + Math.random() * (delay / 2));
    }
  }
}
