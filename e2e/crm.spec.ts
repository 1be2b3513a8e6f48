import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './axe.ts';
import { authFile, search, sonderborgCompanyWithoutConsent } from './helpers.ts';

async function openTab(page: Page, name: string): Promise<void> {
  await page.getByRole('tab', { name }).click();
  await expect(page.getByRole('tab', { name })).toHaveAttribute('aria-selected', 'true');
}

test.describe('a referral from a local business service to the hub and back with feedback', () => {
  test.setTimeout(180_000);

  test('kommune refers, the hub receives, accepts and completes, kommune sees the feedback', async ({ browser }) => {
    const stamp = Date.now();
    const contactName = `Kontakt ${stamp}`;
    const subject = `Opstartsmøde ${stamp}`;
    const reason = `Virksomheden vil eksportere til Tyskland (${stamp})`;
    const feedback = `Vi har holdt to møder og lagt en eksportplan (${stamp}).`;

    // ── Sønderborg Erhvervsservice (kommune@) ───────────────────────────────────────────────
    const kommuneCtx = await browser.newContext({ storageState: authFile('kommune') });
    const kommune = await kommuneCtx.newPage();
    const company = await sonderborgCompanyWithoutConsent(kommune.request);

    await kommune.goto('/');
    await search(kommune, company.cvr);
    await kommune.getByRole('link', { name: company.name }).first().click();
    await expect(kommune).toHaveURL(new RegExp(`/virksomheder/${company.cvr}`));
    await expect(kommune.getByRole('heading', { level: 1, name: company.name })).toBeVisible();
    await expect(kommune.getByRole('tab', { name: 'Tidslinje' })).toHaveAttribute('aria-selected', 'true');
    await expect(kommune.locator('#panel-tidslinje .spinner-status')).toHaveCount(0);
    await expectNoSeriousA11yViolations(kommune, 'company page: timeline');

    // Record a contact.
    await openTab(kommune, 'Kontaktpersoner');
    const contactForm = kommune.locator('#panel-kontakter form');
    await contactForm.getByLabel('Navn', { exact: true }).fill(contactName);
    await contactForm.getByLabel(/^Titel/).fill('Direktør');
    await contactForm.getByLabel(/^E-mail/).fill(`kontakt${stamp}@example.dk`);
    await contactForm.getByLabel(/^Telefon/).fill('12 34 56 78');
    await contactForm.getByRole('button', { name: 'Tilføj kontaktperson' }).click();
    await expect(kommune.locator('#panel-kontakter .alert-success')).toBeVisible();
    await expect(kommune.locator('table.kp-contacts tbody tr', { hasText: contactName })).toContainText('Direktør');
    await expectNoSeriousA11yViolations(kommune, 'company page: contacts');

    await openTab(kommune, 'Samtykker');
    await expect(kommune.getByText('Virksomheden har ingen aktive samtykker.')).toBeVisible();
    await expectNoSeriousA11yViolations(kommune, 'company page: consents');

    // Create an engagement from the company page.
    await openTab(kommune, 'Forløb');
    await kommune.getByRole('link', { name: 'Opret forløb' }).click();
    await expect(kommune).toHaveURL(new RegExp(`/forloeb/nyt\\?cvr=${company.cvr}`));
    await expect(kommune.getByRole('heading', { level: 1, name: 'Opret forløb' })).toBeVisible();
    await expect(kommune.getByLabel('CVR-nummer')).toHaveValue(company.cvr);
    // Only Early Warning users are offered the confidential flag.
    await expect(kommune.getByLabel('Fortroligt (Early Warning)')).toHaveCount(0);
    const themes = kommune.getByRole('group', { name: /Temaer/ });
    await expect(themes.getByRole('checkbox').first()).toBeVisible();
    await expectNoSeriousA11yViolations(kommune, 'engagement form');
    await kommune.getByLabel('Basal').check();
    await themes.getByRole('checkbox').first().check();
    await kommune.getByLabel(/^Beskrivelse/).fill(`Eksportparathed (${stamp})`);
    await kommune.getByRole('button', { name: 'Opret forløb' }).click();

    await expect(kommune).toHaveURL(/\/forloeb\/[0-9a-f-]{36}$/);
    const engagementUrl = kommune.url();
    await expect(kommune.getByRole('heading', { level: 1, name: `Forløb: ${company.name}` })).toBeVisible();
    await expect(kommune.locator('.kp-engagement-dl')).toContainText('Basal');
    await expect(kommune.locator('.kp-engagement-dl')).toContainText('Sønderborg');

    // Record an activity on the engagement.
    await kommune.locator('.kp-engagement-activity summary').click();
    const activityForm = kommune.locator('.kp-engagement-activity form');
    await activityForm.getByLabel('Type').selectOption({ label: 'Møde' });
    await activityForm.getByLabel(/^Varighed/).fill('60');
    await activityForm.getByLabel('Emne').fill(subject);
    await activityForm.getByLabel(/^Noter/).fill('Gennemgang af eksportplaner.');
    await activityForm.getByLabel(/^Kontaktperson/).selectOption({ label: `${contactName} (Direktør)` });
    await activityForm.getByRole('button', { name: 'Registrér aktivitet' }).click();
    const activityRow = kommune.locator('table.kp-activities tbody tr', { hasText: subject });
    await expect(activityRow).toContainText('Møde');
    await expect(activityRow).toContainText('60 min.');
    await expect(activityRow).toContainText(contactName);
    await expect(activityRow.locator('td').first()).toHaveText(/^\d{2}\.\d{2}\.\d{4}$/);
    await expectNoSeriousA11yViolations(kommune, 'engagement page');

    // Refer to the hub, giving the consent inline.
    await kommune.locator('.kp-referral-create summary').click();
    const referralForm = kommune.locator('.kp-referral-create form');
    // Sent empty first: the missing receiver and need are named in the error summary, which takes focus.
    await referralForm.getByRole('button', { name: 'Send henvisning' }).click();
    const referralErrors = referralForm.locator('.kp-error-summary');
    await expect(referralErrors).toBeFocused();
    await expect(referralErrors).toContainText('Vælg en modtager i listen.');
    await expect(referralErrors).toContainText('Skriv, hvad modtageren skal hjælpe virksomheden med.');
    // The receiver search: the municipality's hub is suggested first; KKRs are never offered.
    const receiverBox = referralForm.getByRole('combobox', { name: 'Modtager' });
    await receiverBox.fill('KKR');
    await expect(referralForm.getByRole('listbox').getByRole('option')).toHaveCount(0);
    await receiverBox.fill('');
    await receiverBox.press('ArrowDown');
    await expect(referralForm.getByRole('listbox').getByRole('option').first()).toContainText('Erhvervshus Sydjylland (foreslået)');
    await receiverBox.fill('sydjyll');
    await referralForm.getByRole('option', { name: /Erhvervshus Sydjylland/ }).click();
    await expect(receiverBox).toHaveValue('Erhvervshus Sydjylland');
    await referralForm.getByLabel('Hvad skal modtageren hjælpe virksomheden med?').fill(`${reason}. Et møde med en eksportrådgiver.`);
    await referralForm.getByLabel(/^Kontaktperson/).selectOption({ label: `${contactName} (Direktør)` });
    const consent = referralForm.getByRole('group', { name: 'Samtykke til deling' });
    await expect(consent).toBeVisible();
    await consent.getByLabel('Samtykke givet af').fill(contactName);
    await consent.getByLabel('Kanal').selectOption({ label: 'Møde' });
    await expectNoSeriousA11yViolations(kommune, 'engagement page: referral form');
    await referralForm.getByRole('button', { name: 'Send henvisning' }).click();
    await expect(kommune.locator('.kp-referral-create .alert-success')).toBeFocused();
    const sentCard = kommune.locator('article.kp-referral', { hasText: reason });
    await expect(sentCard).toContainText('Erhvervshus Sydjylland');
    await expect(sentCard.locator('.kp-badges')).toContainText('Sendt');

    // The consent recorded with the referral now shows on the company.
    await kommune.goto(`/virksomheder/${company.cvr}?fane=samtykker`);
    await expect(kommune.locator('table.kp-consents-active tbody tr', { hasText: contactName })).toContainText('Erhvervshus Sydjylland');

    // ── Erhvervshus Sydjylland (adviser@) ───────────────────────────────────────────────────
    const hubCtx = await browser.newContext({ storageState: authFile('adviser') });
    const hub = await hubCtx.newPage();
    await hub.goto('/mit-arbejde');
    await expect(hub.getByRole('heading', { level: 1, name: 'Mit arbejde' })).toBeVisible();
    await expect(hub.locator('table.kp-work-waiting tbody tr', { hasText: company.name }).first()).toBeVisible();

    await hub.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Henvisninger' }).click();
    await expect(hub.getByRole('heading', { level: 1, name: 'Henvisninger' })).toBeVisible();
    await expect(hub.getByRole('tab', { name: 'Indbakke' })).toHaveAttribute('aria-selected', 'true');
    const row = hub.locator('table.kp-referrals-inbox tbody tr', { hasText: reason });
    await expect(row).toContainText(company.name);
    await expect(row).toContainText('Sønderborg');
    await expect(row).toContainText('Sendt');
    await expectNoSeriousA11yViolations(hub, 'referrals inbox');
    // Sorting by deadline is the server's, told by aria-sort.
    await hub.getByRole('button', { name: 'Svarfrist' }).click();
    await expect(hub).toHaveURL(/sorter=frist/);
    await expect(hub.getByRole('columnheader', { name: 'Svarfrist' })).toHaveAttribute('aria-sort', 'ascending');
    // Back to the default order (newest first), where the new referral is on the first page.
    await hub.goto('/henvisninger');

    // The referral's own page: everything it carries, and the receiver's answers.
    await row.getByRole('link', { name: company.name }).click();
    await expect(hub).toHaveURL(/\/henvisninger\/[0-9a-f-]{36}$/);
    await expect(hub.getByRole('heading', { level: 1 })).toContainText(company.name);
    const page = hub.locator('.kp-referral-page');
    await expect(page).toContainText(contactName);
    await expect(page).toContainText('Erhvervsservice Sønderborg Kommune');
    await hub.getByRole('button', { name: 'Modtag' }).click();
    await expect(page.locator('.kp-badges')).toContainText('Modtaget');
    await expect(hub.locator('.kp-referral-actions .alert-success')).toBeFocused();
    await hub.getByRole('button', { name: 'Acceptér' }).click();
    await expect(page.locator('.kp-badges')).toContainText('Accepteret');
    const accepted = hub.locator('.kp-referral-actions .alert-success');
    await expect(accepted).toBeFocused();
    await expect(accepted.getByRole('link', { name: 'Opret eget forløb' })).toHaveAttribute('href', /\/forloeb\/nyt\?henvisning=/);
    await hub.getByRole('button', { name: 'Afslut med tilbagemelding' }).click();
    await expect(hub.getByLabel('Tilbagemelding', { exact: true })).toBeFocused();
    await hub.getByLabel('Tilbagemelding', { exact: true }).fill(feedback);
    await expectNoSeriousA11yViolations(hub, 'referral: feedback form');
    await hub.getByRole('button', { name: 'Fortsæt' }).click();
    await expect(hub.getByRole('heading', { name: 'Bekræft tilbagemeldingen' })).toBeFocused();
    await hub.getByRole('button', { name: 'Send tilbagemelding' }).click();
    await expect(page.locator('.kp-badges')).toContainText('Afsluttet');
    await expect(hub.locator('.kp-referral-actions .alert-success')).toBeFocused();
    await expect(page).toContainText(feedback);

    // ── Back at Sønderborg: the outbox shows the completed referral with the feedback ──────
    await kommune.goto('/henvisninger');
    await kommune.getByRole('tab', { name: 'Udbakke' }).click();
    const outRow = kommune.locator('table.kp-referrals-outbox tbody tr', { hasText: reason });
    await expect(outRow).toContainText('Afsluttet');
    await expectNoSeriousA11yViolations(kommune, 'referrals outbox');

    // The status filter applies at once and keeps it; the sender opens the referral and sees the feedback.
    await kommune.getByLabel('Status').selectOption({ label: 'Afsluttet' });
    await expect(kommune).toHaveURL(/status=completed/);
    await expect(outRow).toBeVisible();
    await outRow.getByRole('link', { name: company.name }).click();
    await expect(kommune.locator('.kp-referral-page')).toContainText(feedback);
    await kommune.goto(engagementUrl);
    await expect(kommune.locator('article.kp-referral', { hasText: reason })).toContainText(feedback);

    // The company timeline lists the engagement, the activity and the referral, newest first.
    await kommune.goto(`/virksomheder/${company.cvr}`);
    const timeline = kommune.locator('table.kp-timeline tbody');
    await expect(timeline).toContainText(subject);
    await expect(timeline.locator('tr', { hasText: 'Henvisning' }).first()).toBeVisible();

    // Close the engagement with an outcome.
    await kommune.goto(engagementUrl);
    await kommune.locator('.kp-close-engagement summary').click();
    const closeForm = kommune.locator('.kp-close-engagement form');
    await closeForm.getByLabel('Resultat').fill('Henvist til erhvervshuset, som har lagt en eksportplan.');
    await closeForm.getByRole('button', { name: 'Fortsæt' }).click();
    // The confirm step takes focus and says what closing does about the evaluation (the server's answer).
    const confirm = kommune.locator('.kp-close-confirm');
    await expect(confirm.getByRole('heading', { name: 'Vil du lukke forløbet?' })).toBeFocused();
    await expect(confirm.locator('.kp-close-evaluation')).toContainText('Der sendes ingen invitation til evaluering: basal vejledning evalueres ikke.');
    await expectNoSeriousA11yViolations(kommune, 'engagement: confirm closing');
    await confirm.getByRole('button', { name: 'Ja, luk forløbet' }).click();
    await expect(kommune.locator('.kp-close-result')).toBeFocused();
    await expect(kommune.locator('.kp-engagement-dl')).toContainText('Lukket');
    await expect(kommune.locator('.kp-engagement-dl')).toContainText('Henvist til erhvervshuset');
    await expect(kommune.locator('.kp-close-engagement')).toHaveCount(0);

    await kommuneCtx.close();
    await hubCtx.close();
  });
});

