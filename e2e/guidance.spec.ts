import { expect, test, type Browser, type Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './axe.ts';
import { authFile, noHorizontalScrollAt360 } from './helpers.ts';

/** A company registered in Sønderborg (540) in the demo register, found as a signed-in adviser would. */
async function sonderborgCompany(browser: Browser): Promise<{ cvr: string; name: string }> {
  const ctx = await browser.newContext({ storageState: authFile('kommune') });
  const response = await ctx.request.get('/api/v1/companies?municipality=540&pageSize=20');
  expect(response.ok()).toBe(true);
  const items = (await response.json()).items as { cvr: string; name: string; status: string | null }[];
  await ctx.close();
  const company = items.find((c) => c.status === 'NORMAL') ?? items[0];
  expect(company).toBeTruthy();
  return company!;
}

/** The leads inbox as a demo user sees it. */
async function openInbox(browser: Browser, role: 'kommune' | 'aabenraa' | 'adviser'): Promise<Page> {
  const ctx = await browser.newContext({ storageState: authFile(role) });
  const page = await ctx.newPage();
  await page.goto('/henvendelser');
  await expect(page.getByRole('heading', { level: 1, name: 'Henvendelser' })).toBeVisible();
  return page;
}

test.describe('the public entry point: from the catalogue to the right adviser', () => {
  test('a company finds an offer and asks for guidance; Sønderborg’s business service gets the lead, Aabenraa’s does not', async ({ browser }) => {
    const company = await sonderborgCompany(browser);
    const need = `Vi vil gerne eksportere til Tyskland (e2e ${Date.now()}).`;

    // As the company: no session.
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto('/tilbud');
    await page.getByLabel('Søg i tilbud').fill('eksport');
    await page.getByRole('button', { name: 'Søg', exact: true }).click();
    await expect(page).toHaveURL(/[?&]q=eksport/);
    // Wait for the results of this search, not the list shown before it.
    await expect(page.locator('.kp-offer-card').first()).toContainText(/ksport/);
    const first = page.locator('.kp-offer-card').first().getByRole('heading', { level: 3 }).getByRole('link');
    const offerTitle = (await first.textContent())!.trim();
    await first.click();
    await expect(page.getByRole('heading', { level: 1, name: offerTitle })).toBeVisible();

    await page.getByRole('link', { name: 'Få vejledning om dette tilbud' }).click();
    await expect(page).toHaveURL(/\/faa-vejledning\?tilbud=[0-9a-f-]{36}$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Få vejledning' })).toBeVisible();
    await expect(page.getByText(offerTitle)).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'guidance form (from an offer)');
    await noHorizontalScrollAt360(page);

    // The CVR fills in name and municipality from the register.
    await page.getByRole('textbox', { name: 'CVR-nummer' }).fill(company.cvr);
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await expect(page.getByText(`Vi fandt: ${company.name}`)).toBeVisible();
    await expect(page.getByText(/Sønderborg/).first()).toBeVisible();

    await page.getByRole('textbox', { name: 'Dit navn' }).fill('Anna Ejer');
    await page.getByRole('textbox', { name: 'E-mail' }).fill('anna.ejer@example.dk');
    await page.getByLabel('Hvad vil du gerne have hjælp til?').fill(need);
    await page.getByLabel(/dele oplysninger/).check();
    await page.getByRole('button', { name: 'Send henvendelse' }).click();

    await expect(page.getByRole('heading', { name: 'Tak – vi har modtaget din henvendelse' })).toBeVisible();
    await expect(page.getByText('Erhvervsservice Sønderborg Kommune').first()).toBeVisible();
    await expect(page.getByText(/senest \S+ den \d{1,2}\. \S+ \d{4}/)).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'guidance receipt');
    await noHorizontalScrollAt360(page);
    await ctx.close();

    // As Sønderborg's adviser: the lead is in the inbox, with the company, the need and the offer.
    const sonderborg = await openInbox(browser, 'kommune');
    const lead = sonderborg.locator('table.kp-leads-table tbody tr', { hasText: need });
    await expect(lead).toBeVisible();
    await expect(lead).toContainText(company.name);
    await expect(lead).toContainText('Ny');
    await expectNoSeriousA11yViolations(sonderborg, 'leads inbox (Sønderborg)');

    // The hub of Sønderborg (Erhvervshus Sydjylland) sees it too.
    const hub = await openInbox(browser, 'adviser');
    await expect(hub.getByText(need)).toBeVisible();

    // As Aabenraa's adviser (another municipality under the same hub): not there.
    const aabenraa = await openInbox(browser, 'aabenraa');
    await expect(aabenraa.locator('main')).not.toContainText(need);
    await expect(aabenraa.locator('main')).not.toContainText(company.name);

    // Sønderborg's adviser opens it and takes it; the consent ticked on the web waits until the adviser has talked to the company.
    await lead.getByRole('link', { name: company.name }).click();
    const facts = sonderborg.locator('.kp-lead-facts');
    await expect(facts).toContainText(offerTitle);
    await sonderborg.getByRole('button', { name: 'Tag den' }).click();
    await expect(sonderborg.locator('.kp-badges')).toContainText('Under behandling');
    await expect(facts).toContainText('Afventer bekræftelse');
    await sonderborg.getByRole('button', { name: 'Bekræft samtykke' }).click();
    await expect(facts).not.toContainText('Afventer bekræftelse');
    await expect(sonderborg.getByRole('button', { name: 'Bekræft samtykke' })).toHaveCount(0);
    await expectNoSeriousA11yViolations(sonderborg, 'lead page after confirming');
  });

  test('every public page passes axe and fits 360 px, in Danish and English', async ({ browser }) => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    for (const path of ['/tilbud', '/selvtest', '/selvtest/digital', '/faa-vejledning']) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expectNoSeriousA11yViolations(page, `public page ${path}`);
      await noHorizontalScrollAt360(page);
    }
    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Get guidance' })).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'guidance form (English)');
  });
});
