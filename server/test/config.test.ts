import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, EX_CONFIG, loadConfig, variableHelp } from '../config.ts';

const production = { NODE_ENV: 'production', PUBLIC_URL: 'https://knudepunkt.example.dk' };

/** The problems loadConfig names for an environment, or [] when it accepts it. */
function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((p) => p.variable);
  }
}

describe('the configuration schema', () => {
  it('has a default for everything but the production address', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      databaseUrl: undefined,
      dbPool: 10,
      production: false,
      secureCookies: false,
      smtpUrl: undefined,
      mailFrom: 'Knudepunkt <noreply@knudepunkt.dk>',
      publicUrl: 'http://localhost:3000',
      trustProxy: false,
    });
    expect(config.dataDir).toBe(path.resolve('data'));
    expect(config.mailDir).toBe(path.resolve('data', 'mail'));
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    expect(loadConfig({ KNUDEPUNKT_DATA_DIR: '/srv/kp' }).mailDir).toBe('/srv/kp/mail');
  });

  it('takes a blank value as unset, as an env file with `SMTP_URL=` means', () => {
    expect(loadConfig({ SMTP_URL: '', PORT: ' ', KNUDEPUNKT_DB_POOL: '', KNUDEPUNKT_SECURE_COOKIES: '' })).toMatchObject({ smtpUrl: undefined, port: 3000, dbPool: 10, secureCookies: false });
  });

  it('knows three NODE_ENVs and refuses any other', () => {
    expect(loadConfig(production).production).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development' }).production).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test' }).production).toBe(false);
    for (const value of ['prod', 'Production', 'staging']) expect(problems({ NODE_ENV: value })).toEqual(['NODE_ENV']);
  });

  it('requires PUBLIC_URL in production, and only there', () => {
    expect(problems({ NODE_ENV: 'production' })).toEqual(['PUBLIC_URL']);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/PUBLIC_URL skal sættes, når NODE_ENV=production/);
    expect(problems({ NODE_ENV: 'production', PUBLIC_URL: '  ' })).toEqual(['PUBLIC_URL']);
    expect(loadConfig(production).publicUrl).toBe('https://knudepunkt.example.dk');
  });

  it('accepts PUBLIC_URL as an http(s) address and drops a trailing slash', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://knudepunkt.example.dk/' }).publicUrl).toBe('https://knudepunkt.example.dk');
    expect(loadConfig({ PUBLIC_URL: 'http://10.0.0.5:3000/knudepunkt/' }).publicUrl).toBe('http://10.0.0.5:3000/knudepunkt');
    for (const value of ['knudepunkt.example.dk', 'ftp://knudepunkt.example.dk', 'https://knudepunkt.example.dk/?a=1', 'https://knudepunkt.example.dk/#top', 'https://user:pw@knudepunkt.example.dk']) {
      expect(problems({ PUBLIC_URL: value }), value).toEqual(['PUBLIC_URL']);
    }
  });

  const integers: [variable: string, key: keyof ReturnType<typeof loadConfig>, min: number, max: number][] = [
    ['PORT', 'port', 1, 65535],
    ['KNUDEPUNKT_DB_POOL', 'dbPool', 1, 1000],
    ['KNUDEPUNKT_SESSION_IDLE_MINUTES', 'sessionIdleMinutes', 1, 1440],
    ['KNUDEPUNKT_SESSION_ABSOLUTE_HOURS', 'sessionAbsoluteHours', 1, 168],
    ['KNUDEPUNKT_LOGIN_RATE_LIMIT', 'loginRateLimit', 1, 10_000],
    ['KNUDEPUNKT_PUBLIC_RATE_LIMIT', 'publicRateLimit', 1, 100_000],
    ['KNUDEPUNKT_REFERRAL_DEADLINE_DAYS', 'referralDeadlineDays', 1, 60],
  ];

  it.each(integers)('reads %s as a whole number within its range', (variable, key, min, max) => {
    expect(loadConfig({ [variable]: String(min) })[key]).toBe(min);
    expect(loadConfig({ [variable]: ` ${max} ` })[key]).toBe(max);
    for (const value of [String(min - 1), String(max + 1), 'ten', '2.5', '1e2', '-1', '0x10', '10 connections']) {
      expect(problems({ [variable]: value }), value).toEqual([variable]);
    }
    expect(() => loadConfig({ [variable]: 'ten' })).toThrow(`${variable} skal være et helt tal fra ${min} til ${max}, fik "ten"`);
  });

  it('reads KNUDEPUNKT_SECURE_COOKIES as a yes or a no, in any case, and refuses anything else', () => {
    for (const value of ['true', 'TRUE', '1', 'yes', 'Yes']) expect(loadConfig({ KNUDEPUNKT_SECURE_COOKIES: value }).secureCookies, value).toBe(true);
    for (const value of ['false', 'False', '0', 'no', 'NO']) expect(loadConfig({ ...production, KNUDEPUNKT_SECURE_COOKIES: value }).secureCookies, value).toBe(false);
    for (const value of ['yess', 'on', 'y', '2', 'ja']) expect(problems({ KNUDEPUNKT_SECURE_COOKIES: value }), value).toEqual(['KNUDEPUNKT_SECURE_COOKIES']);
    // Unset, it follows NODE_ENV.
    expect(loadConfig(production).secureCookies).toBe(true);
    expect(loadConfig({}).secureCookies).toBe(false);
  });

  it('accepts a PostgreSQL URL and refuses anything else without repeating the password', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://kp:secret@127.0.0.1:5432/kp' }).databaseUrl).toBe('postgres://kp:secret@127.0.0.1:5432/kp');
    expect(loadConfig({ DATABASE_URL: 'postgresql://kp@db/kp?sslmode=require' }).databaseUrl).toBe('postgresql://kp@db/kp?sslmode=require');
    for (const value of ['mysql://kp:secret@db/kp', 'kp:secret@db/kp', 'secret']) {
      expect(problems({ DATABASE_URL: value }), value).toEqual(['DATABASE_URL']);
      expect(() => loadConfig({ DATABASE_URL: value })).toThrow(expect.objectContaining({ message: expect.not.stringContaining('secret') }));
    }
  });

  it('accepts an smtp or smtps URL and refuses anything else without repeating the password', () => {
    expect(loadConfig({ SMTP_URL: 'smtps://mail:secret@smtp.example.dk:465' }).smtpUrl).toBe('smtps://mail:secret@smtp.example.dk:465');
    for (const value of ['http://mail:secret@smtp.example.dk', 'smtp.example.dk:secret']) {
      expect(problems({ SMTP_URL: value }), value).toEqual(['SMTP_URL']);
      expect(() => loadConfig({ SMTP_URL: value })).toThrow(expect.objectContaining({ message: expect.not.stringContaining('secret') }));
    }
  });

  it('accepts MAIL_FROM as an address with or without a name', () => {
    expect(loadConfig({ MAIL_FROM: 'noreply@hub.dk' }).mailFrom).toBe('noreply@hub.dk');
    expect(loadConfig({ MAIL_FROM: 'Erhvervshus Midtjylland <noreply@hub.dk>' }).mailFrom).toBe('Erhvervshus Midtjylland <noreply@hub.dk>');
    for (const value of ['noreply', 'Erhvervshus <noreply>', 'a@b']) expect(problems({ MAIL_FROM: value }), value).toEqual(['MAIL_FROM']);
  });

  it('accepts HOST as an address or a host name', () => {
    for (const value of ['127.0.0.1', '::', 'localhost', 'app-1.internal']) expect(loadConfig({ HOST: value }).host).toBe(value);
    for (const value of ['http://localhost', 'local host', '-app']) expect(problems({ HOST: value }), value).toEqual(['HOST']);
  });

  it('reads the CVR register settings, refusing a schedule without a register and a user without a password', () => {
    expect(loadConfig({}).cvr).toEqual({ url: undefined, user: undefined, password: undefined, syncHours: undefined });
    const cvr = { KNUDEPUNKT_CVR_URL: 'http://distribution.virk.dk/', KNUDEPUNKT_CVR_USER: 'kp', KNUDEPUNKT_CVR_PASSWORD: 'hemmelig', KNUDEPUNKT_CVR_SYNC_HOURS: '24' };
    expect(loadConfig(cvr).cvr).toEqual({ url: 'http://distribution.virk.dk', user: 'kp', password: 'hemmelig', syncHours: 24 });
    expect(problems({ KNUDEPUNKT_CVR_SYNC_HOURS: '24' })).toEqual(['KNUDEPUNKT_CVR_URL']);
    expect(problems({ ...cvr, KNUDEPUNKT_CVR_PASSWORD: '' })).toEqual(['KNUDEPUNKT_CVR_PASSWORD']);
    for (const value of ['0', '745', '1.5', 'daily']) expect(problems({ ...cvr, KNUDEPUNKT_CVR_SYNC_HOURS: value }), value).toEqual(['KNUDEPUNKT_CVR_SYNC_HOURS']);
    // Credentials belong in their own variables (and out of logs), not in the URL.
    for (const value of ['ftp://distribution.virk.dk', 'http://kp:hemmelig@distribution.virk.dk', 'distribution.virk.dk']) {
      expect(problems({ KNUDEPUNKT_CVR_URL: value }), value).toEqual(['KNUDEPUNKT_CVR_URL']);
    }
  });

  it('refuses a hop count for KNUDEPUNKT_TRUST_PROXY no installation has', () => {
    expect(loadConfig({ KNUDEPUNKT_TRUST_PROXY: '20' }).trustProxy).toBe(20);
    expect(problems({ KNUDEPUNKT_TRUST_PROXY: '21' })).toEqual(['KNUDEPUNKT_TRUST_PROXY']);
  });

  it('names every bad variable at once, in one line, and ignores variables it does not know', () => {
    const error = (() => {
      try {
        loadConfig({ NODE_ENV: 'production', KNUDEPUNKT_DB_POOL: 'ten', KNUDEPUNKT_SECURE_COOKIES: 'yes\nplease', PATH: '/usr/bin', KNUDEPUNKT_UNKNOWN: 'x' });
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('accepted');
    })();
    expect(error.problems.map((p) => p.variable).sort()).toEqual(['KNUDEPUNKT_DB_POOL', 'KNUDEPUNKT_SECURE_COOKIES', 'PUBLIC_URL']);
    expect(error.message).not.toContain('\n');
    expect(error.message).toMatch(/^Ugyldig konfiguration: .*KNUDEPUNKT_DB_POOL skal være et helt tal.*\. Se knudepunkt --help\.$/);
  });
});