test.describe('consents', () => {
  test.use({ storageState: authFile('adviser') });

  test('an adviser records a consent for named organisations and withdraws it', async ({ page }) => {
    const giver = `Giver ${Date.now()}`;
    await page.goto('/virksomheder/35682872?fane=samtykker');
    await expect(page.getByRole('tab', { name: 'Samtykker' })).toHaveAttribute('aria-selected', 'true');
    await page.getByLabel('Deling af oplysninger').check();
    await page.getByLabel('Navngivne organisationer').check();
    await page.getByLabel('Organisationer', { exact: true }).selectOption([{ label: 'Erhvervsservice Sønderborg Kommune' }, { label: 'Erhvervshus Fyn' }]);
    const name = page.getByLabel('Navn på den, der gav samtykket');
    if ((await page.getByLabel('Kontaktperson, der gav samtykket').count()) > 0) {
      await page.getByLabel('Kontaktperson, der gav samtykket').selectOption({ label: 'Anden person (skriv navnet)' });
    }
    await name.fill(giver);
    await page.getByLabel('Kanal').selectOption({ label: 'Telefon' });
    await page.getByLabel(/^Udløbsdato/).fill('31.12.2030');
    await expectNoSeriousA11yViolations(page, 'company page: consent form');
    await page.getByRole('button', { name: 'Registrér samtykke' }).click();

    const row = page.locator('table.kp-consents-active tbody tr', { hasText: giver });
    await expect(row).toContainText('Erhvervsservice Sønderborg Kommune');
    await expect(row).toContainText('Erhvervshus Fyn');
    await expect(row).toContainText('Telefon');
    await expect(row).toContainText('31.12.2030');

    await row.getByRole('button', { name: `Tilbagekald samtykke givet af ${giver}` }).click();
    await expect(page.getByText(`Vil du tilbagekalde samtykket givet af ${giver}?`, { exact: false })).toBeVisible();
    await page.getByRole('button', { name: 'Ja, tilbagekald' }).click();
    await expect(page.locator('table.kp-consents-active tbody tr', { hasText: giver })).toHaveCount(0);
    await expect(page.locator('table.kp-consents-inactive tbody tr', { hasText: giver })).toContainText(/\d{2}\.\d{2}\.\d{4}/);
  });
});

