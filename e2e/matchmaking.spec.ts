import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './axe.ts';
import { authFile, csrf, sonderborgCompanyWithoutConsent } from './helpers.ts';
import { waitForMail } from './mail.ts';

/** A contact person recorded by the signed-in user's organisation, through the API. */
async function addContact(request: APIRequestContext, cvr: string, name: string, email: string): Promise<void> {
  const res = await request.post(`/api/v1/companies/${cvr}/contacts`, { headers: await csrf(request), data: { name, email } });
  expect(res.status(), await res.text()).toBe(201);
}

/** Records a need or offer of cooperation through the form on the company page. */
async function recordCooperation(page: Page, cvr: string, fields: { kind: 'Behov' | 'Tilbud om samarbejde'; title: string; country: string; description: string }) {
  await page.goto(`/virksomheder/${cvr}`);
  const section = page.locator('section.kp-cooperation');
  await expect(section.getByRole('heading', { level: 2, name: 'Behov og tilbud om samarbejde' })).toBeVisible();
  await section.getByText('Registrér behov eller tilbud').click();
  await section.getByLabel(fields.kind, { exact: true }).check();
  await section.getByLabel(/^Overskrift/).fill(fields.title);
  await section.getByRole('checkbox', { name: 'Eksport' }).check();
  await section.getByLabel(/^Lande/).fill(fields.country);
  await section.getByLabel('Beskrivelse').fill(fields.description);
  await section.getByRole('button', { name: 'Gem' }).click();
  const notice = section.locator('.alert-success');
  await expect(notice).toContainText(fields.title);
  // The result is announced where focus lands.
  await expect(notice).toBeFocused();
  await expect(section.locator('table.kp-cooperation-list tbody tr', { hasText: fields.title })).toBeVisible();
}

