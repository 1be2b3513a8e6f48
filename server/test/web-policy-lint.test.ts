/**
 * The web decides no permission (issue 11): the ESLint rules in eslint.config.js refuse the shapes a
 * permission check in the browser takes. Each sample here is such a check; the rule must catch it,
 * and the abilities-based equivalent must pass.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function problems(code: string, file = 'web/src/modules/engagements/Sample.tsx'): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-syntax' || m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
}

describe('no permission checks in the web', () => {
  it.each([
    ["export const admin = (u: { role: string }) => u.role === 'admin';", 'a role comparison'],
    ["export const kkr = (u: { organisation: { type: string } }) => u.organisation.type === 'kkr';", 'an organisation-type comparison'],
    ["export const hub = (t: string) => t === 'business_hub';", 'a comparison with an organisation-type word'],
    ["export const writers = ['adviser', 'manager'];", 'a list of roles'],
    ["export const ew = (u: { earlyWarning: boolean }) => (u.earlyWarning ? 1 : 0);", 'a read of the Early Warning flag'],
    ["export const sys = (u: { systemAdmin: boolean }) => u.systemAdmin;", 'a read of the system-admin flag'],
    ["export const ok = (u: { role: string }) => ['admin'].includes(u.role);", 'an includes() over roles'],
    ["import { policy } from '#server/policies/index.ts';\nexport const p = policy;", 'a value import of server code'],
  ])('refuses %s (%s)', async (code) => {
    expect(await problems(code)).not.toEqual([]);
  });

  it('lets abilities and type imports through', async () => {
    const code = "import type { Abilities } from '#server/modules/auth/schemas.ts';\nexport const may = (a: Abilities) => a.create.engagement && a.sections.contracts;";
    expect(await problems(code)).toEqual([]);
  });
});