test.describe('engagement editing', () => {
  test.use({ storageState: authFile('adviser') });

  test('a stale edit answers "Forløbet er ændret af en anden"', async ({ page }) => {
    await page.goto('/mit-arbejde');
    const first = page.locator('table.kp-work-open tbody tr a').first();
    await expect(first).toBeVisible();
    await first.click();
    await expect(page).toHaveURL(/\/forloeb\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').pop()!;
    await page.locator('.kp-edit-engagement summary').click();
    const form = page.locator('.kp-edit-engagement form');
    await expect(form.getByLabel('Beskrivelse')).toBeVisible();

    // Someone else saves in between (through the API, with the same session's CSRF token).
    const session = (await (await page.request.get('/api/v1/auth/session')).json()) as { csrfToken: string };
    const current = (await (await page.request.get(`/api/v1/engagements/${id}`)).json()) as { version: number; description: string };
    const res = await page.request.patch(`/api/v1/engagements/${id}`, {
      headers: { 'x-csrf-token': session.csrfToken },
      data: { version: current.version, description: `${current.description} (ændret)` },
    });
    expect(res.status()).toBe(200);

    await form.getByLabel('Beskrivelse').fill('Min ændring');
    await form.getByRole('button', { name: 'Gem ændringer' }).click();
    await expect(page.getByText('Forløbet er ændret af en anden. Genindlæs siden.')).toBeVisible();
  });
});

test.describe('Early Warning', () => {
  test.use({ storageState: authFile('ew') });

  test('an EW adviser is offered the confidential flag', async ({ page }) => {
    await page.goto('/forloeb/nyt?cvr=35682872');
    await expect(page.getByLabel('Fortroligt (Early Warning)')).toBeVisible();
  });
});

test.describe('KKR sees aggregates only', () => {
  test.use({ storageState: authFile('reader') });

  test('the company page shows register data and a note instead of CRM data', async ({ page }) => {
    await page.goto('/virksomheder/35682872');
    await expect(page.getByRole('heading', { level: 1, name: 'ASSURE WEALTH A/S' })).toBeVisible();
    await expect(page.getByText('Du ser kun aggregerede tal.')).toBeVisible();
    await expect(page.getByRole('tab')).toHaveCount(0);
    const nav = page.getByRole('navigation', { name: 'Hovedmenu' });
    await expect(nav.getByRole('link', { name: 'Henvisninger' })).toHaveCount(0);
    await expectNoSeriousA11yViolations(page, 'company page (KKR)');
  });
});

test.describe('my work and the audit log', () => {
  test('an adviser lands on "Mit arbejde"', async ({ browser }) => {
    const ctx = await browser.newContext({ storageState: authFile('adviser') });
    const page = await ctx.newPage();
    await page.goto('/mit-arbejde');
    await expect(page.getByRole('heading', { level: 1, name: 'Mit arbejde' })).toBeVisible();
    const nav = page.getByRole('navigation', { name: 'Hovedmenu' });
    await expect(nav.locator('.kp-nav-name').first()).toHaveText('Mit arbejde');
    await expect(page.getByRole('heading', { level: 2, name: 'Mine åbne forløb' })).toBeVisible();
    await expect(page.locator('.spinner-status')).toHaveCount(0);
    await expectNoSeriousA11yViolations(page, 'my work');
    await ctx.close();
  });

  test('an admin filters the audit log by CVR', async ({ browser }) => {
    const ctx = await browser.newContext({ storageState: authFile('admin') });
    const page = await ctx.newPage();
    // Reading a company's consents is written to the log.
    expect((await page.request.get('/api/v1/companies/35682872/consents')).ok()).toBeTruthy();
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Log' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Log' })).toBeVisible();
    await expect(page.locator('table.kp-audit tbody tr').first()).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'audit log');

    await page.getByLabel('CVR-nummer').fill('35682872');
    await page.getByRole('button', { name: 'Filtrér' }).click();
    await expect(page).toHaveURL(/cvr=35682872/);
    const rows = page.locator('table.kp-audit tbody tr');
    await expect(rows.first()).toContainText('35682872');
    await expect(rows.first().locator('td').first()).toHaveText(/^\d{2}\.\d{2}\.\d{4}/);

    await page.getByLabel('Bruger (e-mail eller id)').fill('admin@demo.knudepunkt.dk');
    await page.getByRole('button', { name: 'Filtrér' }).click();
    await expect(rows.first()).toContainText('admin@demo.knudepunkt.dk');
    await ctx.close();
  });
});
