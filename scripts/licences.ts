/**
 * `npm run licenses`: the third-party licence check CI runs after `npm ci`. It walks the installed
 * production dependency tree (what `dependencies` pulls in, as Node would resolve it), and fails when
 * a package neither declares a licence in its package.json nor ships a licence file, or declares
 * itself UNLICENSED (all rights reserved), unless `scripts/licence-exceptions.json` records a
 * justified exception for that exact name@version. An upgrade therefore has to be checked anew.
 *
 * Results (the count per licence) go to stdout; problems, each with the path that pulls the package
 * in, go to stderr.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface PackageRecord {
  name: string;
  version: string;
  /** The package.json `license` field as published: an SPDX expression, or a legacy { type } object. */
  license?: unknown;
  /** The legacy `licenses` field: a list of { type } objects or strings. */
  licenses?: unknown;
  /** Names of licence files shipped in the package's folder (LICENSE, LICENCE.md, COPYING, ...). */
  licenceFiles: string[];
  /** From the project down to this package, e.g. ['exceljs', 'unzipper', 'binary', 'buffers']. */
  via: string[];
}

export interface LicenceException {
  licence: string;
  reason: string;
}

export type Exceptions = Record<string, LicenceException>;

export type Assessment =
  | { ok: true; licence: string; exception?: LicenceException }
  | { ok: false; problem: string };

const LICENCE_FILE = /^(licen[cs]e|copying|unlicense)([.\-_].*)?$/i;

/** LICENSE, LICENCE.md, LICENSE-MIT, COPYING.txt, UNLICENSE; not code such as license-check.js. */
export function isLicenceFile(fileName: string): boolean {
  return LICENCE_FILE.test(fileName) && !/\.([cm]?[jt]s|json)$/i.test(fileName);
}

function typeOf(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry.trim() || undefined;
  if (entry && typeof entry === 'object' && 'type' in entry && typeof entry.type === 'string') {
    return entry.type.trim() || undefined;
  }
  return undefined;
}

/** The licence a package.json declares, read from `license` or the legacy `licenses` list. */
export function declaredLicence(pkg: Pick<PackageRecord, 'license' | 'licenses'>): string | undefined {
  const single = typeOf(pkg.license);
  if (single) return single;
  if (Array.isArray(pkg.licenses)) {
    const types = pkg.licenses.map(typeOf).filter((t): t is string => t !== undefined);
    if (types.length === 1) return types[0];
    // The legacy list meant "any of these" (dual licensing), as an SPDX OR does.
    if (types.length > 1) return `(${types.join(' OR ')})`;
  }
  return typeOf(pkg.licenses);
}

export function assess(pkg: PackageRecord, exceptions: Exceptions): Assessment {
  const exception = exceptions[`${pkg.name}@${pkg.version}`];
  if (exception) return { ok: true, licence: exception.licence, exception };
  const declared = declaredLicence(pkg);
  if (declared && /^unlicensed$/i.test(declared)) {
    return { ok: false, problem: 'is UNLICENSED (all rights reserved)' };
  }
  if (declared) return { ok: true, licence: declared };
  if (pkg.licenceFiles.length > 0) {
    return { ok: true, licence: `no licence field, see ${[...pkg.licenceFiles].sort().join(', ')}` };
  }
  return { ok: false, problem: 'declares no licence and ships no licence file' };
}

export interface Report {
  counts: Map<string, number>;
  problems: string[];
  excepted: string[];
  unusedExceptions: string[];
}

export function report(packages: PackageRecord[], exceptions: Exceptions): Report {
  const counts = new Map<string, number>();
  const problems: string[] = [];
  const excepted: string[] = [];
  const used = new Set<string>();
  const seen = new Set<string>();
  for (const pkg of packages) {
    const id = `${pkg.name}@${pkg.version}`;
    // The same version installed in two folders is one package.
    if (seen.has(id)) continue;
    seen.add(id);
    const result = assess(pkg, exceptions);
    if (!result.ok) {
      problems.push(`${id} ${result.problem} (pulled in by ${pkg.via.join(' > ')})`);
      continue;
    }
    counts.set(result.licence, (counts.get(result.licence) ?? 0) + 1);
    if (result.exception) {
      used.add(id);
      excepted.push(`${id}: ${result.exception.licence} (${result.exception.reason})`);
    }
  }
  const unusedExceptions = Object.keys(exceptions).filter((id) => !used.has(id));
  return { counts, problems, excepted, unusedExceptions };
}

