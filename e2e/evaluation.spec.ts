import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './axe.ts';
import { authFile, csrf, demoUsers, hasNoHorizontalScroll, noHorizontalScrollAt360, signIn } from './helpers.ts';
import { waitForMail } from './mail.ts';

interface CompanyItem {
  cvr: string;
  name: string;
}

async function postJson<T>(request: APIRequestContext, url: string, headers: Record<string, string>, data: unknown): Promise<T> {
  const res = await request.post(url, { headers, data });
  expect(res.ok(), `POST ${url} answered ${res.status()}: ${await res.text()}`).toBeTruthy();
  return (await res.json()) as T;
}

/** The period line of an answer under disclosure control without dates: a whole calendar quarter, the Danish way. */
const QUARTER_DA = /^Periode: 01\.(01|04|07|10)\.\d{4}–(31\.03|30\.06|30\.09|31\.12)\.\d{4}$/;

/** The overall number of answers shown on the dashboard (Danish thousands separators removed). */
async function answersOnDashboard(page: Page): Promise<number> {
  await page.goto('/evaluering');
  await expect(page.getByRole('heading', { level: 1, name: 'Brugerevaluering' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Samlet resultat for Erhvervshus Sydjylland' })).toBeVisible();
  const value = page.locator('.kp-eval-card-answers .kp-eval-value');
  await expect(value).toHaveText(/^\d[\d.]*$/);
  return Number((await value.textContent())!.replace(/\./g, ''));
}

test.describe('user evaluation (brugerevaluering)', () => {
  test.setTimeout(180_000);

  test('Browser tests answer an evaluation from the mailed link and see the result on the dashboard', async ({ browser }) => {
    const stamp = Date.now();
    const email = `evaluering${stamp}@example.dk`;
    const contactName = `Evaluering Kontakt ${stamp}`;
    const comment = `Rigtig god og konkret vejledning (${stamp}).`;

    // ── Erhvervshus Sydjylland (adviser@): the figures before, then a guided company ─────────
    const hubCtx = await browser.newContext({ storageState: authFile('adviser') });
    const hub = await hubCtx.newPage();
    const before = await answersOnDashboard(hub);
    await expect(hub.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Brugerevaluering' })).toHaveAttribute('aria-current', 'page');
    await expect(hub.locator('.kp-eval-card-nps .kp-eval-value')).toHaveText(/^-?\d+(,\d)?$/);
    await expect(hub.locator('.kp-eval-card-nps')).toContainText(/Mål 1: (\d+ % opfyldt|Ingen data)/);
    await expect(hub.locator('.kp-eval-card-effect .kp-eval-value')).toHaveText(/^(\d+(,\d)? %|Ingen data)$/);
    await expect(hub.locator('table.kp-eval-groups tbody tr').first()).toBeVisible();
    await expect(hub.getByRole('link', { name: 'Hent som CSV' })).toHaveAttribute('href', /^\/api\/v1\/evaluations\/results\.csv\?/);
    await expect(hub.getByRole('heading', { level: 2, name: 'Kommentarer' })).toBeVisible();
    // The hub's own results are not under disclosure control: no period imposed, no note.
    await expect(hub.locator('.kp-eval-disclosure')).toHaveCount(0);
    await expect(hub.locator('.kp-eval-disclosure-hint')).toHaveCount(0);
    await expectNoSeriousA11yViolations(hub, 'evaluation dashboard');

    const headers = await csrf(hub.request);
    const companies = await hub.request.get('/api/v1/companies?municipality=540&pageSize=20');
    expect(companies.ok(), `company search answered ${companies.status()}`).toBeTruthy();
    const company = ((await companies.json()) as { items: CompanyItem[] }).items[0];
    expect(company, 'a Sønderborg company in the demo data').toBeTruthy();
    const cvr = company!.cvr;

    const contact = await postJson<{ id: string }>(hub.request, `/api/v1/companies/${cvr}/contacts`, headers, { name: contactName, email });
    await postJson(hub.request, `/api/v1/companies/${cvr}/consents`, headers, {
      purpose: 'evaluation',
      scope: 'all',
      givenByContactId: contact.id,
      givenByName: contactName,
      channel: 'meeting',
    });
    const engagement = await postJson<{ id: string; version: number }>(hub.request, '/api/v1/engagements', headers, {
      companyCvr: cvr,
      level: 'specialised',
      themes: ['growth'],
    });
    await postJson(hub.request, `/api/v1/engagements/${engagement.id}/close`, headers, {
      version: engagement.version,
      outcome: `Vækstplan lagt (${stamp}).`,
    });

    // ── The mail with the personal link ────────────────────────────────────────────────────
    const mail = await waitForMail(email);
    const link = /http:\/\/localhost:\d+\/evaluering\/([\w-]+)(?=\s|$)/m.exec(mail);
    expect(link, `an evaluation link in the mail:\n${mail}`).toBeTruthy();
    const token = link![1]!;
    const answerPath = new URL(link![0]).pathname;
    expect(mail).toContain(`${answerPath}/afmeld`);

    // ── The company's contact, signed out ──────────────────────────────────────────────────
    const publicCtx = await browser.newContext();
    const pub = await publicCtx.newPage();
    await pub.goto(answerPath);
    await expect(pub).toHaveURL(new RegExp(`/evaluering/${token}$`));
    await expect(pub.getByRole('heading', { level: 1, name: 'Evaluering af vejledningen' })).toBeVisible();
    await expect(pub.getByText('Erhvervshus Sydjylland vil gerne høre')).toBeVisible();
    // A public page: the product name and the language switch, no app navigation, no sign-out.
    await expect(pub.getByRole('banner')).toContainText('Knudepunkt');
    await expect(pub.getByRole('banner').getByRole('button', { name: /English/ })).toBeVisible();
    await expect(pub.getByRole('navigation', { name: 'Hovedmenu' })).toHaveCount(0);
    await expect(pub.getByRole('button', { name: 'Log ud' })).toHaveCount(0);

    const npsGroup = pub.getByRole('group', { name: /Hvor sandsynligt er det, at du vil anbefale erhvervshuset/ });
    const effectGroup = pub.getByRole('group', { name: /Forventer du, at vejledningen vil få positiv effekt/ });
    await expect(npsGroup.getByRole('radio')).toHaveCount(11);
    await expect(npsGroup.getByLabel('0 – Slet ikke sandsynligt')).toBeVisible();
    await expect(npsGroup.getByLabel('10 – Meget sandsynligt')).toBeVisible();
    await expect(effectGroup.getByRole('radio')).toHaveCount(5);
    for (const label of ['I høj grad', 'I nogen grad', 'I lav grad', 'Slet ikke', 'Ved ikke']) {
      await expect(effectGroup.getByLabel(label, { exact: true })).toBeVisible();
    }
    await expectNoSeriousA11yViolations(pub, 'evaluation answer page (open)');

    // Both questions are required: the error summary lists them before anything is sent.
    await pub.getByRole('button', { name: 'Send svar' }).click();
    const summary = pub.locator('.kp-error-summary');
    await expect(summary).toBeVisible();
    await expect(summary).toBeFocused();
    await expect(summary).toContainText('Der er problemer');
    await expect(summary.getByRole('link')).toHaveCount(2);
    await expectNoSeriousA11yViolations(pub, 'evaluation answer page (errors)');
    await summary.getByRole('link').first().click();
    await expect(npsGroup.getByRole('radio').first()).toBeFocused();

    // 360 px wide (a phone): no horizontal scrolling.
    await noHorizontalScrollAt360(pub);

    // Keyboard: choose 10 on the scale with the arrow keys from 9.
    await npsGroup.getByLabel('9', { exact: true }).check();
    await pub.keyboard.press('ArrowRight');
    await expect(npsGroup.getByLabel('10 – Meget sandsynligt')).toBeChecked();
    await effectGroup.getByLabel('I høj grad', { exact: true }).check();
    await pub.getByLabel('Kommentar (valgfri)').fill(comment);
    const answered = pub.waitForResponse((r) => r.url().endsWith(`/api/v1/public/evaluations/${token}`) && r.request().method() === 'POST');
    await pub.getByRole('button', { name: 'Send svar' }).click();
    const answer = await answered;
    expect(answer.status()).toBe(201);
    expect(answer.request().postDataJSON()).toEqual({ nps: 10, effect: 'i høj grad', comment });
    await expect(pub.getByRole('heading', { level: 1, name: 'Tak for dit svar' })).toBeVisible();
    await expect(pub.getByRole('heading', { level: 1, name: 'Tak for dit svar' })).toBeFocused();
    await expectNoSeriousA11yViolations(pub, 'evaluation answer page (thank you)');

    await pub.reload();
    await expect(pub.getByRole('heading', { level: 1, name: 'Du har allerede svaret' })).toBeVisible();
    await expect(pub.getByText('Der er allerede svaret via dette link. Tak for dit svar.')).toBeVisible();
    await expect(pub.getByRole('button', { name: 'Send svar' })).toHaveCount(0);

    // In English.
    await pub.getByRole('banner').getByRole('button', { name: /English/ }).click();
    await expect(pub.getByRole('heading', { level: 1, name: 'You have already answered' })).toBeVisible();
    await pub.getByRole('banner').getByRole('button', { name: /Dansk/ }).click();

    // An unknown link: a friendly page, not an error.
    await pub.goto('/evaluering/ukendt-link-0000000000000000000000');
    await expect(pub.getByRole('heading', { level: 1, name: 'Linket er ukendt' })).toBeVisible();
    await expect(pub).toHaveURL(/\/evaluering\/ukendt-link-/);
    await expectNoSeriousA11yViolations(pub, 'evaluation answer page (unknown link)');

    // The unsubscribe page of the mailed link.
    await pub.goto(`${answerPath}/afmeld`);
    await expect(pub.getByRole('heading', { level: 1, name: 'Frameld evalueringer' })).toBeVisible();
    await expectNoSeriousA11yViolations(pub, 'evaluation unsubscribe page');
    await noHorizontalScrollAt360(pub);
    await pub.getByRole('button', { name: 'Frameld mig' }).click();
    await expect(pub.getByRole('heading', { level: 1, name: 'Du er nu frameldt' })).toBeVisible();
    await expectNoSeriousA11yViolations(pub, 'evaluation unsubscribe page (done)');
    await pub.goto(answerPath);
    // Answered before it was unsubscribed: the answer stands.
    await expect(pub.getByRole('heading', { level: 1, name: 'Du har allerede svaret' })).toBeVisible();
    await publicCtx.close();

    // ── Back at the hub: the answer counts ─────────────────────────────────────────────────
    await expect.poll(() => answersOnDashboard(hub)).toBe(before + 1);
    const comments = hub.locator('table.kp-eval-comments tbody tr', { hasText: comment });
    await expect(comments).toContainText(company!.name);
    await expect(comments).toContainText('I høj grad');
    await expectNoSeriousA11yViolations(hub, 'evaluation dashboard (after the answer)');

    // The company's evaluation consent was withdrawn by the unsubscribe.
    const consents = await hub.request.get(`/api/v1/companies/${cvr}/consents`);
    const { items } = (await consents.json()) as { items: { purpose: string; givenByContactId: string | null; active: boolean }[] };
    expect(items.filter((c) => c.purpose === 'evaluation' && c.givenByContactId === contact.id).every((c) => !c.active)).toBe(true);

    await hubCtx.close();
  });

  test('a malformed link is the friendly "unknown link" page, also at 360 px', async ({ browser }) => {
    const ctx = await browser.newContext({ viewport: { width: 360, height: 780 } });
    const page = await ctx.newPage();
    await page.goto('/evaluering/abc');
    await expect(page.getByRole('heading', { level: 1, name: 'Linket er ukendt' })).toBeVisible();
    await expect(page.locator('.alert-error')).toHaveCount(0);
    expect(await hasNoHorizontalScroll(page)).toBe(true);
    await page.goto('/evaluering/abc/afmeld');
    await expect(page.getByRole('heading', { level: 1, name: 'Linket er ukendt' })).toBeVisible();
    await ctx.close();
  });

  test('KKR readers see all hubs, small groups suppressed, and no comments', async ({ browser }) => {
    const ctx = await browser.newContext({ storageState: authFile('reader') });
    const page = await ctx.newPage();
    await page.goto('/evaluering');
    await expect(page.getByRole('heading', { level: 2, name: 'Samlet resultat for Alle erhvervshuse' })).toBeVisible();
    await expect(page.getByLabel('Erhvervshus', { exact: true })).toHaveValue('alle');
    await expect(page.getByLabel('Gruppér efter')).toHaveValue('hub');
    await expect(page.getByLabel('Rådgiver', { exact: true })).toHaveCount(0);
    const rows = page.locator('table.kp-eval-groups tbody tr');
    await expect(rows.filter({ hasText: 'Erhvervshus Sydjylland' })).toHaveCount(1);
    // Without dates the server answers for the latest ended quarter and says so.
    await expect(page.locator('.kp-eval-period')).toHaveText(QUARTER_DA);
    await expect(page.locator('.kp-eval-disclosure')).toContainText('under statistisk diskretionering');
    await expect(page.getByText(/hele måneder, kvartaler eller år/)).toBeVisible();
    // By municipality, a municipality resting on fewer than five companies (and its complement)
    // shows no figures. (Whether a whole hub is that small depends on the quarter's demo data.)
    await page.getByLabel('Gruppér efter').selectOption('municipality');
    await page.getByRole('button', { name: 'Vis resultater' }).click();
    await expect(page.getByRole('table', { name: 'Resultater grupperet efter kommune' })).toBeVisible();
    await expect(page.locator('.kp-eval-period')).toHaveText(QUARTER_DA);
    const suppressed = rows.filter({ hasText: 'Skjult' });
    await expect(suppressed.first()).toBeVisible();
    await expect(suppressed.first().locator('td')).toHaveCount(1);
    await expect(page.getByRole('heading', { name: 'Kommentarer' })).toHaveCount(0);
    await expect(page.getByText('Indstillinger for brugerevaluering')).toHaveCount(0);
    await expectNoSeriousA11yViolations(page, 'evaluation dashboard (reader)');

    // In English, with numbers the English way.
    await page.getByRole('banner').getByRole('button', { name: /English/ }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'User evaluation' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: 'Overall result for All business hubs' })).toBeVisible();
    await expect(page.locator('.kp-eval-card-nps')).toContainText(/Goal 1: (\d+ % met|No data)/);
    await expect(page.locator('.kp-eval-period')).toHaveText(/^Period: \d{2}\/\d{2}\/\d{4}–\d{2}\/\d{2}\/\d{4}$/);
    await expect(page.locator('.kp-eval-disclosure')).toContainText('statistical disclosure control');
    await page.getByRole('banner').getByRole('button', { name: /Dansk/ }).click();
    await ctx.close();
  });

  test('an adviser of a municipality, and a hub on all hubs or on another hub, see the results under disclosure control', async ({ browser }) => {
    // ── Aabenraa's business service: all hubs, protected, for the latest ended quarter ──────
    const ctx = await browser.newContext({ storageState: authFile('aabenraa') });
    const page = await ctx.newPage();
    await page.goto('/evaluering');
    await expect(page.getByRole('heading', { level: 2, name: 'Samlet resultat for Alle erhvervshuse' })).toBeVisible();
    await expect(page.getByLabel('Erhvervshus', { exact: true })).toHaveValue('alle');
    await expect(page.locator('.kp-eval-period')).toHaveText(QUARTER_DA);
    await expect(page.locator('.kp-eval-disclosure')).toContainText('Kun erhvervshuset selv ser sine egne resultater uden');
    await expect(page.getByText(/hele måneder, kvartaler eller år/)).toBeVisible();
    await expect(page.getByLabel('Rådgiver', { exact: true })).toHaveCount(0);
    await expect(page.getByRole('heading', { name: 'Kommentarer' })).toHaveCount(0);
    await expectNoSeriousA11yViolations(page, 'evaluation dashboard (municipality adviser)');

    // One delivery category in one municipality on one day would single out a company: the server
    // refuses it, and the page shows its message at the date field.
    await page.goto('/evaluering?hus=alle&kommune=540&kategori=early_warning&fra=2025-03-14&til=2025-03-14&gruppering=hub');
    await expect(page.locator('#eval-from-error')).toContainText('første dag i en måned');
    await expect(page.locator('.kp-eval-card-answers')).toHaveCount(0);
    await ctx.close();

    // ── Erhvervshus Sydjylland on all hubs, then on Erhvervshus Fyn ───────────────────────────
    const hubCtx = await browser.newContext({ storageState: authFile('adviser') });
    const hub = await hubCtx.newPage();
    await hub.goto('/evaluering');
    await expect(hub.getByRole('heading', { level: 2, name: 'Samlet resultat for Erhvervshus Sydjylland' })).toBeVisible();
    await expect(hub.locator('.kp-eval-card-answers')).toBeVisible();
    await expect(hub.locator('.kp-eval-disclosure')).toHaveCount(0);
    await hub.getByLabel('Erhvervshus', { exact: true }).selectOption('alle');
    await hub.getByRole('button', { name: 'Vis resultater' }).click();
    await expect(hub.getByRole('heading', { level: 2, name: 'Samlet resultat for Alle erhvervshuse' })).toBeVisible();
    await expect(hub.locator('.kp-eval-period')).toHaveText(QUARTER_DA);
    await expect(hub.getByRole('heading', { name: 'Kommentarer' })).toHaveCount(0);
    // Another hub grouped by municipality is a cross table: the server groups it by month, and the page says so.
    await hub.getByLabel('Erhvervshus', { exact: true }).selectOption({ label: 'Erhvervshus Fyn' });
    await hub.getByLabel('Gruppér efter').selectOption('municipality');
    await hub.getByRole('button', { name: 'Vis resultater' }).click();
    await expect(hub.getByRole('heading', { level: 2, name: 'Samlet resultat for Erhvervshus Fyn' })).toBeVisible();
    await expect(hub.locator('.kp-eval-grouped-by-month')).toContainText('Grupperet efter måned');
    await expect(hub.locator('.kp-eval-period')).toHaveText(QUARTER_DA);
    await expect(hub.getByLabel('Rådgiver', { exact: true })).toHaveCount(0);
    await expect(hub.getByRole('heading', { name: 'Kommentarer' })).toHaveCount(0);
    await expectNoSeriousA11yViolations(hub, 'evaluation dashboard (another hub)');
    await hubCtx.close();
  });

  test('a hub manager changes the evaluation settings on the dashboard', async ({ page }) => {
    await signIn(page, demoUsers.manager);
    await page.goto('/evaluering');
    await page.getByText('Indstillinger for brugerevaluering').click();
    const form = page.locator('form.kp-eval-settings-form');
    await expect(form.getByLabel('Når forløbet lukkes')).toBeChecked();
    await form.getByLabel('Et antal dage efter første møde').check();
    await form.getByLabel('Dage efter første møde', { exact: true }).fill('21');
    await form.getByLabel('Påmindelse efter antal dage').fill('abc');
    await form.getByRole('button', { name: 'Gem indstillinger' }).click();
    await expect(form.locator('.form-error-message')).toContainText('Skriv et helt tal.');
    await form.getByLabel('Påmindelse efter antal dage').fill('5');
    await form.getByLabel('Linket gælder i antal dage').fill('400');
    await form.getByRole('button', { name: 'Gem indstillinger' }).click();
    await expect(form.locator('.form-error-message')).toBeVisible();
    await form.getByLabel('Linket gælder i antal dage').fill('45');
    await form.getByRole('button', { name: 'Gem indstillinger' }).click();
    await expect(form.locator('.alert-success')).toContainText('Indstillingerne er gemt.');
    await expectNoSeriousA11yViolations(page, 'evaluation dashboard (settings)');
    // Restore the defaults for later runs against the same data.
    await form.getByLabel('Når forløbet lukkes').check();
    await form.getByLabel('Dage efter første møde', { exact: true }).fill('30');
    await form.getByLabel('Påmindelse efter antal dage').fill('7');
    await form.getByLabel('Linket gælder i antal dage').fill('30');
    await form.getByRole('button', { name: 'Gem indstillinger' }).click();
    await expect(form.locator('.alert-success')).toBeVisible();
  });
});
