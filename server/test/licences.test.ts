/**
 * The third-party licence check (scripts/licences.ts, `npm run licenses` in CI): which production
 * packages pass, which fail and why, and that the walk follows Node's resolution through a real
 * node_modules tree built in a temporary folder.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  assess,
  declaredLicence,
  isLicenceFile,
  parseExceptions,
  productionPackages,
  report,
  type PackageRecord,
} from '../../scripts/licences.ts';

function pkg(overrides: Partial<PackageRecord> & Pick<PackageRecord, 'name'>): PackageRecord {
  return { version: '1.0.0', licenceFiles: [], via: [overrides.name], ...overrides };
}

describe('declaredLicence', () => {
  it('reads an SPDX expression, a legacy { type } object and the legacy licenses list', () => {
    expect(declaredLicence({ license: 'MIT' })).toBe('MIT');
    expect(declaredLicence({ license: '(MIT OR Apache-2.0)' })).toBe('(MIT OR Apache-2.0)');
    expect(declaredLicence({ license: { type: 'BSD-3-Clause', url: 'https://example.org' } })).toBe('BSD-3-Clause');
    expect(declaredLicence({ licenses: [{ type: 'MIT' }] })).toBe('MIT');
    expect(declaredLicence({ licenses: [{ type: 'MIT' }, 'GPL-2.0'] })).toBe('(MIT OR GPL-2.0)');
  });

  it('finds nothing in an empty or malformed field', () => {
    expect(declaredLicence({})).toBeUndefined();
    expect(declaredLicence({ license: '  ' })).toBeUndefined();
    expect(declaredLicence({ license: { url: 'https://example.org' } })).toBeUndefined();
    expect(declaredLicence({ licenses: [] })).toBeUndefined();
  });
});

describe('isLicenceFile', () => {
  it.each(['LICENSE', 'license', 'LICENCE.md', 'LICENSE-MIT', 'License.txt', 'COPYING', 'UNLICENSE'])('%s is a licence file', (name) => {
    expect(isLicenceFile(name)).toBe(true);
  });
  it.each(['README.md', 'licenses.js', 'license-check.js', 'license.json', 'index.js'])('%s is not', (name) => {
    expect(isLicenceFile(name)).toBe(false);
  });
});

describe('assess', () => {
  it('passes a declared licence, and a licence file without a field', () => {
    expect(assess(pkg({ name: 'a', license: 'ISC' }), {})).toEqual({ ok: true, licence: 'ISC' });
    const fileOnly = assess(pkg({ name: 'png-js', licenceFiles: ['LICENSE'] }), {});
    expect(fileOnly).toEqual({ ok: true, licence: 'no licence field, see LICENSE' });
  });

  it('fails a package with neither a licence field nor a licence file', () => {
    expect(assess(pkg({ name: 'buffers', version: '0.1.1' }), {})).toEqual({
      ok: false,
      problem: 'declares no licence and ships no licence file',
    });
  });

  it('fails UNLICENSED even with a licence file, since that file reserves the rights', () => {
    const result = assess(pkg({ name: 'private', license: 'UNLICENSED', licenceFiles: ['LICENSE'] }), {});
    expect(result.ok).toBe(false);
  });

  it('accepts a recorded exception for that exact version only', () => {
    const exceptions = { 'buffers@0.1.1': { licence: 'MIT', reason: 'MIT in its repository' } };
    expect(assess(pkg({ name: 'buffers', version: '0.1.1' }), exceptions)).toMatchObject({ ok: true, licence: 'MIT' });
    expect(assess(pkg({ name: 'buffers', version: '0.1.2' }), exceptions).ok).toBe(false);
  });
});

describe('report', () => {
  it('counts each name@version once, names the path that pulls a failure in, and lists unused exceptions', () => {
    const result = report(
      [
        pkg({ name: 'a', license: 'MIT' }),
        pkg({ name: 'a', license: 'MIT', via: ['b', 'a'] }),
        pkg({ name: 'c', license: 'ISC' }),
        pkg({ name: 'bare', version: '0.0.1', via: ['exceljs', 'unzipper', 'bare'] }),
        pkg({ name: 'excepted', license: undefined, version: '2.0.0' }),
      ],
      {
        'excepted@2.0.0': { licence: 'MIT', reason: 'README says MIT' },
        'gone@1.0.0': { licence: 'MIT', reason: 'no longer installed' },
      },
    );
    expect(Object.fromEntries(result.counts)).toEqual({ MIT: 2, ISC: 1 });
    expect(result.problems).toEqual([
      'bare@0.0.1 declares no licence and ships no licence file (pulled in by exceljs > unzipper > bare)',
    ]);
    expect(result.excepted).toEqual(['excepted@2.0.0: MIT (README says MIT)']);
    expect(result.unusedExceptions).toEqual(['gone@1.0.0']);
  });
});

describe('parseExceptions', () => {
  it('keeps entries with a licence and a reason, skips $comment', () => {
    expect(parseExceptions({ $comment: 'why', 'x@1.0.0': { licence: 'MIT', reason: 'stated in README' } })).toEqual({
      'x@1.0.0': { licence: 'MIT', reason: 'stated in README' },
    });
  });

  it('refuses an exception without a reason or without a version', () => {
    expect(() => parseExceptions({ 'x@1.0.0': { licence: 'MIT' } })).toThrow(/x@1.0.0/);
    expect(() => parseExceptions({ x: { licence: 'MIT', reason: 'r' } })).toThrow(/name@version/);
    expect(() => parseExceptions([])).toThrow();
  });
});

describe('productionPackages', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'kp-licences-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  function install(dir: string, manifest: Record<string, unknown>, files: string[] = []): void {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest));
    for (const file of files) writeFileSync(path.join(dir, file), 'text');
  }

  it('walks dependencies as Node resolves them, nested before hoisted, and leaves dev dependencies out', () => {
    install(root, {
      name: 'app',
      dependencies: { a: '^1', c: '^1' },
      optionalDependencies: { 'not-for-this-platform': '^1' },
      devDependencies: { 'dev-only': '^1' },
    });
    const nm = path.join(root, 'node_modules');
    install(path.join(nm, 'a'), { name: 'a', version: '1.0.0', license: 'MIT', dependencies: { b: '^2', c: '^1' } });
    install(path.join(nm, 'a', 'node_modules', 'b'), { name: 'b', version: '2.0.0' }, ['LICENCE.md']);
    install(path.join(nm, 'b'), { name: 'b', version: '1.0.0', license: 'ISC' });
    install(path.join(nm, 'c'), { name: 'c', version: '1.0.0', dependencies: { '@scope/d': '^1' } });
    install(path.join(nm, '@scope', 'd'), { name: '@scope/d', version: '1.0.0', license: 'Apache-2.0' });
    install(path.join(nm, 'dev-only'), { name: 'dev-only', version: '1.0.0' });

    const found = productionPackages(root).map((p) => ({ id: `${p.name}@${p.version}`, via: p.via.join(' > '), files: p.licenceFiles }));
    expect(found).toEqual([
      { id: 'a@1.0.0', via: 'a', files: [] },
      { id: 'c@1.0.0', via: 'c', files: [] },
      { id: 'b@2.0.0', via: 'a > b', files: ['LICENCE.md'] },
      { id: '@scope/d@1.0.0', via: 'c > @scope/d', files: [] },
    ]);

    const result = report(productionPackages(root), {});
    expect(result.problems).toEqual(['c@1.0.0 declares no licence and ships no licence file (pulled in by c)']);
  });

  it('stops when a required dependency is not installed', () => {
    install(path.join(root, 'node_modules', 'c'), { name: 'c', version: '1.0.0', dependencies: { missing: '^1' } });
    expect(() => productionPackages(root)).toThrow(/c > missing is not installed/);
  });
});
