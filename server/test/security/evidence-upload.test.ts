import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTemplate } from '../../modules/contracts/service.ts';
import { samples } from '../file-samples.ts';
import { count, createTestApp, createUser, login, orgKeys, problem, type Session, type TestContext } from '../helpers.ts';

/** Issue 10, hole 11: uploaded evidence is checked by its content, not trusted by its declared type. */
describe('uploading evidence that is not what it claims to be', () => {
  let t: TestContext;
  afterAll(() => t.close());
  let manager: Session;
  let contractId: string;

  const upload = (fileName: string, contentType: string, content: Buffer) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/contracts/${contractId}/goals/6/evidence`,
      headers: { ...manager.headers, 'accept-language': 'en' },
      payload: { deliverable: 'ErhvervsfremmeAkademi 1', fileName, contentType, contentBase64: content.toString('base64') },
    });
  const state = async () => ({ evidence: await count(t.database, 'contract_goal_evidence'), audit: await count(t.database, "audit_log WHERE entity = 'contract_evidence'") });

  beforeAll(async () => {
    t = await createTestApp();
    await createUser(t.database, { email: 'direktor@syd.dk', role: 'manager', org: orgKeys.sydjylland });
    manager = await login(t.app, 'direktor@syd.dk');
    const imported = await t.app.inject({ method: 'POST', url: '/api/v1/contracts/import', headers: manager.headers, payload: { ...(readTemplate() as object), override: { periodStart: '2026-01-01', periodEnd: '2026-12-31' } } });
    expect(imported.statusCode, imported.body).toBe(201);
    contractId = imported.json().id;
  });

  it.each([
    ['a web page with a script as a PDF', 'deltagerliste.pdf', 'application/pdf', samples.html],
    ['a Windows program as a PDF', 'deltagerliste.pdf', 'application/pdf', samples.exe],
    ['a Windows program as a PNG', 'foto.png', 'image/png', samples.exe],
    ['a PNG as a JPEG', 'foto.jpg', 'image/jpeg', samples.png],
    ['a Windows program as text', 'noter.txt', 'text/plain', samples.exe],
  ])('refuses %s (415, naming the field) and stores nothing', async (_what, fileName, contentType, content) => {
    const before = await state();
    const response = await upload(fileName, contentType, content);
    expect(problem(response)).toMatchObject({ status: 415, type: expect.stringContaining('application/problem+json'), body: { errors: [{ field: 'contentBase64', message: expect.stringContaining('not a') }] } });
    expect(await state()).toEqual(before);
  });

  it('refuses any ZIP, or another Office file, as a Word document', async () => {
    const before = await state();
    for (const content of [await samples.zip(), await samples.xlsx()]) {
      const response = await upload('rapport.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', content);
      expect(problem(response)).toMatchObject({ status: 415, body: { errors: [{ field: 'contentBase64' }] } });
    }
    expect(await state()).toEqual(before);
  });

  it('keeps real files of the allowed types', async () => {
    const before = await state();
    const files: [string, string, Buffer][] = [
      ['deltagerliste.pdf', 'application/pdf', samples.pdf],
      ['rapport.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', await samples.docx()],
      ['tal.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', await samples.xlsx()],
      ['oplæg.pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation', await samples.pptx()],
      ['foto.png', 'image/png', samples.png],
      ['foto.jpg', 'image/jpeg', samples.jpeg],
      ['noter.txt', 'text/plain', samples.text],
    ];
    for (const [fileName, contentType, content] of files) expect((await upload(fileName, contentType, content)).statusCode, fileName).toBe(201);
    expect(await state()).toEqual({ evidence: before.evidence + files.length, audit: before.audit + files.length });
  });
});
