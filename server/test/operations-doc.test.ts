import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * docs/operations.md is what an operations team deploys from, so it must not drift from the code:
 * every environment variable the server reads is documented there, no KNUDEPUNKT_ variable is
 * invented, and every CLI invocation it shows names a real command and real options (asked of the
 * CLI itself through `--help`). Planned commands are written in italics, not as code, so they are
 * not taken for invocations.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const doc = readFileSync(path.join(root, 'docs/operations.md'), 'utf8');
const bin = path.join(root, 'bin/knudepunkt.js');
const run = promisify(execFile);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'test' ? [] : sourceFiles(full);
    return /\.(ts|mjs|js)$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) ? [full] : [];
  });
}

/** Environment variables read by the server and the CLI: `env.X`, `env['X']`, `someEnv(env, 'X', …)` helpers, and schema keys in the configuration module. */
function variablesReadByCode(): Set<string> {
  const names = new Set<string>();
  const patterns = [/\benv\??\.([A-Z][A-Z0-9_]+)/g, /\benv\[\s*['"]([A-Z][A-Z0-9_]+)['"]\s*\]/g, /\w+Env\(\s*\w+\s*,\s*['"]([A-Z][A-Z0-9_]+)['"]/g];
  for (const file of [...sourceFiles(path.join(root, 'server')), ...sourceFiles(path.join(root, 'bin'))]) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of patterns) for (const match of text.matchAll(pattern)) names.add(match[1]!);
  }
  // A schema over the environment in the configuration module (`PORT: z.coerce…`) names them as keys.
  const config = readFileSync(path.join(root, 'server/config.ts'), 'utf8');
  for (const match of config.matchAll(/^\s*['"]?([A-Z][A-Z0-9]*_[A-Z0-9_]+|PORT|HOST)['"]?\s*:/gm)) names.add(match[1]!);
  return names;
}

/** The code in the document: fenced blocks and inline code spans. */
function codeOf(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)].map((m) => m[1]!);
  const prose = markdown.replace(/^```[^\n]*\n[\s\S]*?^```/gm, '');
  const spans = [...prose.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);
  return [...blocks.flatMap((b) => b.split('\n')), ...spans];
}

interface Invocation {
  words: string[];
  options: string[];
  text: string;
}

/** `node bin/knudepunkt.js …`, `npx knudepunkt …`, or a code span that starts with `knudepunkt …`. */
function invocationsIn(lines: string[]): Invocation[] {
  const found: Invocation[] = [];
  for (const line of lines) {
    for (const match of line.matchAll(/(?:bin\/knudepunkt\.js|npx knudepunkt|^knudepunkt)((?:[ \t]+[^\s`'"|;&]+)*)/g)) {
      const tokens = match[1]!.trim().split(/[ \t]+/).filter(Boolean);
      const words: string[] = [];
      for (const token of tokens) {
        if (!/^[a-z][a-z-]*$/.test(token)) break;
        words.push(token);
      }
      const options = tokens.filter((t) => t.startsWith('--')).map((t) => t.split('=')[0]!);
      found.push({ words, options, text: match[0] });
    }
  }
  return found;
}

const helpCache = new Map<string, Promise<{ commands: string[]; options: string[] }>>();

/** Commander's help for a command path, in English (its section titles are parsed): its subcommands and its options. */
function helpOf(words: string[]) {
  const key = words.join(' ');
  if (!helpCache.has(key)) {
    helpCache.set(
      key,
      run(process.execPath, [bin, ...words, '--help'], { cwd: root, env: { ...process.env, NODE_ENV: 'test', KNUDEPUNKT_LANG: 'en' } }).then(({ stdout }) => {
        const section = (title: string) => stdout.split(`${title}:\n`)[1]?.split(/\n\n/)[0] ?? '';
        const commands = [...section('Commands').matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
        const options = [...section('Options').matchAll(/(--[a-z][a-z-]*)/g)].map((m) => m[1]!);
        return { commands, options };
      }),
    );
  }
  return helpCache.get(key)!;
}

describe('docs/operations.md', () => {
  it('documents every environment variable the code reads, and none it does not', () => {
    const read = variablesReadByCode();
    // If the configuration is rewritten and these patterns stop finding it, fail rather than check nothing.
    for (const core of ['NODE_ENV', 'PORT', 'DATABASE_URL', 'PUBLIC_URL', 'SMTP_URL', 'KNUDEPUNKT_DATA_DIR', 'KNUDEPUNKT_DB_POOL']) expect(read).toContain(core);

    const documented = new Set([...doc.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!));
    expect([...read].filter((name) => !documented.has(name)), 'read by the code but not in docs/operations.md').toEqual([]);
    const invented = [...new Set([...doc.matchAll(/\b(KNUDEPUNKT_[A-Z0-9_]+)/g)].map((m) => m[1]!))].filter((name) => !read.has(name));
    expect(invented, 'in docs/operations.md but read nowhere in the code').toEqual([]);
  });

  it('shows only real CLI commands and options', async () => {
    const invocations = invocationsIn(codeOf(doc));
    // The deploy steps themselves must be there.
    const shown = new Set(invocations.map((i) => i.words.join(' ')));
    for (const step of ['migrate', 'serve', 'create-admin']) expect(shown).toContain(step);

    const problems: string[] = [];
    for (const invocation of invocations) {
      // Walk down the command tree as far as the words go: a word that is not a subcommand is an argument.
      let commandPath: string[] = [];
      for (const word of invocation.words) {
        const { commands } = await helpOf(commandPath);
        if (!commands.includes(word)) {
          if (commandPath.length === 0 || commands.length > 0) problems.push(`${invocation.text}: no command "${[...commandPath, word].join(' ')}"`);
          break;
        }
        commandPath = [...commandPath, word];
      }
      if (invocation.words.length > 0 && commandPath.length === 0) continue;
      const { commands, options } = await helpOf(commandPath);
      if (commands.length > 0 && commandPath.length > 0) problems.push(`${invocation.text}: "${commandPath.join(' ')}" needs a subcommand (${commands.join(', ')})`);
      for (const option of invocation.options) if (!options.includes(option)) problems.push(`${invocation.text}: "${commandPath.join(' ')}" has no option ${option}`);
    }
    expect(problems).toEqual([]);
    // One `--help` process per command shown; on a slow two-core machine under a full suite that took over 60 s.
  }, 300_000);
});