export function parseExceptions(json: unknown): Exceptions {
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    throw new Error('licence exceptions: expected an object keyed by name@version');
  }
  const exceptions: Exceptions = {};
  for (const [id, entry] of Object.entries(json)) {
    if (id.startsWith('$')) continue; // "$comment" and the like
    const licence = entry && typeof entry === 'object' ? (entry as Record<string, unknown>).licence : undefined;
    const reason = entry && typeof entry === 'object' ? (entry as Record<string, unknown>).reason : undefined;
    if (!/^.+@[^@]+$/.test(id) || typeof licence !== 'string' || !licence.trim() || typeof reason !== 'string' || !reason.trim()) {
      throw new Error(`licence exceptions: ${id} needs a name@version key, a licence and a reason`);
    }
    exceptions[id] = { licence, reason };
  }
  return exceptions;
}

interface Manifest {
  name?: string;
  version?: string;
  license?: unknown;
  licenses?: unknown;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Manifest;
}

/** The folder Node would load `name` from when required from `fromDir`, staying inside the project. */
function resolvePackage(name: string, fromDir: string, rootDir: string): string | undefined {
  let dir = fromDir;
  for (;;) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === rootDir) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir || !parent.startsWith(rootDir)) return undefined;
    dir = parent;
  }
}

/**
 * The installed production dependency tree under `rootDir`, breadth first, so each package's `via`
 * is a shortest path that pulls it in. Optional and peer dependencies count where they are installed
 * (platform binaries, peers npm installed); a missing required dependency is an error (no `npm ci`).
 */
export function productionPackages(rootDir: string): PackageRecord[] {
  const root = readManifest(rootDir);
  const packages: PackageRecord[] = [];
  const visited = new Set<string>();
  const queue: { dir: string; manifest: Manifest; via: string[] }[] = [{ dir: rootDir, manifest: root, via: [] }];
  while (queue.length > 0) {
    const { dir, manifest, via } = queue.shift()!;
    const required = Object.keys(manifest.dependencies ?? {});
    const optional = [...Object.keys(manifest.optionalDependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})];
    for (const [name, isRequired] of [...required.map((n) => [n, true] as const), ...optional.map((n) => [n, false] as const)]) {
      const found = resolvePackage(name, dir, rootDir);
      if (!found) {
        if (isRequired) throw new Error(`${[...via, name].join(' > ')} is not installed: run npm ci first`);
        continue;
      }
      if (visited.has(found)) continue;
      visited.add(found);
      const child = readManifest(found);
      const childVia = [...via, name];
      packages.push({
        name: child.name ?? name,
        version: child.version ?? '(no version)',
        license: child.license,
        licenses: child.licenses,
        licenceFiles: readdirSync(found).filter(isLicenceFile),
        via: childVia,
      });
      queue.push({ dir: found, manifest: child, via: childVia });
    }
  }
  return packages;
}

function main(): void {
  const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const exceptions = parseExceptions(JSON.parse(readFileSync(path.join(rootDir, 'scripts', 'licence-exceptions.json'), 'utf8')));
  const packages = productionPackages(rootDir);
  const result = report(packages, exceptions);

  const total = [...result.counts.values()].reduce((a, b) => a + b, 0);
  console.log(`Licences of ${total} production packages:`);
  for (const [licence, count] of [...result.counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
    console.log(`  ${String(count).padStart(4)}  ${licence}`);
  }
  for (const line of result.excepted) console.log(`Exception: ${line}`);
  for (const id of result.unusedExceptions) console.error(`Licence exception for ${id} matches no installed production package: remove it.`);
  if (result.problems.length > 0) {
    for (const problem of result.problems) console.error(`Licence check: ${problem}`);
    console.error('Replace the package, or record a justified exception in scripts/licence-exceptions.json.');
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
