import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** The server's data directory, exported by playwright.config.ts; mails land in <dir>/mail as .eml files. */
function mailDir(): string {
  const dir = process.env.KP_E2E_DATA_DIR;
  if (!dir) throw new Error('KP_E2E_DATA_DIR is not set: playwright.config.ts exports the web server data directory');
  return path.join(dir, 'mail');
}

/** Undoes quoted-printable: soft line breaks and =XX bytes (UTF-8). */
function decodeQuotedPrintable(text: string): string {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const m = /^=([0-9A-F]{2})/i.exec(joined.slice(i, i + 3));
    if (m) {
      bytes.push(parseInt(m[1]!, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * Polls the mail folder (the outbox job runs every few seconds) for a mail to `to` whose decoded
 * text contains `contains`, and returns that text.
 */
export async function waitForMail(to: string, { contains = '', timeoutMs = 30_000 }: { contains?: string; timeoutMs?: number } = {}): Promise<string> {
  const dir = mailDir();
  const addressed = new RegExp(`^To: ${to.replace(/[.+]/g, '\\$&')}\\r?$`, 'mi');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    let files: string[] = [];
    try {
      files = (await readdir(dir)).filter((f) => f.endsWith('.eml'));
    } catch {
      // the folder appears with the first mail
    }
    for (const f of files) {
      const raw = await readFile(path.join(dir, f), 'utf8');
      if (!addressed.test(raw)) continue;
      const text = decodeQuotedPrintable(raw);
      if (text.includes(contains)) return text;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no mail to ${to}${contains ? ` containing "${contains}"` : ''} in ${dir} within ${timeoutMs} ms`);
}
