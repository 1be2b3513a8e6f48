import { expect, test, type APIRequestContext } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './axe.ts';
import { authFile, csrf, noHorizontalScrollAt360 } from './helpers.ts';

/** A word no demo offer contains: letters only, so that the Danish full-text parser treats it as a word. */
function uniqueWord(): string {
  return `zq${[...String(Date.now())].map((d) => 'abcdefghij'[Number(d)]).join('')}`;
}

async function publicHits(request: APIRequestContext, word: string): Promise<number> {
  const res = await request.get(`/api/v1/public/offers?q=${encodeURIComponent(word)}`);
  expect(res.ok()).toBeTruthy();
  return ((await res.json()) as { total: number }).total;
}

test.describe('our offers (Vores tilbud)', () => {
  test.use({ storageState: authFile('adviser') });
  test.setTimeout(120_000);

  test('an operator creates a draft, publishes it to the catalogue and archives it again', async ({ page }) => {
    const word = uniqueWord();
    const title = `Eksportsparring for fødevarer ${word}`;

    // The list.
    await page.goto('/mit-arbejde');
    await page.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Vores tilbud' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Vores tilbud' })).toBeVisible();
    await expect(page.getByText('Kun offentliggjorte tilbud kan ses i kataloget.')).toBeVisible();
    const rows = page.locator('.kp-offers-row');
    await expect(rows.first()).toBeVisible();
    await expect(page.getByRole('link', { name: /^Se i kataloget/ }).first()).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'our offers (list)');
    await noHorizontalScrollAt360(page);

    // A new offer: submitted empty first, the errors are at the fields and summed up in a focused summary.
    await page.getByRole('link', { name: 'Opret tilbud' }).click();
    await expect(page).toHaveURL(/\/vores-tilbud\/ny$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Opret tilbud' })).toBeVisible();
    await page.getByRole('button', { name: 'Opret kladde' }).click();
    const summary = page.locator('.kp-error-summary');
    await expect(summary).toBeFocused();
    await expect(summary).toContainText('Skriv en titel.');
    const titleInput = page.getByLabel('Titel', { exact: true });
    await expect(titleInput).toHaveAttribute('aria-invalid', 'true');
    await expect(page.locator('#offer-title-error')).toHaveText('Skriv en titel.');
    await expect(titleInput).toHaveAttribute('aria-describedby', /offer-title-error/);
    await expectNoSeriousA11yViolations(page, 'offer form with errors');
    await summary.getByRole('link', { name: 'Skriv en titel.' }).click();
    await expect(titleInput).toBeFocused();

    await titleInput.fill(title);
    await expect(page.locator('#offer-title-error')).toHaveCount(0);
    await page.getByLabel('Kort beskrivelse').fill(`Sparring om eksport af fødevarer til Tyskland (${word}).`);
    await page.getByLabel('Uddybende beskrivelse').fill('Tre møder med en eksportrådgiver og en plan for de første kunder.');
    await page.getByRole('group', { name: 'Temaer' }).getByLabel('Eksport').check();
    await page.getByRole('group', { name: 'Målgrupper' }).getByLabel('SMV').check();
    await page.getByRole('group', { name: 'Faser' }).getByLabel('Vækst').check();
    await page.getByLabel('Form', { exact: true }).selectOption('course');
    await page.getByRole('group', { name: 'Pris' }).getByLabel('Betaling').check();
    await page.getByLabel('Periode fra').fill('01.01.2026');
    await page.getByLabel('Periode til').fill('31.12.2030');
    await page.getByLabel('Find kommune').fill('sønder');
    await page.getByLabel('Sønderborg').check();
    await expect(page.locator('#offer-municipalities-chosen')).toHaveText('Valgt (1): Sønderborg');
    await page.getByLabel('Kontaktperson', { exact: true }).fill('Mette Eksport');
    await page.getByLabel('Kontaktpersonens e-mail').fill('mette@example.dk');
    await page.getByLabel('Link til mere information').fill('https://example.dk/eksport');
    await page.getByRole('button', { name: 'Opret kladde' }).click();

    // Created as a draft: the edit URL, a message, and not in the public catalogue.
    await expect(page).toHaveURL(/\/vores-tilbud\/[0-9a-f-]{36}$/);
    const editUrl = page.url();
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
    await expect(page.locator('.kp-offer-notice')).toContainText('oprettet som kladde');
    await expect(page.locator('.kp-offer-status-line .kp-offer-status')).toHaveText('Kladde');
    await expect(page.getByLabel('Periode til')).toHaveValue('31.12.2030');
    await expect(page.getByLabel('Sønderborg')).toBeChecked();
    expect(await publicHits(page.request, word)).toBe(0);

    // Publish: now the public catalogue finds it.
    await page.getByRole('button', { name: 'Offentliggør' }).click();
    await expect(page.locator('.kp-offer-notice')).toContainText('offentliggjort');
    await expect(page.locator('.kp-offer-notice')).toBeFocused();
    await expect(page.locator('.kp-offer-status-line .kp-offer-status')).toHaveText('Offentliggjort');
    expect(await publicHits(page.request, word)).toBe(1);
    await page.goto(`/tilbud?q=${word}`);
    await expect(page.locator('.kp-offer-card').filter({ hasText: title })).toBeVisible();

    // Archive: gone from the catalogue again.
    await page.goto(editUrl);
    await page.getByRole('button', { name: 'Arkivér' }).click();
    await expect(page.locator('.kp-offer-notice')).toContainText('arkiveret');
    await expect(page.locator('.kp-offer-status-line .kp-offer-status')).toHaveText('Arkiveret');
    await expect(page.getByRole('button', { name: 'Offentliggør' })).toBeVisible();
    expect(await publicHits(page.request, word)).toBe(0);
    await page.goto(`/tilbud?q=${word}`);
    await expect(page.locator('.kp-catalogue-count p')).toBeVisible();
    await expect(page.locator('.kp-offer-card')).toHaveCount(0);

    // The list's status filter finds it among the archived ones.
    await page.goto('/vores-tilbud');
    await page.getByLabel('Vis', { exact: true }).selectOption('archived');
    await page.getByRole('button', { name: 'Filtrér' }).click();
    await expect(page).toHaveURL(/status=archived/);
    const row = rows.filter({ hasText: title });
    await expect(row).toContainText('Arkiveret');
    await expect(row).toContainText('Eksport');
    await expect(rows.filter({ hasText: 'Offentliggjort' })).toHaveCount(0);
    await row.getByRole('link', { name: title }).click();
    await expect(page).toHaveURL(editUrl);
  });

  test('a change saved by someone else meanwhile is reported, and the latest version can be loaded', async ({ page }) => {
    const word = uniqueWord();
    const headers = await csrf(page.request);
    const created = await page.request.post('/api/v1/offers', {
      headers,
      data: { title: `Netværk ${word}`, summary: 'Et netværk for ejerledere.', format: 'network' },
    });
    expect(created.status()).toBe(201);
    const offer = (await created.json()) as { id: string; version: number };

    await page.goto(`/vores-tilbud/${offer.id}`);
    await expect(page.getByRole('heading', { level: 1, name: `Netværk ${word}` })).toBeVisible();
    const changed = await page.request.patch(`/api/v1/offers/${offer.id}`, { headers, data: { version: offer.version, summary: 'Ændret af en kollega.' } });
    expect(changed.ok()).toBeTruthy();

    await page.getByLabel('Kort beskrivelse').fill('Min egen ændring.');
    await page.getByRole('button', { name: 'Gem ændringer' }).click();
    await expect(page.locator('.kp-stale')).toContainText('ændret af en anden');
    await page.getByRole('button', { name: 'Hent den nyeste udgave' }).click();
    await expect(page.getByLabel('Kort beskrivelse')).toHaveValue('Ændret af en kollega.');
    await expect(page.locator('.kp-stale')).toHaveCount(0);

    await page.getByLabel('Kort beskrivelse').fill('Min egen ændring.');
    await page.getByRole('button', { name: 'Gem ændringer' }).click();
    await expect(page.locator('.kp-offer-notice')).toContainText('Ændringerne er gemt.');

    // In English.
    await page.getByRole('banner').getByRole('button', { name: /English/ }).click();
    await expect(page.getByRole('button', { name: 'Save changes' })).toBeVisible();
    await page.getByRole('link', { name: 'Back to Our offers' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Our offers' })).toBeVisible();
    await page.getByRole('banner').getByRole('button', { name: /Dansk/ }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Vores tilbud' })).toBeVisible();
  });
});

test.describe('our offers for an organisation without offers', () => {
  test.use({ storageState: authFile('reader') });

  test('a KKR reader is told that the organisation has no offers', async ({ page }) => {
    await page.goto('/vores-tilbud');
    await expect(page.getByRole('heading', { level: 1, name: 'Vores tilbud' })).toBeVisible();
    await expect(page.getByText('Din organisation har ikke tilbud i kataloget')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Opret tilbud' })).toHaveCount(0);
    await page.goto('/vores-tilbud/ny');
    await expect(page.getByText('Din organisation har ikke tilbud i kataloget')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Opret kladde' })).toHaveCount(0);
  });
});
