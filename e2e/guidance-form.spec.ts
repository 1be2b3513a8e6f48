import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './axe.ts';
import { authFile, noHorizontalScrollAt360 } from './helpers.ts';

/** A well-formed request from someone about to start a business in Sønderborg (no CVR number yet). */
async function fillNoCvrRequest(page: Page, email: string): Promise<void> {
  await page.getByLabel('Vi har ikke et CVR-nummer endnu').check();
  await page.getByLabel('Virksomhedens eller projektets navn (valgfri)').fill('Café ved havnen');
  await page.getByLabel('Kommune', { exact: true }).selectOption({ label: 'Sønderborg' });
  await page.getByLabel('Dit navn').fill('Mette Iværksætter');
  await page.getByLabel('E-mail', { exact: true }).fill(email);
  await page.getByLabel('Telefon (valgfri)').fill('+45 20 30 40 50');
  await page.getByLabel('Hvad vil du gerne have hjælp til?').fill('Jeg vil åbne en café og har brug for hjælp til budget og finansiering.');
  await page.getByRole('group', { name: /Hvilke emner/ }).getByLabel('Finansiering').check();
  await page.getByLabel('I må bede mig om at evaluere vejledningen').check();
}

test.describe('"Få vejledning" (the public guidance request form)', () => {
  test('signed out: errors at the fields and in the summary, CVR look-up, a request without CVR gets a receipt', async ({ browser }) => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto('/faa-vejledning');
    await expect(page.getByRole('heading', { level: 1, name: 'Få vejledning' })).toBeVisible();
    await expect(page.getByText('inden for 2 arbejdsdage')).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'guidance form (empty)');
    await noHorizontalScrollAt360(page);

    // Empty: every required field is reported at the field and in a focused summary that links to it.
    await page.getByRole('button', { name: 'Send henvendelse' }).click();
    const summary = page.locator('.kp-error-summary');
    await expect(summary).toBeFocused();
    await expect(summary.getByRole('heading', { name: 'Der er fejl i formularen' })).toBeVisible();
    for (const message of ['Skriv virksomhedens CVR-nummer', 'Skriv dit navn.', 'Skriv din e-mailadresse.', 'Beskriv, hvad du gerne vil have hjælp til.']) {
      await expect(summary.getByRole('link', { name: message })).toBeVisible();
    }
    const cvr = page.getByLabel('CVR-nummer', { exact: true });
    await expect(cvr).toHaveAttribute('aria-invalid', 'true');
    await expect(cvr).toHaveAccessibleDescription(/Skriv virksomhedens CVR-nummer/);
    await expect(page.getByLabel('Dit navn')).toHaveAccessibleDescription('Skriv dit navn.');
    await expect(page.getByLabel('Hvad vil du gerne have hjælp til?')).toHaveAccessibleDescription(/Beskriv, hvad du gerne vil have hjælp til\./);
    await expectNoSeriousA11yViolations(page, 'guidance form (errors)');
    await noHorizontalScrollAt360(page);
    await summary.getByRole('link', { name: 'Skriv dit navn.' }).click();
    await expect(page.getByLabel('Dit navn')).toBeFocused();

    // A CVR number with a wrong check digit, and a well-formed one the register does not know: at the CVR field.
    await cvr.fill('12345678');
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await expect(page.locator('#guidance-cvr-error')).toContainText('CVR-nummeret er ugyldigt');
    await expect(cvr).toHaveAttribute('aria-invalid', 'true');
    await cvr.fill('11111106');
    await cvr.blur();
    await expect(page.locator('#guidance-cvr-error')).toHaveText('Vi kan ikke finde CVR-nummer 11111106 i CVR-registret. Tjek nummeret. Er virksomheden helt ny, så vælg kommunen nedenfor.');
    // A brand-new company may name its municipality instead.
    await expect(page.getByLabel('Kommune', { exact: true })).toBeVisible();

    // A real Sønderborg company: name and municipality from the register.
    const kommune = await browser.newContext({ storageState: authFile('kommune') });
    const companies = await (await kommune.request.get('/api/v1/companies?municipality=540&pageSize=1')).json();
    await kommune.close();
    const company = companies.items[0] as { cvr: string; name: string };
    await cvr.fill(company.cvr);
    await cvr.blur();
    await expect(page.locator('#guidance-cvr-result')).toHaveText(`Vi fandt: ${company.name}, Sønderborg Kommune`);
    await expect(page.locator('#guidance-cvr-error')).toHaveCount(0);
    await expect(page.getByLabel('Kommune', { exact: true })).toHaveCount(0);

    // Without a CVR number; the first attempt fails in the network and the retry uses the same key.
    const keys: string[] = [];
    await page.route('**/api/v1/public/guidance-requests', async (route) => {
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (keys.length === 1) await route.abort('failed');
      else await route.continue();
    });
    await fillNoCvrRequest(page, 'mette@cafe-havnen.dk');
    await expect(cvr).toHaveCount(0);
    await page.getByRole('button', { name: 'Send henvendelse' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Kunne ikke kontakte serveren.' })).toBeVisible();
    await page.getByRole('button', { name: 'Send henvendelse' }).click();

    const receiptHeading = page.getByRole('heading', { level: 1, name: 'Tak – vi har modtaget din henvendelse' });
    await expect(receiptHeading).toBeVisible();
    await expect(receiptHeading).toBeFocused();
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[0]).toMatch(/^[\w-]{8,100}$/);
    await expect(page.getByText('Erhvervsservice Sønderborg Kommune vender tilbage til dig.')).toBeVisible();
    await expect(page.locator('.kp-guidance-due')).toHaveText(/^Du hører fra os senest \p{L}+dag den \d{1,2}\. \p{L}+ \d{4}\.$/u);
    await expect(page.locator('.kp-guidance-reference')).toHaveText(/^[0-9a-f-]{36}$/);
    await expect(page.getByText('Vi har sendt en kvittering til mette@cafe-havnen.dk.')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Find tilbud til din virksomhed' })).toHaveAttribute('href', '/tilbud');
    await expectNoSeriousA11yViolations(page, 'guidance receipt');
    await noHorizontalScrollAt360(page);

    // A new request is a new fill with a new key.
    await page.getByRole('button', { name: 'Send en ny henvendelse' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Få vejledning' })).toBeFocused();
    await expect(page.getByLabel('Dit navn')).toHaveValue('');
    await fillNoCvrRequest(page, 'mette@cafe-havnen.dk');
    await page.getByRole('button', { name: 'Send henvendelse' }).click();
    await expect(receiptHeading).toBeVisible();
    expect(keys).toHaveLength(3);
    expect(keys[2]).not.toBe(keys[0]);
    await ctx.close();
  });

  test('in English: the server’s field message in English', async ({ browser }) => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto('/faa-vejledning');
    await page.getByRole('banner').getByRole('button', { name: /English/ }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Get guidance' })).toBeVisible();
    await page.getByLabel('We do not have a CVR number yet').check();
    await page.getByLabel('Municipality', { exact: true }).selectOption({ label: 'Aabenraa' });
    await page.getByLabel('Your name').fill('Anna Owner');
    await page.getByLabel('E-mail', { exact: true }).fill('anna-at-example.dk');
    await page.getByLabel('What would you like help with?').fill('We would like to start exporting to Germany.');
    await page.getByRole('button', { name: 'Send request' }).click();

    const summary = page.locator('.kp-error-summary');
    await expect(summary).toBeFocused();
    await expect(summary.getByRole('heading', { name: 'There is a problem with the form' })).toBeVisible();
    await expect(summary.getByRole('link', { name: 'Must be a valid e-mail address.' })).toBeVisible();
    await expect(page.locator('#guidance-email-error')).toHaveText('Must be a valid e-mail address.');
    await expect(page.getByLabel('E-mail', { exact: true })).toHaveAttribute('aria-invalid', 'true');
    await expectNoSeriousA11yViolations(page, 'guidance form (English, server errors)');

    await page.getByLabel('E-mail', { exact: true }).fill('anna@example.dk');
    await expect(page.locator('#guidance-email-error')).toHaveCount(0);
    await page.getByRole('button', { name: 'Send request' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Thank you – we have received your request' })).toBeVisible();
    await expect(page.getByText('Erhvervsservice Aabenraa Kommune will get back to you.')).toBeVisible();
    await expect(page.locator('.kp-guidance-due')).toContainText('You will hear from us by');
    await ctx.close();
  });

  test('from an offer and a self-assessment: the offer is named and its themes chosen; the result can be left out', async ({ browser }) => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const offers = await (await page.request.get('/api/v1/public/offers?theme=export&pageSize=1')).json();
    const offer = offers.items[0] as { id: string; title: string };

    // The offer page leads to the form.
    await page.goto(`/tilbud/${offer.id}`);
    await page.evaluate(() =>
      sessionStorage.setItem(
        'kp.selfAssessment',
        JSON.stringify({ key: 'export', title: 'Eksportparathed', level: 'på vej', score: 7, maxScore: 15, explanation: '…', answers: { e1: 1 } }),
      ),
    );
    await page.getByRole('link', { name: 'Få vejledning om dette tilbud' }).click();
    await expect(page).toHaveURL(new RegExp(`/faa-vejledning\\?tilbud=${offer.id}$`));
    await expect(page.locator('.kp-guidance-offer')).toHaveText(`Du spørger om: ${offer.title}`);
    const themes = page.getByRole('group', { name: /Hvilke emner/ });
    await expect(themes.getByLabel('Eksport')).toBeChecked();
    await expect(page.getByText('Resultatet af din selvtest sendes med: Eksportparathed – På vej')).toBeVisible();
    await page.getByRole('button', { name: 'Send ikke resultatet med' }).click();
    await expect(page.getByText('Resultatet af din selvtest (Eksportparathed) sendes ikke med.')).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'guidance form (offer and self-assessment)');
    await noHorizontalScrollAt360(page);

    await fillNoCvrRequest(page, 'mette@cafe-havnen.dk');
    const sent = page.waitForRequest((r) => r.url().endsWith('/api/v1/public/guidance-requests') && r.method() === 'POST');
    await page.getByRole('button', { name: 'Send henvendelse' }).click();
    const body = (await sent).postDataJSON() as Record<string, unknown>;
    expect(body).toMatchObject({ noCvr: true, municipalityCode: 540, offerId: offer.id, consents: { sharing: false, evaluation: true } });
    expect(body.themes).toEqual(expect.arrayContaining(['export', 'financing']));
    expect(body).not.toHaveProperty('selfAssessment');
    expect(body).not.toHaveProperty('website');
    await expect(page.getByRole('heading', { level: 1, name: 'Tak – vi har modtaget din henvendelse' })).toBeVisible();
    expect(await page.evaluate(() => sessionStorage.getItem('kp.selfAssessment'))).toBeNull();
    await ctx.close();
  });
});
