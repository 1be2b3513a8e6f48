import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `knudepunkt` as real child processes, for the tests that need what only a process has: its own
 * start-up, signals, a SIGKILL in the middle of its work, the lock on the data directory.
 */
export const root = fileURLToPath(new URL('../../', import.meta.url));
export const bin = path.join(root, 'bin/knudepunkt.js');

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it gives something other than undefined. */
export async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 90_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** A port nothing listens on now (the kernel's pick), rather than a random one that another test file may have drawn too. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * The test runner's environment without anything that configures Knudepunkt (a developer's
 * DATABASE_URL, PORT, NODE_ENV, KNUDEPUNKT_*, locale), plus `extra`: each test says what it runs with.
 */
export function processEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const configuring = /^(DATABASE_URL|PORT|HOST|NODE_ENV|PUBLIC_URL|SMTP_URL|MAIL_FROM|KNUDEPUNKT_.*|LANG|LC_ALL|LC_MESSAGES)$/;
  const rest = Object.fromEntries(Object.entries(process.env).filter(([name]) => !configuring.test(name)));
  return { ...rest, KNUDEPUNKT_LANG: 'da', ...extra };
}

export interface Running {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when the process has exited and its output is read. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `node bin/knudepunkt.js ...args`; its output is collected as it comes. */
export function start(args: string[], env: NodeJS.ProcessEnv, cwd = root): Running {
  const child = spawn(process.execPath, [bin, ...args], { env, cwd });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Runs a command to its end. */
export async function run(args: string[], env: NodeJS.ProcessEnv, cwd = root): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const command = start(args, env, cwd);
  const { code } = await command.exited;
  return { code, stdout: command.stdout(), stderr: command.stderr() };
}

/** Waits until `serve` answers /api/ready; fails at once, with its output, if it exits instead. */
export async function untilReady(server: Running, base: string, timeoutMs = 90_000): Promise<void> {
  await until(
    `${base} to be ready`,
    async () => {
      if (server.child.exitCode !== null || server.child.signalCode !== null) throw new Error(`server exited (${server.child.exitCode ?? server.child.signalCode}): ${server.stdout()}${server.stderr()}`);
      return (await fetch(`${base}/api/ready`).catch(() => null))?.ok || undefined;
    },
    timeoutMs,
  );
}

/** Sends `signal` unless the process is gone already, and waits for it to exit. */
export async function stop(server: Running, signal: NodeJS.Signals = 'SIGTERM') {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill(signal);
  return server.exited;
}