/**
 * The CLI as a supervisor starts it: a bad variable stops `serve` and the data commands before they
 * touch anything, with one line on stderr and exit code 78.
 */
describe('knudepunkt with a bad configuration', () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const bin = path.join(root, 'bin/knudepunkt.js');

  function run(args: string[], extra: NodeJS.ProcessEnv) {
    const { DATABASE_URL: _d, PORT: _p, ...rest } = process.env;
    const dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'kp-config-')), 'data');
    return new Promise<{ code: number | null; stdout: string; stderr: string; dataDir: string }>((resolve) => {
      const child = spawn(process.execPath, [bin, ...args], { env: { ...rest, NODE_ENV: 'test', KNUDEPUNKT_DATA_DIR: dataDir, ...extra }, cwd: root });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code, stdout, stderr, dataDir }));
    });
  }

  it.each([
    [['serve'], { KNUDEPUNKT_DB_POOL: 'ten' }, 'KNUDEPUNKT_DB_POOL skal være et helt tal fra 1 til 1000, fik "ten"'],
    [['serve'], { NODE_ENV: 'production' }, 'PUBLIC_URL skal sættes, når NODE_ENV=production'],
    [['migrate'], { KNUDEPUNKT_SECURE_COOKIES: 'maybe', DATABASE_URL: 'mysql://kp:secret@db/kp' }, 'KNUDEPUNKT_SECURE_COOKIES skal være true/false, 1/0 eller yes/no, fik "maybe"'],
  ])('%j stops with exit code 78 and one line naming the variable', async (args, extra, expected) => {
    const { code, stdout, stderr, dataDir } = await run(args, extra);
    expect(code).toBe(EX_CONFIG);
    expect(stderr).toContain(expected);
    expect(stderr).toMatch(/^Ugyldig konfiguration: [^\n]*\n$/);
    expect(stderr).not.toContain('secret');
    expect(stdout).toBe('');
    expect(existsSync(dataDir), 'the data directory was touched').toBe(false);
  }, 120_000);

  it('still shows --help, which lists every variable', async () => {
    const { code, stdout } = await run(['--help'], { KNUDEPUNKT_DB_POOL: 'ten' });
    expect(code).toBe(0);
    for (const variable of Object.keys(variableHelp)) expect(stdout).toMatch(new RegExp(`^  ${variable} +\\S`, 'm'));
  }, 120_000);
});
