// An order- and type-preserving rendering for exact comparisons in tests: key order, -0, NaN, bigint vs number and
// Buffers all show, where deep equality would blur them.
export function canon(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (v === undefined) return 'undefined';
  if (Buffer.isBuffer(v)) return `Buffer<${v.toString('hex')}>`;
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  return `{${Object.keys(v).map((k) => `${JSON.stringify(k)}:${canon((v as Record<string, unknown>)[k])}`).join(',')}}`;
}
