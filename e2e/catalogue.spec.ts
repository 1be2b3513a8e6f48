import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './axe.ts';
import { authFile, hasNoHorizontalScroll, noHorizontalScrollAt360 } from './helpers.ts';

test.describe('public offer catalogue (Find tilbud)', () => {
  test('signed out: search, open an offer, share its URL', async ({ browser }) => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto('/tilbud');
    await expect(page).toHaveURL(/\/tilbud$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Find tilbud' })).toBeVisible();
    // A public page: the public header with the catalogue link, no app navigation, no sign-out.
    await expect(page.getByRole('banner').getByRole('link', { name: 'Find tilbud' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Hovedmenu' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Log ud' })).toHaveCount(0);
    await expect(page.locator('.kp-offer-card').first()).toBeVisible();

    // Free-text search; the search is kept in the URL.
    await page.getByLabel('Søg i tilbud').fill('eksport');
    await page.getByRole('button', { name: 'Søg', exact: true }).click();
    await expect(page).toHaveURL(/[?&]q=eksport/);
    const cards = page.locator('.kp-offer-card');
    await expect(cards.first()).toBeVisible();
    await expect(page.locator('.kp-catalogue-count')).toContainText('tilbud');
    await expect(cards.first()).toContainText(/Gratis|Betaling/);
    await expect(cards.first()).toContainText('Udbyder:');
    await expectNoSeriousA11yViolations(page, 'catalogue search (results)');
    await noHorizontalScrollAt360(page);

    // A filter, kept in the URL, survives a reload.
    await page.getByLabel('Tema').selectOption('export');
    await page.getByRole('button', { name: 'Søg', exact: true }).click();
    await expect(page).toHaveURL(/theme=export/);
    await page.reload();
    await expect(page.getByLabel('Tema')).toHaveValue('export');
    await expect(page.getByLabel('Søg i tilbud')).toHaveValue('eksport');
    await expect(cards.first()).toBeVisible();

    // Open the first offer from the results.
    const link = cards.first().getByRole('heading', { level: 3 }).getByRole('link');
    const title = (await link.textContent())!.trim();
    await link.click();
    await expect(page).toHaveURL(/\/tilbud\/[0-9a-f-]{36}$/);
    const h1 = page.getByRole('heading', { level: 1, name: title });
    await expect(h1).toBeVisible();
    await expect(page.getByText('Fakta om tilbuddet')).toBeVisible();
    await expect(page.locator('.kp-offer-dl')).toContainText(/Gratis|Betaling/);
    await expect(page.locator('.kp-offer-dl')).toContainText('Eksport');
    await expectNoSeriousA11yViolations(page, 'catalogue offer page');
    await noHorizontalScrollAt360(page);

    // Shareable: the URL works in a fresh visit and on reload.
    const offerUrl = page.url();
    await page.reload();
    await expect(h1).toBeVisible();
    const other = await ctx.newPage();
    await other.goto(offerUrl);
    await expect(other.getByRole('heading', { level: 1, name: title })).toBeVisible();
    await other.close();

    // In English.
    await page.getByRole('banner').getByRole('button', { name: /English/ }).click();
    await expect(page.getByText('About the offer')).toBeVisible();
    await page.getByRole('link', { name: 'Back to the search' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Find offers' })).toBeVisible();
    await page.getByRole('banner').getByRole('button', { name: /Dansk/ }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Find tilbud' })).toBeVisible();

    // An unknown offer: a friendly page, not an error.
    await page.goto('/tilbud/00000000-0000-4000-8000-000000000000');
    await expect(page.getByRole('heading', { level: 1, name: 'Tilbuddet findes ikke' })).toBeVisible();
    await expect(page.locator('.alert-error')).toHaveCount(0);
    await page.goto('/tilbud/ikke-et-id');
    await expect(page.getByRole('heading', { level: 1, name: 'Tilbuddet findes ikke' })).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'catalogue offer page (unknown)');
    await ctx.close();
  });

  test('a municipality is chosen by name; a local offer names the municipalities it serves', async ({ browser }) => {
    const ctx = await browser.newContext({ viewport: { width: 360, height: 780 } });
    const page = await ctx.newPage();
    await page.goto('/tilbud');
    const municipality = page.getByLabel('Kommune', { exact: true });
    await expect(municipality.locator('option', { hasText: 'Sønderborg' })).toHaveCount(1);
    await municipality.selectOption({ label: 'Sønderborg' });
    await page.getByRole('button', { name: 'Søg', exact: true }).click();
    await expect(page).toHaveURL(/municipality=540/);
    await page.reload();
    await expect(municipality).toHaveValue('540');
    expect(await hasNoHorizontalScroll(page)).toBe(true);
    // Sønderborg's own start-up offer is found there, and its page names the municipality.
    await page.getByLabel('Søg i tilbud').fill('startvejledning');
    await page.getByRole('button', { name: 'Søg', exact: true }).click();
    await expect(page).toHaveURL(/municipality=540/);
    await page.getByRole('link', { name: 'Startvejledning i Sønderborg' }).click();
    await expect(page.locator('.kp-offer-dl')).toContainText('Sønderborg');
    await expect(page.locator('.kp-offer-dl')).not.toContainText('540');
    await ctx.close();
  });

  test('signed out: public pages load only the public bundle and never ask for the session', async ({ browser }) => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    // The public bundle: the scripts index.html names and what they import statically (not `import()`).
    const shell = await (await ctx.request.get('/tilbud')).text();
    const entry = new Set<string>();
    const queue = [...shell.matchAll(/src="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
    for (let file = queue.pop(); file; file = queue.pop()) {
      if (entry.has(file)) continue;
      entry.add(file);
      const code = await (await ctx.request.get(file)).text();
      for (const m of code.matchAll(/(?:from|import)\s*"\.\/([^"]+\.js)"/g)) queue.push(`/assets/${m[1]}`);
    }
    expect(entry.size).toBeGreaterThan(0);
    for (const [url, heading] of [
      ['/tilbud', 'Find tilbud'],
      ['/selvtest', /selvtest/i],
      ['/faa-vejledning', /vejledning/i],
      ['/historier', /historier/i],
      ['/arrangementer/kalender', /arrangementer/i],
    ] as const) {
      await page.goto(url);
      await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    }
    await page.waitForLoadState('networkidle');
    expect(requests.filter((r) => r.endsWith('/auth/session'))).toEqual([]);
    // Nothing else: no back-office page, layout or chart.
    expect(new Set(requests.filter((r) => r.endsWith('.js')))).toEqual(entry);
    await ctx.close();
  });

  test('signed in: opening the catalogue directly keeps the navigation', async ({ browser }) => {
    const ctx = await browser.newContext({ storageState: authFile('adviser') });
    const page = await ctx.newPage();
    await page.goto('/tilbud');
    await expect(page.getByRole('heading', { level: 1, name: 'Find tilbud' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Hovedmenu' })).toBeVisible();
    await ctx.close();
  });

  test('signed in: "Find tilbud" is in the navigation', async ({ browser }) => {
    const ctx = await browser.newContext({ storageState: authFile('adviser') });
    const page = await ctx.newPage();
    await page.goto('/mit-arbejde');
    const nav = page.getByRole('navigation', { name: 'Hovedmenu' });
    await nav.getByRole('link', { name: 'Find tilbud' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Find tilbud' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Hovedmenu' })).toBeVisible();
    await ctx.close();
  });
});
