import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Database } from '../db/client.ts';
import { runCommand, type CommandRequest } from './commands.ts';
import type { Reporter } from './reporter.ts';

/**
 * The running server's control channel: a loopback-only HTTP endpoint, guarded by a random token
 * that only the lock file (mode 0600) reveals. CLI commands stream their progress back as NDJSON.
 */
export async function startControlServer(database: Database, env: { production: boolean }) {
  const token = randomBytes(32).toString('hex');
  // One command at a time, so two imports never interleave their batches.
  let queue: Promise<unknown> = Promise.resolve();
  const server = http.createServer((req, res) => {
    const auth = Buffer.from(req.headers.authorization ?? '');
    const expected = Buffer.from(`Bearer ${token}`);
    if (req.method !== 'POST' || auth.length !== expected.length || !timingSafeEqual(auth, expected)) {
      res.writeHead(401).end();
      return;
    }
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      const send = (event: object) => res.write(JSON.stringify(event) + '\n');
      const reporter: Reporter = {
        progress: (label, value, total) => send({ type: 'progress', label, value, total }),
        log: (message) => send({ type: 'log', message }),
        done: () => send({ type: 'done' }),
      };
      queue = queue.then(async () => {
        try {
          const exitCode = await runCommand(database, JSON.parse(body) as CommandRequest, reporter, env);
          send({ type: 'exit', code: exitCode });
        } catch (error) {
          send({ type: 'log', message: `Fejl: ${(error as Error).message}` });
          send({ type: 'exit', code: 1 });
        }
        res.end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, token, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Sends a command to a running server and relays its progress; returns the exit code. */
export async function runRemote(control: { port: number; token: string }, request: CommandRequest, reporter: Reporter): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${control.port}/run`, {
    method: 'POST',
    headers: { authorization: `Bearer ${control.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  if (!response.ok || !response.body) throw new Error(`the server's control channel answered ${response.status}`);
  let exitCode = 1;
  let buffered = '';
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    buffered += decoder.decode(chunk.value, { stream: true });
    let newline;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const event = JSON.parse(buffered.slice(0, newline)) as { type: string; label?: string; value?: number; total?: number; message?: string; code?: number };
      buffered = buffered.slice(newline + 1);
      if (event.type === 'progress') reporter.progress(event.label!, event.value!, event.total!);
      else if (event.type === 'log') reporter.log(event.message!);
      else if (event.type === 'done') reporter.done();
      else if (event.type === 'exit') exitCode = event.code!;
    }
  }
  reporter.done();
  return exitCode;
}
