// Side-by-side throughput measurement: contenders of one comparison run in interleaved rounds in the same
// process (order rotated each round), after a warm-up, and each reports the median of its rounds.
// By default a round is timed in CPU time of this process (user + system, GC threads included), so other
// processes competing for the cores do not skew a comparison; BENCH_CLOCK=wall times rounds by the wall clock.

export type Op = () => unknown;
export type AsyncOp = () => Promise<unknown>;

export interface Contender {
  readonly name: string;
  /** Synchronous work (timed in a tight loop) or a promise-returning call (awaited one at a time). */
  readonly op: Op | AsyncOp;
  readonly async?: boolean;
}

export interface Measured {
  readonly name: string;
  /** Median operations per second over the rounds. */
  readonly opsPerSec: number;
  readonly rounds: readonly number[];
}

export interface MeasureOptions {
  rounds: number;
  /** Target duration of one round of one contender. */
  roundMs: number;
  warmupMs: number;
}

// Many short rounds: on a shared machine the CPU share drifts over seconds, and adjacent short rounds see the same share.
export const DEFAULT_MEASURE: MeasureOptions = {
  rounds: Number(process.env.BENCH_ROUNDS ?? 15),
  roundMs: Number(process.env.BENCH_ROUND_MS ?? 60),
  warmupMs: Number(process.env.BENCH_WARMUP_MS ?? 300),
};

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

export type Clock = 'cpu' | 'wall';
export const CLOCK: Clock = process.env.BENCH_CLOCK === 'wall' ? 'wall' : 'cpu';

const wallNow = (): number => Number(process.hrtime.bigint()) / 1e6;
const cpuNow = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
/** Milliseconds on the chosen clock. */
export const now: () => number = CLOCK === 'cpu' ? cpuNow : wallNow;

// A sink the optimiser cannot prove unused, so measured results are not dead code.
let sink: unknown;
export function consume(x: unknown): void { sink = x; }
export function sinkValue(): unknown { return sink; }

async function runFor(c: Contender, iterations: number): Promise<number> {
  const start = now();
  if (c.async) {
    const op = c.op as AsyncOp;
    for (let i = 0; i < iterations; i++) sink = await op();
  } else {
    const op = c.op as Op;
    for (let i = 0; i < iterations; i++) sink = op();
  }
  return now() - start;
}

/** How many iterations of `c` fill about `ms` milliseconds (grown from a small batch). */
async function calibrate(c: Contender, ms: number): Promise<number> {
  let n = 8;
  for (;;) {
    const t = await runFor(c, n);
    if (t >= ms / 4 || n > 1e8) return Math.max(1, Math.round((n * ms) / Math.max(t, 1e-3)));
    n *= 4;
  }
}

export async function measure(contenders: readonly Contender[], opts: MeasureOptions = DEFAULT_MEASURE): Promise<Measured[]> {
  const iterations: number[] = [];
  for (const c of contenders) {
    await runFor(c, await calibrate(c, opts.warmupMs)); // warm-up: JIT, caches, pools
    iterations.push(await calibrate(c, opts.roundMs));
  }
  const samples: number[][] = contenders.map(() => []);
  for (let r = 0; r < opts.rounds; r++) {
    for (let k = 0; k < contenders.length; k++) {
      const i = (k + r) % contenders.length; // rotate who goes first
      const n = iterations[i] as number;
      const ms = await runFor(contenders[i] as Contender, n);
      (samples[i] as number[]).push((n * 1000) / ms);
    }
  }
  return contenders.map((c, i) => ({ name: c.name, opsPerSec: median(samples[i] as number[]), rounds: samples[i] as number[] }));
}

/**
 * ours / theirs as the median of per-round ratios: each round's pair ran back to back, so a slowdown that hits
 * both (another process taking the CPU) cancels out instead of landing on one side.
 */
export function pairedRatio(ours: Measured, theirs: Measured): number {
  return median(ours.rounds.map((o, i) => o / (theirs.rounds[i] as number)));
}
