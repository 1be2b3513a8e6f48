/**
 * The adviser's day, end to end, at desktop width and on a phone: a company asks for guidance, the
 * municipality's adviser sees the count, opens the request from the mail, opens an engagement
 * without retyping, logs a meeting with a follow-up task and refers to the hub; the hub's adviser
 * gets the mail, accepts and completes with feedback. Axe runs on every page on the way, and after
 * each step focus is where a keyboard user expects it.
 */
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { deadlineAfter, deadlineText } from '../server/lib/working-days.ts';
import { expectNoSeriousA11yViolations } from './axe.ts';
import { authFile, demoUsers, hasNoHorizontalScroll } from './helpers.ts';
import { waitForMail } from './mail.ts';

/** A Sønderborg company nobody has recorded a consent for yet: each run takes another one. */
async function freshSonderborgCompany(request: APIRequestContext, skip: number): Promise<{ cvr: string; name: string }> {
  let found = 0;
  for (let page = 1; page <= 10; page++) {
    const res = await request.get(`/api/v1/companies?municipality=540&pageSize=50&page=${page}`);
    expect(res.ok(), `company search answered ${res.status()}`).toBeTruthy();
    const { items } = (await res.json()) as { items: { cvr: string; name: string }[] };
    for (const c of items) {
      const consents = await request.get(`/api/v1/companies/${c.cvr}/consents`);
      if (!consents.ok() || ((await consents.json()) as { items: unknown[] }).items.length > 0) continue;
      const engagements = await request.get(`/api/v1/companies/${c.cvr}/engagements`);
      if (engagements.ok() && ((await engagements.json()) as { items: unknown[] }).items.length > 0) continue;
      if (found++ === skip) return c;
    }
  }
  throw new Error('no Sønderborg company without consents and engagements in the demo data');
}

/** The path of the first link to `pathPrefix` in a mail's text. */
function linkIn(mail: string, pathPrefix: string): string {
  const m = new RegExp(`https?://[^\\s/]+(${pathPrefix}[0-9a-f-]{36})`).exec(mail);
  expect(m, `a link to ${pathPrefix}… in the mail:\n${mail}`).toBeTruthy();
  return m![1]!;
}

