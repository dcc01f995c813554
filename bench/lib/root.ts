// The project folder, found from this file whether it runs from bench/ (ts-node) or from the compiled copy.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function projectRoot(): string {
  for (let d = __dirname; d !== dirname(d); d = dirname(d)) {
    if (existsSync(join(d, 'package.json')) && existsSync(join(d, 'scripts', 'testinfra'))) return d;
  }
  throw new Error(`cannot find the project folder above ${__dirname}`);
}
