import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Database } from '../db/client.ts';
import { runCommand, type CommandRequest } from './commands.ts';
import { tr } from './language.ts';
import type { Reporter } from './reporter.ts';

/**
 * sysexits.h's EX_TEMPFAIL: the connection to the server broke before the command's end, so whether
 * it finished is unknown (the server may still be running it). Rerunning an import is safe.
 */
export const EX_TEMPFAIL = 75;

/** 128 + SIGINT, as a shell reports a program stopped with Ctrl-C. */
export const EX_INTERRUPTED = 130;

type ControlEvent =
  | { type: 'progress'; label: string; value: number; total: number }
  | { type: 'log'; message: string }
  | { type: 'result'; text: string }
  | { type: 'done' }
  | { type: 'exit'; code: number };

/** What the control channel writes to the server's log: which command ran and how it ended, never its output. */
export interface ControlLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

const silent: ControlLog = { info: () => {}, warn: () => {} };

/**
 * The running server's control channel: a loopback-only HTTP endpoint, guarded by a random token
 * that only the lock file (mode 0600) reveals. CLI commands stream their output back as NDJSON.
 */
export async function startControlServer(database: Database, env: { production: boolean }, log: ControlLog = silent) {
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
      // The CLI knows from here on that the command is in the server's hands.
      res.flushHeaders();
      queue = queue.then(() => runFor(database, JSON.parse(body) as CommandRequest, res, env, log));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, token, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Runs one command for a CLI; a CLI that goes away does not stop it, and the log says how it ended. */
async function runFor(database: Database, request: CommandRequest, res: http.ServerResponse, env: { production: boolean }, log: ControlLog) {
  let clientGone = false;
  res.once('close', () => {
    if (res.writableFinished) return;
    clientGone = true;
    log.warn({ command: request.command }, 'control client disconnected; the command goes on');
  });
  const send = (event: ControlEvent) => {
    if (!clientGone) res.write(JSON.stringify(event) + '\n');
  };
  const reporter: Reporter = {
    progress: (label, value, total) => send({ type: 'progress', label, value, total }),
    log: (message) => send({ type: 'log', message }),
    result: (text) => send({ type: 'result', text }),
    done: () => send({ type: 'done' }),
  };
  log.info({ command: request.command }, 'control command started');
  let exitCode = 1;
  try {
    exitCode = await runCommand(database, request, reporter, env);
  } catch (error) {
    // The message goes to the CLI only: it may quote a line of the user's file.
    send({ type: 'log', message: `Fejl: ${(error as Error).message}` });
  }
  log.info({ command: request.command, exitCode, clientGone }, 'control command finished');
  send({ type: 'exit', code: exitCode });
  res.end();
}

/** The NDJSON events of a response, as they arrive; a last line cut off mid-way is dropped. */
async function* eventsOf(body: ReadableStream<Uint8Array>): AsyncGenerator<ControlEvent> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let buffered = '';
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    buffered += decoder.decode(chunk.value, { stream: true });
    let newline;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      yield JSON.parse(buffered.slice(0, newline)) as ControlEvent;
      buffered = buffered.slice(newline + 1);
    }
  }
}

/** Passes an event on to the CLI's reporter; the exit code when the event is the end. */
function relay(event: ControlEvent, reporter: Reporter): number | undefined {
  if (event.type === 'progress') reporter.progress(event.label, event.value, event.total);
  else if (event.type === 'log') reporter.log(event.message);
  else if (event.type === 'result') reporter.result(event.text);
  else if (event.type === 'done') reporter.done();
  else if (event.type === 'exit') return event.code;
  return undefined;
}

const refused = (error: unknown) => (error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED';

/**
 * Sends a command to a running server and relays its output; returns the exit code. A stream that
 * ends without the server's exit code means the connection was lost: said on stderr, EX_TEMPFAIL.
 */
export async function runRemote(control: { port: number; token: string }, request: CommandRequest, reporter: Reporter): Promise<number> {
  const lost = () => {
    reporter.done();
    reporter.log(
      tr(
        'Forbindelsen til serveren blev afbrudt, før kommandoen var færdig. Serveren kører den måske stadig; se serverens log for, hvordan den endte.',
        'The connection to the server was lost before the command finished. The server may still be running it; see the server\'s log for how it ended.',
      ),
    );
    return EX_TEMPFAIL;
  };
  // Ctrl-C stops this CLI, not the server's command; say so rather than leave the user guessing.
  const interrupted = () => {
    reporter.done();
    reporter.log(tr('Afbrudt. Serveren kører kommandoen færdig; se serverens log.', 'Interrupted. The server goes on with the command; see the server\'s log.'));
    process.exit(EX_INTERRUPTED);
  };
  process.once('SIGINT', interrupted);
  try {
    let response: Response;
    try {
      response = await fetch(`http://127.0.0.1:${control.port}/run`, {
        method: 'POST',
        headers: { authorization: `Bearer ${control.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(request),
      });
    } catch (error) {
      if (refused(error)) throw new Error(tr('serverens kontrolkanal svarer ikke; kommandoen er ikke kørt', "the server's control channel does not answer; the command did not run"));
      return lost();
    }
    if (!response.ok || !response.body) throw new Error(tr(`serverens kontrolkanal svarede ${response.status}`, `the server's control channel answered ${response.status}`));
    let exitCode: number | undefined;
    try {
      for await (const event of eventsOf(response.body)) exitCode = relay(event, reporter) ?? exitCode;
    } catch {
      return lost();
    }
    if (exitCode === undefined) return lost();
    reporter.done();
    return exitCode;
  } finally {
    process.off('SIGINT', interrupted);
  }
}