/** The main menu, opened from the "Menu" button on a phone; closes it again after `use`. */
async function withMenu(page: Page, phone: boolean, use: (nav: ReturnType<Page['getByRole']>) => Promise<void>): Promise<void> {
  if (phone) {
    await page.getByRole('button', { name: 'Menu', exact: true }).click();
    await expect(page.getByRole('dialog', { name: 'Menu' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Luk menu' })).toBeFocused();
  }
  await use(page.getByRole('navigation', { name: 'Hovedmenu' }));
  if (phone) {
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog', { name: 'Menu' })).toBeHidden();
    await expect(page.getByRole('button', { name: 'Menu', exact: true })).toBeFocused();
  }
}

for (const [index, { label, width, height }] of [
  { label: 'desktop, 1280 px', width: 1280, height: 800 },
  { label: 'phone, 390 px', width: 390, height: 844 },
].entries()) {
  test(`the adviser's day (${label})`, async ({ browser, request }) => {
    test.setTimeout(240_000);
    const phone = width < 992;
    const stamp = `${Date.now()}`;
    const viewport = { width, height };
    const kommuneCtx = await browser.newContext({ storageState: authFile('kommune'), viewport });
    const hubCtx = await browser.newContext({ storageState: authFile('adviser'), viewport });
    const company = await freshSonderborgCompany(kommuneCtx.request, index);
    const need = `Vi vil sælge vores produkter i Tyskland og har brug for en plan (${stamp})`;

    // ── A company asks for guidance on the public form's API ────────────────────────────────
    const receivedAt = new Date();
    const submitted = await request.post('/api/v1/public/guidance-requests', {
      headers: { 'Idempotency-Key': `day-${stamp}` },
      data: {
        cvr: company.cvr,
        municipalityCode: 540,
        contact: { name: 'Mette Holm', email: `mette.${stamp}@example.dk`, phone: '12 34 56 78' },
        need,
        themes: ['export'],
        consents: { sharing: true, evaluation: true },
      },
    });
    expect(submitted.status(), await submitted.text()).toBe(201);
    // The deadline is the working-day rule's: two working days from the Danish date it arrived.
    const expectedDeadline = deadlineText(deadlineAfter(receivedAt, 2), 'da');

    // ── Sønderborg's adviser: the count in the menu, then the request from the mail ─────────
    const kommune = await kommuneCtx.newPage();
    await kommune.goto('/mit-arbejde');
    await expect(kommune.getByRole('heading', { level: 1, name: 'Mit arbejde' })).toBeVisible();
    await withMenu(kommune, phone, async (nav) => {
      await expect(nav.getByRole('link', { name: /^Henvendelser \(\d+ nye?\b/ })).toBeVisible();
    });
    await expectNoSeriousA11yViolations(kommune, `my work (${label})`);

    const leadMail = await waitForMail(demoUsers.kommune, { contains: stamp });
    expect(leadMail).toContain(company.name);
    expect(leadMail).toContain(expectedDeadline);
    await kommune.goto(linkIn(leadMail, '/henvendelser/'));
    await expect(kommune.getByRole('heading', { level: 1, name: new RegExp(company.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i') })).toBeVisible();
    await expect(kommune.locator('main')).toContainText(need);
    await expect(kommune.locator('main time').first()).toHaveText(expectedDeadline);
    await expectNoSeriousA11yViolations(kommune, `request (${label})`);

    // "Opret forløb": the company is named, not typed; the need is the description.
    await kommune.getByRole('link', { name: 'Opret forløb' }).click();
    await expect(kommune).toHaveURL(/\/forloeb\/nyt\?henvendelse=/);
    await expect(kommune.getByRole('heading', { level: 1, name: 'Opret forløb' })).toBeVisible();
    await expect(kommune.getByLabel('CVR-nummer')).toHaveCount(0);
    await expect(kommune.locator('.kp-lead-source')).toContainText(company.cvr);
    await expect(kommune.getByLabel(/^Beskrivelse/)).toHaveValue(need);
    await expectNoSeriousA11yViolations(kommune, `engagement form from a request (${label})`);
    await kommune.getByLabel('Basal').check();
    await kommune.getByRole('button', { name: 'Opret forløb' }).click();
    await expect(kommune).toHaveURL(/\/forloeb\/[0-9a-f-]{36}$/);
    const engagementHeading = kommune.getByRole('heading', { level: 1 });
    await expect(engagementHeading).toContainText(company.name);
    await expect(engagementHeading).toBeFocused();
    if (phone) expect(await hasNoHorizontalScroll(kommune)).toBe(true);

    // A meeting, with its follow-up task in the same step.
    const subject = `Møde om eksport (${stamp})`;
    await kommune.locator('.kp-engagement-activity summary').click();
    const activityForm = kommune.locator('.kp-engagement-activity form');
    await activityForm.getByLabel('Type').selectOption({ label: 'Møde' });
    await activityForm.getByLabel('Emne').fill(subject);
    await activityForm.getByLabel('Opret en opfølgningsopgave').check();
    await expect(activityForm.getByLabel('Opgave', { exact: true })).toHaveValue(`Følg op: ${subject}`);
    await activityForm.getByRole('button', { name: 'Registrér aktivitet' }).click();
    await expect(kommune.locator('.kp-engagement-activity .alert-success')).toBeFocused();
    await expect(kommune.locator('.kp-engagement-activity .alert-success')).toContainText('opfølgningsopgaven');
    await expect(kommune.locator('table.kp-tasks-open tbody tr', { hasText: `Følg op: ${subject}` })).toBeVisible();
    await expectNoSeriousA11yViolations(kommune, `engagement with activity and task (${label})`);

    // Refer to the hub: the municipality's hub is suggested first; the consent goes with it.
    await kommune.locator('.kp-referral-create summary').click();
    const referralForm = kommune.locator('.kp-referral-create form');
    const receiverBox = referralForm.getByRole('combobox', { name: 'Modtager' });
    await receiverBox.press('ArrowDown');
    await expect(referralForm.getByRole('listbox').getByRole('option').first()).toContainText('Erhvervshus Sydjylland (foreslået)');
    await referralForm.getByRole('option', { name: /Erhvervshus Sydjylland/ }).first().click();
    await expect(receiverBox).toHaveValue('Erhvervshus Sydjylland');
    await referralForm.getByLabel('Hvad skal modtageren hjælpe virksomheden med?').fill(`Markedsafklaring for Tyskland (${stamp})`);
    const consent = referralForm.getByRole('group', { name: 'Samtykke til deling' });
    await consent.getByLabel('Samtykke givet af').fill('Mette Holm');
    await consent.getByLabel('Kanal').selectOption({ label: 'Møde' });
    await expectNoSeriousA11yViolations(kommune, `referral form (${label})`);
    await referralForm.getByRole('button', { name: 'Send henvisning' }).click();
    await expect(kommune.locator('.kp-referral-create .alert-success')).toBeFocused();

    // The request moved on: it is in progress and names its engagement.
    await kommune.goto(linkIn(leadMail, '/henvendelser/'));
    await expect(kommune.locator('main')).toContainText('Under behandling');
    await expect(kommune.getByRole('link', { name: 'Se forløbet' })).toBeVisible();

    // ── The hub's adviser: the mail, accept, complete with feedback ─────────────────────────
    const hub = await hubCtx.newPage();
    const referralMail = await waitForMail(demoUsers.adviser, { contains: stamp });
    expect(referralMail).toContain(company.name);
    await hub.goto(linkIn(referralMail, '/henvisninger/'));
    await expect(hub.getByRole('heading', { level: 1 })).toContainText(company.name);
    await expect(hub.locator('main')).toContainText(`Markedsafklaring for Tyskland (${stamp})`);
    await expectNoSeriousA11yViolations(hub, `referral (${label})`);
    await hub.getByRole('button', { name: 'Acceptér' }).click();
    const accepted = hub.locator('.alert-success').filter({ hasText: 'accepteret' });
    await expect(accepted).toBeFocused();
    await expect(accepted.getByRole('link', { name: 'Opret eget forløb' })).toBeVisible();

    await hub.getByRole('button', { name: 'Afslut med tilbagemelding' }).click();
    await hub.getByRole('textbox', { name: 'Tilbagemelding' }).fill('Markedsafklaring gennemført; virksomheden har en plan for Tyskland.');
    await hub.getByRole('button', { name: 'Fortsæt' }).click();
    await expect(hub.getByRole('heading', { name: 'Bekræft tilbagemeldingen' })).toBeFocused();
    await expectNoSeriousA11yViolations(hub, `referral: confirm feedback (${label})`);
    await hub.getByRole('button', { name: 'Send tilbagemelding' }).click();
    await expect(hub.locator('.alert-success').filter({ hasText: 'tilbagemelding' })).toBeFocused();
    await expect(hub.locator('main')).toContainText('Afsluttet');
    if (phone) expect(await hasNoHorizontalScroll(hub)).toBe(true);

    // The sender reads the feedback on the same referral.
    await kommune.goto(linkIn(referralMail, '/henvisninger/'));
    await expect(kommune.locator('main')).toContainText('Markedsafklaring gennemført');
    await expect(kommune.locator('main')).toContainText('Afsluttet');

    await kommuneCtx.close();
    await hubCtx.close();
  });
}
