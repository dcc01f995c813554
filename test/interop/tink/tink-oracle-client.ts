// Starts the Python Tink oracle once per test file and talks to it in JSON lines.
// Missing setup is a failure that names the script to run, never a skip.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = join(__dirname, '..', '..', '..');
const PYTHON = join(ROOT, '.testinfra', 'venv', 'bin', 'python');
const SCRIPT = join(__dirname, 'tink-oracle.py');
const SETUP = 'scripts/testinfra/tink-oracle.sh';

export type OracleResponse = { ok: true; [k: string]: unknown } | { ok: false; error: string };

export class TinkOracle {
  readonly #proc: ChildProcessWithoutNullStreams;
  readonly #waiting: ((line: string) => void)[] = [];
  #stderr = '';

  private constructor(proc: ChildProcessWithoutNullStreams) {
    this.#proc = proc;
    proc.stderr.on('data', (d: Buffer) => { this.#stderr += d.toString(); });
    createInterface({ input: proc.stdout }).on('line', (line) => this.#waiting.shift()?.(line));
  }

  static async start(): Promise<TinkOracle> {
    if (!existsSync(PYTHON)) throw new Error(`Tink oracle not installed: ${PYTHON} is missing. Run \`bash ${SETUP}\` first.`);
    const oracle = new TinkOracle(spawn(PYTHON, [SCRIPT], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] }));
    const v = await oracle.call({ op: 'version' }).catch((e: unknown) => {
      throw new Error(`Tink oracle failed to start (${String(e)}). Run \`bash ${SETUP}\`.`);
    });
    if (!v.ok) throw new Error(`Tink oracle failed to start: ${v.error}. Run \`bash ${SETUP}\`.`);
    return oracle;
  }

  call(request: Record<string, unknown>): Promise<OracleResponse> {
    return new Promise((resolve, reject) => {
      const onExit = (): void => reject(new Error(`Tink oracle exited: ${this.#stderr.slice(-2000)}`));
      this.#proc.once('exit', onExit);
      this.#waiting.push((line) => {
        this.#proc.off('exit', onExit);
        resolve(JSON.parse(line) as OracleResponse);
      });
      this.#proc.stdin.write(`${JSON.stringify(request)}\n`);
    });
  }

  /** Calls and insists on success; returns the named string field. */
  async get(request: Record<string, unknown>, field: string): Promise<string> {
    const r = await this.call(request);
    if (!r.ok) throw new Error(`Tink rejected ${String(request.op)}: ${r.error}`);
    const v = r[field];
    if (typeof v !== 'string') throw new Error(`Tink oracle response to ${String(request.op)} has no '${field}'`);
    return v;
  }

  async stop(): Promise<void> {
    if (this.#proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      this.#proc.once('exit', () => resolve());
      this.#proc.stdin.end();
    });
  }
}
