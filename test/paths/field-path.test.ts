import { isPlainObject, parentOf, resolveDynamicKeyId, writableParentOf } from '../../src/paths/field-path';
import { KryptoniteError } from '../../src/errors';

describe('field paths', () => {
  const doc = { a: { b: { c: 1 } }, arr: [{ x: 1 }], s: 'str', n: null };

  it('finds the parent object of a nested leaf through objects only', () => {
    expect(parentOf(doc, ['a', 'b', 'c'])).toBe(doc.a.b);
    expect(parentOf(doc, ['s'])).toBe(doc);
    expect(parentOf(doc, ['arr', 'x'])).toBeUndefined();
    expect(parentOf(doc, ['n', 'x'])).toBeUndefined();
    expect(parentOf(doc, ['missing', 'x'])).toBeUndefined();
  });

  it('copies objects on the way to a leaf once, leaving the original and untouched subtrees alone', () => {
    const src = { a: { b: { c: 1 }, keep: { k: 1 } }, other: { o: 1 } };
    const out = { ...src };
    const copied = new Set<object>([out]);
    const p1 = writableParentOf(out, ['a', 'b', 'c'], copied);
    const p2 = writableParentOf(out, ['a', 'b', 'd'], copied);
    expect(p1).toBe(p2);
    p1!.c = 2;
    expect(src.a.b.c).toBe(1);
    expect(out.a.b.c).toBe(2);
    expect(out.a.keep).toBe(src.a.keep);
    expect(out.other).toBe(src.other);
  });

  it('tells plain objects from other values', () => {
    expect(isPlainObject({})).toBe(true);
    expect(isPlainObject(Object.create(null))).toBe(true);
    for (const v of [null, [], Buffer.from('x'), new Uint8Array(1), new Date(), 'x', 1]) expect(isPlainObject(v)).toBe(false);
  });

  it('resolves dynamic key ids against the record and explains failures without values', () => {
    const rec = { tenant: { keyId: 'key-a' }, num: 5, blank: '  ', secret: 'do-not-print' };
    expect(resolveDynamicKeyId('__#tenant.keyId', '__#', rec, '.')).toBe('key-a');
    const fail = (expr: string): string => {
      try { resolveDynamicKeyId(expr, '__#', rec, '.'); } catch (e) { expect(e).toBeInstanceOf(KryptoniteError); return (e as Error).message; }
      throw new Error('expected failure');
    };
    expect(fail('__#')).toMatch(/has no field path after prefix/);
    expect(fail('__#tenant.nope')).toMatch(/was not found or is null/);
    expect(fail('__#num')).toMatch(/is a number but a string is required/);
    expect(fail('__#blank')).toMatch(/blank string/);
    expect(fail('__#secret.x')).toMatch(/intermediate path segment/);
    expect(fail('__#secret.x')).not.toContain('do-not-print');
  });
});
