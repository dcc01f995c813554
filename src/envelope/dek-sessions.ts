// DEK sessions for one envelope algorithm: a data key reused for up to dek_max_encryptions fields or
// dek_ttl_minutes, then replaced. Acquisition is synchronous (it sits in the field walk); a session that
// needs a KMS round trip is requested with PendingLoad, and concurrent requests share one creation.
import type { AesGcm } from '../cipher/aes-gcm';
import { PendingLoad } from '../field/field-cipher';

/** What a new session is made of. */
export interface DekMaterial {
  readonly aead: AesGcm;
  /** Written before the AES-GCM output: `len32 ‖ wrappedDek` (05) or the fingerprint (06). */
  readonly prefix: Buffer;
  /** For 05: the keyset AEAD that wrapped the DEK; a refreshed keyset starts a new session. */
  readonly wrappedBy?: object;
}

export interface DekSession extends DekMaterial {
  readonly keyId: string;
  readonly createdAt: number;
  uses: number;
  retired: boolean;
}

export interface SessionLimits {
  readonly maxEncryptions: number;
  readonly ttlMs: number;
  readonly now: () => number;
}

/**
 * The fields of one walk attempt. The engine discards an attempt's output when it stops for a PendingLoad
 * and runs the walk again, so uses counted during a discarded attempt are given back (otherwise a record with
 * more fields than dek_max_encryptions could never finish), and DEKs loaded for it stay pinned until it ends.
 */
export class WalkScope {
  readonly used: { cache: DekSessionCache; session: DekSession }[] = [];
  readonly pins = new Map<string, AesGcm>();

  /** Gives back every use counted since the attempt began. */
  rollback(): void {
    for (let i = this.used.length - 1; i >= 0; i--) {
      const u = this.used[i]!;
      u.session.uses--;
      if (u.session.retired) u.cache.reinstate(u.session);
    }
    this.used.length = 0;
  }
}

// Kryptonite keeps sessions for at most 256 key ids; an evicted id simply starts a new DEK next time.
const MAX_IDS = 256;

export class DekSessionCache {
  private readonly sessions = new Map<string, DekSession[]>();
  private readonly creating = new Map<string, { key: string; promise: Promise<void> }>();
  private generation = 0;
  /** Sessions created so far (tests and metrics). */
  created = 0;

  constructor(private readonly name: string, private readonly limits: SessionLimits) {}

  /**
   * A usable session for `keyId`, its use already counted. `createNow` makes one synchronously (05);
   * otherwise `createLater` is started through PendingLoad (06).
   */
  acquire(keyId: string, scope: WalkScope | undefined, wrappedBy: object | undefined,
    createNow: (() => DekMaterial) | undefined, createLater?: () => Promise<DekMaterial>): DekSession {
    const queue = this.sessions.get(keyId);
    if (queue !== undefined) {
      const now = this.limits.now();
      while (queue.length > 0) {
        const s = queue[0]!;
        if (this.usable(s, now) && s.wrappedBy === wrappedBy) return this.use(s, scope);
        s.retired = true;
        queue.shift();
      }
    }
    if (createNow !== undefined) return this.use(this.add(keyId, createNow()), scope);
    const pending = this.creating.get(keyId);
    if (pending !== undefined) throw new PendingLoad(pending.key, () => pending.promise);
    const key = `${this.name} DEK session for '${keyId}' #${++this.generation}`;
    throw new PendingLoad(key, () => this.startCreation(keyId, key, createLater!));
  }

  /** A session retired during an attempt that was rolled back, usable again. */
  reinstate(s: DekSession): void {
    if (!this.usable(s, this.limits.now())) return;
    const queue = this.sessions.get(s.keyId);
    if (queue === undefined) return; // its id was evicted meanwhile
    s.retired = false;
    queue.unshift(s);
  }

  clear(): void { this.sessions.clear(); }

  private usable(s: DekSession, now: number): boolean {
    return s.uses < this.limits.maxEncryptions && now - s.createdAt < this.limits.ttlMs;
  }

  private use(s: DekSession, scope: WalkScope | undefined): DekSession {
    s.uses++;
    scope?.used.push({ cache: this, session: s });
    return s;
  }

  private startCreation(keyId: string, key: string, create: () => Promise<DekMaterial>): Promise<void> {
    const pending = this.creating.get(keyId);
    if (pending !== undefined) return pending.promise;
    const promise = create().then((m) => { this.add(keyId, m); })
      .finally(() => { this.creating.delete(keyId); });
    this.creating.set(keyId, { key, promise });
    return promise;
  }

  private add(keyId: string, m: DekMaterial): DekSession {
    this.created++;
    let queue = this.sessions.get(keyId);
    if (queue === undefined) {
      if (this.sessions.size >= MAX_IDS) this.sessions.delete(this.sessions.keys().next().value as string);
      this.sessions.set(keyId, (queue = []));
    }
    const s: DekSession = { ...m, keyId, createdAt: this.limits.now(), uses: 0, retired: false };
    queue.push(s);
    return s;
  }
}
