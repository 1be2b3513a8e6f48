import { expect, test, type APIRequestContext } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './axe.ts';
import { authFile, csrf, hasNoHorizontalScroll } from './helpers.ts';
import { waitForMail } from './mail.ts';

interface CompanyItem {
  cvr: string;
  name: string;
  status: string | null;
  advertisingProtected: boolean;
  industry: { code: string; text: string | null } | null;
}

/** An active, not advertising-protected Sønderborg company with an industry code: the segment is its municipality and full code. */
async function sonderborgCompany(request: APIRequestContext): Promise<CompanyItem & { industry: { code: string } }> {
  const res = await request.get('/api/v1/companies?municipality=540&pageSize=100');
  expect(res.ok()).toBeTruthy();
  const { items } = (await res.json()) as { items: CompanyItem[] };
  // The invitation goes to the earliest contact with an e-mail the organisation holds, so the company
  // must have none yet (other specs add contacts to Sønderborg companies).
  for (const c of items.filter((i) => i.status === 'NORMAL' && !i.advertisingProtected && i.industry?.code)) {
    const contacts = await request.get(`/api/v1/companies/${c.cvr}/contacts`);
    expect(contacts.ok()).toBeTruthy();
    const { items: held } = (await contacts.json()) as { items: { email: string | null }[] };
    if (!held.some((h) => h.email)) return c as CompanyItem & { industry: { code: string } };
  }
  throw new Error('no active Sønderborg company with an industry code and no contact in the demo data');
}