test.describe('matchmaking: a company↔company match from need to introduction', () => {
  test.setTimeout(240_000);

  test('Sønderborg records a need, Aabenraa an offer; both accept, both companies agree, the parties are introduced', async ({ browser }) => {
    const stamp = Date.now();
    const needTitle = `Søger distributør i Tyskland ${stamp}`;
    const offerTitle = `Salgsnetværk i Tyskland ${stamp}`;

    const kommuneCtx = await browser.newContext({ storageState: authFile('kommune') });
    const kommune = await kommuneCtx.newPage();
    const aabenraaCtx = await browser.newContext({ storageState: authFile('aabenraa') });
    const aabenraa = await aabenraaCtx.newPage();

    // ── The demo: Sønderborg's own needs and offers, and the match Aabenraa proposed about China ──
    await kommune.goto('/matchmaking');
    await expect(kommune.getByRole('heading', { level: 1, name: 'Matchmaking' })).toBeVisible();
    await expect(kommune.getByLabel('Behov eller tilbud').locator('option', { hasText: 'Datterselskab i Kina' })).toHaveCount(1);
    await expect(kommune.locator('table.kp-matches')).toContainText('Datterselskab i Kina tager imod besøgende danske SMV’er');
    await expect(kommune.locator('table.kp-suggestions tbody tr').first()).toBeVisible();

    // ── Set-up through the API: the two companies, their contact persons, and Aabenraa's sharing consent ──
    const companyA = await sonderborgCompanyWithoutConsent(kommune.request);
    await addContact(kommune.request, companyA.cvr, `Anna ${stamp}`, `anna${stamp}@example.dk`);
    const found = await aabenraa.request.get('/api/v1/companies?municipality=580&pageSize=50');
    // Not the first few, which other browser tests pick.
    const companyB = ((await found.json()) as { items: { cvr: string; name: string }[] }).items.slice(7).find((c) => !!c.name)!;
    await addContact(aabenraa.request, companyB.cvr, `Bent ${stamp}`, `bent${stamp}@example.dk`);
    const orgs = (await (await aabenraa.request.get('/api/v1/organisations')).json()) as { items: { id: string; key: string }[] };
    const sonderborgId = orgs.items.find((o) => o.key === 'lbs:540')!.id;
    const consent = await aabenraa.request.post(`/api/v1/companies/${companyB.cvr}/consents`, {
      headers: await csrf(aabenraa.request),
      data: { purpose: 'sharing', scope: 'named', organisationIds: [sonderborgId], givenByName: `Bent ${stamp}`, channel: 'meeting' },
    });
    expect(consent.status(), await consent.text()).toBe(201);

    // ── The need and the offer, each on its company page ──
    await recordCooperation(kommune, companyA.cvr, { kind: 'Behov', title: needTitle, country: 'DE', description: 'Vil sælge maskiner til tyske kunder gennem en distributør.' });
    await expectNoSeriousA11yViolations(kommune, 'company page with needs and offers');
    await recordCooperation(aabenraa, companyB.cvr, { kind: 'Tilbud om samarbejde', title: offerTitle, country: 'DE', description: 'Tager danske maskiner med i sit netværk af tyske kunder.' });

    // ── Sønderborg: suggestions with score and reasons, then propose ──
    await kommune.goto(`/virksomheder/${companyA.cvr}`);
    await kommune.locator('table.kp-cooperation-list tbody tr', { hasText: needTitle }).getByRole('link', { name: /Se forslag/ }).click();
    await expect(kommune.getByRole('heading', { level: 1, name: 'Matchmaking' })).toBeVisible();
    await expect(kommune.getByRole('heading', { level: 2, name: `Forslag til "${needTitle}"` })).toBeVisible();
    const row = kommune.locator('table.kp-suggestions tbody tr', { hasText: offerTitle });
    await expect(row).toContainText(companyB.name);
    await expect(row).toContainText('Temaer: Eksport');
    await expect(row).toContainText('Geografi: DE');
    await expect(row).toContainText(/\d+ af 100/);
    await expectNoSeriousA11yViolations(kommune, 'matchmaking page');
    await row.getByRole('button', { name: `Foreslå match med ${companyB.name}` }).click();
    await expect(kommune).toHaveURL(/\/matchmaking\/match\//);
    const heading = kommune.getByRole('heading', { level: 1, name: `Match: ${companyA.name} og ${companyB.name}` });
    await expect(heading).toBeFocused();
    const matchUrl = kommune.url();
    // Sønderborg accepts for its own side only: no button for the other side.
    await expect(kommune.getByRole('button', { name: `Acceptér for ${companyB.name}` })).toHaveCount(0);
    await kommune.getByRole('button', { name: `Acceptér for ${companyA.name}` }).click();
    await expect(kommune.locator('.alert-success')).toBeFocused();
    await expect(kommune.locator('.kp-match-status')).toHaveText('Foreslået');
    await expectNoSeriousA11yViolations(kommune, 'match page, proposed');

    // ── Aabenraa: accepts its side and records its company's consent ──
    await aabenraa.goto(matchUrl);
    await expect(aabenraa.getByRole('heading', { level: 1, name: `Match: ${companyA.name} og ${companyB.name}` })).toBeVisible();
    await expect(aabenraa.locator('[data-side="a"]')).toContainText('Vises først, når begge virksomheder har givet samtykke.');
    await aabenraa.getByRole('button', { name: `Acceptér for ${companyB.name}` }).click();
    await expect(aabenraa.locator('.kp-match-status')).toHaveText('Accepteret af begge');
    const formB = aabenraa.locator('[data-side="b"] form');
    await formB.getByRole('checkbox', { name: new RegExp(`Bent ${stamp}`) }).check();
    await formB.getByLabel('Givet af (kontaktperson)').selectOption({ label: `Bent ${stamp}` });
    await formB.getByRole('button', { name: 'Registrér samtykke' }).click();
    await expect(aabenraa.locator('.alert-success')).toBeFocused();
    await expect(aabenraa.locator('.alert-success')).toContainText(`Samtykket fra ${companyB.name} er registreret.`);
    // One consent is not enough: Sønderborg's company has not agreed yet.
    await expect(aabenraa.locator('[data-side="a"]')).toContainText('Vises først');
    await expect(aabenraa.getByRole('button', { name: 'Introducér parterne' })).toHaveCount(0);
    await expectNoSeriousA11yViolations(aabenraa, 'match page, agreement recorded');

    // ── Sønderborg: still no contact of the other side; records its company's consent; introduces ──
    await kommune.reload();
    await expect(kommune.locator('[data-side="b"]')).toContainText('Vises først');
    const formA = kommune.locator('[data-side="a"] form');
    await formA.getByRole('checkbox', { name: new RegExp(`Anna ${stamp}`) }).check();
    await formA.getByLabel('Givet af (navn)').fill(`Anna ${stamp}`);
    await formA.getByRole('button', { name: 'Registrér samtykke' }).click();
    await expect(kommune.locator('.alert-success')).toBeFocused();
    await expect(kommune.locator('[data-side="b"] .kp-match-contacts')).toContainText(`bent${stamp}@example.dk`);
    await kommune.getByRole('button', { name: 'Introducér parterne' }).click();
    await expect(kommune.locator('.alert-success')).toContainText('Parterne er introduceret.');
    await expect(kommune.locator('.alert-success')).toBeFocused();
    await expect(kommune.locator('.kp-match-status')).toHaveText('Introduceret');
    await expectNoSeriousA11yViolations(kommune, 'match page, introduced');

    // ── Both companies' contacts got the other's details; Aabenraa now sees Sønderborg's contact ──
    expect(await waitForMail(`anna${stamp}@example.dk`, { contains: `bent${stamp}@example.dk` })).toBeTruthy();
    expect(await waitForMail(`bent${stamp}@example.dk`, { contains: `anna${stamp}@example.dk` })).toBeTruthy();
    await aabenraa.reload();
    await expect(aabenraa.locator('[data-side="a"] .kp-match-contacts')).toContainText(`anna${stamp}@example.dk`);

    // The matches list shows it introduced.
    await kommune.goto('/matchmaking');
    await expect(kommune.locator('table.kp-matches')).toContainText('Introduceret');

    await kommuneCtx.close();
    await aabenraaCtx.close();
  });
});