test.describe('surveys (spørgeskemaundersøgelser)', () => {
  test.setTimeout(180_000);

  test('an adviser builds a survey, sends it to a segment, a company answers on a phone, and the adviser reads the results', async ({ browser }) => {
    const stamp = Date.now();
    const email = `undersoegelse${stamp}@example.dk`;
    const title = `Eksportinteresse ${stamp}`;

    // ── Sønderborg's business service (kommune@): a contact with an e-mail address on a company ──
    const ctx = await browser.newContext({ storageState: authFile('kommune') });
    const page = await ctx.newPage();
    const company = await sonderborgCompany(ctx.request);
    const headers = await csrf(ctx.request);
    const contact = await ctx.request.post(`/api/v1/companies/${company.cvr}/contacts`, { headers, data: { name: `Undersøgelse Kontakt ${stamp}`, email } });
    expect(contact.ok(), await contact.text()).toBeTruthy();

    await page.goto('/undersoegelser');
    await expect(page.getByRole('heading', { level: 1, name: 'Spørgeskemaundersøgelser' })).toBeVisible();
    // The demo survey of 2020 is there.
    await expect(page.getByRole('link', { name: /samhandel med Tyskland og Kina 2020/ })).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'surveys list');

    // ── Build: a single-choice question, a scale and a free text; reorder, remove, preview ──
    await page.getByRole('link', { name: 'Ny undersøgelse' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Ny undersøgelse' })).toBeVisible();
    await page.getByLabel('Titel').fill(title);
    await page.getByLabel('Analyse (ingen markedsføring)').check();
    await page.getByLabel('Andre organisationer må se resultaterne').check();
    await page.getByLabel('Svar må knyttes til virksomhedens stamkort').check();

    const add = async (type: string) => {
      await page.getByLabel('Type af nyt spørgsmål').selectOption({ label: type });
      await page.getByRole('button', { name: 'Tilføj spørgsmål' }).click();
      // Focus moves to the new question's text.
      await expect(page.getByLabel('Spørgsmålets tekst').last()).toBeFocused();
    };
    await add('Fritekst');
    await page.getByLabel('Spørgsmålets tekst').last().fill('Hvad kan kommunen gøre for jer?');
    await add('Ét svar');
    await page.getByLabel('Spørgsmålets tekst').last().fill('Har virksomheden interesse for samhandel med Tyskland?');
    await page.getByLabel('Svarmuligheder').last().fill('I høj grad\nI nogen grad\nSlet ikke');
    await page.getByLabel('Skal besvares').last().check();
    await add('Skala');
    await page.getByLabel('Spørgsmålets tekst').last().fill('Overflødigt spørgsmål');
    await page.getByRole('button', { name: 'Fjern spørgsmål 3' }).click();
    await expect(page.getByLabel('Spørgsmålets tekst')).toHaveCount(2);
    // The single-choice question goes first.
    await page.getByRole('button', { name: 'Flyt spørgsmål 2 op' }).click();
    await expect(page.getByLabel('Spørgsmålets tekst').first()).toHaveValue('Har virksomheden interesse for samhandel med Tyskland?');

    await page.getByRole('button', { name: 'Vis forhåndsvisning' }).click();
    const preview = page.getByRole('region', { name: 'Forhåndsvisning' });
    await expect(preview.getByRole('group', { name: /1\. Har virksomheden interesse/ })).toBeVisible();
    await expect(preview.getByLabel('I nogen grad')).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'survey builder with preview');

    await page.getByRole('button', { name: 'Gem undersøgelse' }).click();
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
    await expect(page.getByText('Kladde')).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'survey page');

    // ── Send to the segment: Sønderborg, the company's industry, active companies ─────────
    await page.getByLabel('Kommunekode').fill('540');
    await page.getByLabel('Branchekode').fill(company.industry.code);
    await page.getByRole('button', { name: 'Tæl virksomheder' }).click();
    const count = page.locator('.kp-survey-count');
    await expect(count).toBeFocused();
    await expect(count).toContainText(/\d+ får en invitation/);
    await expectNoSeriousA11yViolations(page, 'survey page with segment count');
    await count.getByRole('button', { name: /^Send til \d+ virksomheder$/ }).click();
    await expect(page.getByRole('status').filter({ hasText: /Undersøgelsen er sendt til \d+ virksomheder/ })).toBeFocused();
    await expect(page.getByText('Åben', { exact: true })).toBeVisible();
    const surveyUrl = page.url();

    // ── The company answers through the mailed link, on a phone ──────────────────────────
    const mail = await waitForMail(email, { contains: '/undersoegelser/svar/' });
    const path = /\/undersoegelser\/svar\/[\w-]+/.exec(mail)![0];
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const answerPage = await phone.newPage();
    await answerPage.goto(path);
    await expect(answerPage.getByRole('heading', { level: 1, name: title })).toBeVisible();
    await expectNoSeriousA11yViolations(answerPage, 'survey answer page (390 px)');
    expect(await hasNoHorizontalScroll(answerPage)).toBe(true);
    // Sending without the required answer names it, and focus moves to the summary.
    await answerPage.getByRole('button', { name: 'Send svar' }).click();
    await expect(answerPage.getByRole('alert').filter({ hasText: 'Der mangler svar' })).toBeFocused();
    await answerPage.getByLabel('I høj grad').check();
    await answerPage.getByLabel(/Hvad kan kommunen gøre for jer/).fill('Messer i Hamborg, tak.');
    await answerPage.getByLabel(/må gemme vores svar på virksomhedens stamkort/).check();
    await answerPage.getByRole('button', { name: 'Send svar' }).click();
    await expect(answerPage.getByRole('heading', { level: 1, name: 'Tak for dit svar' })).toBeFocused();
    await expectNoSeriousA11yViolations(answerPage, 'survey answered (390 px)');
    // The link works once.
    await answerPage.goto(path);
    await expect(answerPage.getByRole('heading', { level: 1, name: 'Der er allerede svaret' })).toBeVisible();
    await phone.close();

    // ── The adviser reads the results, and the answer on the company's record ─────────────
    await page.goto(surveyUrl);
    await page.getByRole('button', { name: 'Vis svarene' }).click();
    await expect(page.getByRole('heading', { level: 3, name: '1 virksomheder' })).toBeFocused();
    await expect(page.getByRole('table', { name: "Svar på virksomhedernes stamkort" }).getByRole('link', { name: company.name })).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'survey page with attached answers');
    await page.getByRole('link', { name: 'Se resultater' }).click();
    await expect(page.getByRole('heading', { level: 1, name: `Resultater: ${title}` })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: 'Svarprocent' })).toBeVisible();
    const q1 = page.getByRole('table', { name: 'Har virksomheden interesse for samhandel med Tyskland?', exact: true });
    await expect(q1.getByRole('row', { name: /I høj grad/ })).toContainText('100 %');
    await expect(page.getByText('Messer i Hamborg, tak.')).toBeVisible();
    await expect(page.getByRole('img', { name: /Søjlediagram: Har virksomheden interesse/ })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Hent resultater (Excel)' })).toHaveAttribute('href', /results\.xlsx/);
    await expectNoSeriousA11yViolations(page, 'survey results');

    // ── The demo survey: interest in trade with Germany by main industry ──────────────────
    await page.goto('/undersoegelser');
    await page.getByRole('link', { name: /samhandel med Tyskland og Kina 2020/ }).click();
    await page.getByRole('link', { name: 'Se resultater' }).click();
    const byIndustry = page.getByRole('table', { name: /Tyskland\? – fordelt på hovedbranche/ });
    await expect(byIndustry.getByRole('row', { name: /Fremstilling, produktion, industri/ })).toBeVisible();
    await expect(page.locator('.kp-survey-kpis')).toContainText('598');
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Hent resultater (Excel)' }).click();
    expect((await download).suggestedFilename()).toBe('undersoegelse.xlsx');
    await expectNoSeriousA11yViolations(page, 'demo survey results');
    await ctx.close();
  });
});
