import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './axe.ts';

/*
 * Issue 17 (first paint on a phone): the public pages arrive pre-rendered, so they show before the
 * script has loaded; the script then takes that markup over (hydration) without replacing it.
 */

const PAGES = [
  { path: '/tilbud', heading: 'Find tilbud' },
  { path: '/historier', heading: 'Gode historier' },
  { path: '/selvtest', heading: 'Selvtest' },
  { path: '/faa-vejledning', heading: 'Få vejledning' },
  { path: '/arrangementer/kalender', heading: 'Arrangementer' },
];

/** Holds the app's scripts back until the returned function is called. */
async function holdScripts(page: Page) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/assets\/.*\.js$/, async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

test('a public page shows its header, heading and form before the script runs, and nothing of the back office', async ({ page }) => {
  await holdScripts(page);
  const response = await page.goto('/tilbud', { waitUntil: 'commit' });
  const html = await response!.text();
  // The signed-in navigation and its strings are not in the page.
  expect(html).not.toContain('Hovedmenu');
  expect(html).not.toContain('Log ud');
  await expect(page).toHaveTitle('Find tilbud – Knudepunkt');
  await expect(page.getByRole('heading', { level: 1, name: 'Find tilbud' })).toBeVisible();
  await expect(page.getByRole('banner').getByRole('link', { name: 'Find tilbud' })).toBeVisible();
  await expect(page.getByRole('search')).toBeVisible();
  await expect(page.getByLabel('Søg i tilbud')).toBeVisible();
  await expect(page.getByRole('contentinfo')).toBeVisible();
});

for (const { path, heading } of PAGES) {
  test(`${path}: the script takes over the pre-rendered markup without errors`, async ({ page }) => {
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    const release = await holdScripts(page);
    await page.goto(path, { waitUntil: 'commit' });
    const h1 = page.getByRole('heading', { level: 1, name: heading });
    await expect(h1).toBeVisible();
    // A mark on the pre-rendered heading survives only if React kept the node (hydrated rather than re-rendered).
    await h1.evaluate((el) => el.setAttribute('data-before-script', ''));
    release();
    await page.waitForLoadState('networkidle');
    // Live content arrives from the API (the spinner goes), and the language switch works.
    await expect(page.locator('.spinner')).toHaveCount(0);
    await expect(page.locator('h1[data-before-script]')).toHaveCount(1);
    expect(errors).toEqual([]);
  });
}

test('what a visitor types and picks before the script runs is what the search then uses', async ({ page }) => {
  const release = await holdScripts(page);
  await page.goto('/tilbud', { waitUntil: 'commit' });
  await page.getByLabel('Søg i tilbud').fill('eksport');
  await page.getByLabel('Tema').selectOption('export');
  release();
  await page.waitForLoadState('networkidle');
  await expect(page.locator('.kp-offer-card').first()).toBeVisible();
  await page.getByRole('button', { name: 'Søg', exact: true }).click();
  await expect(page).toHaveURL(/[?&]q=eksport/);
  await expect(page).toHaveURL(/[?&]theme=export/);
  await expect(page.getByLabel('Søg i tilbud')).toHaveValue('eksport');
});

test('the language switch works on a pre-rendered page, and a stored English choice never shows the Danish markup', async ({ page }) => {
  await page.goto('/tilbud');
  await expect(page.locator('.kp-offer-card').first()).toBeVisible();
  await page.getByRole('banner').getByRole('button', { name: /English/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Find offers' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');

  // Reloaded with English stored: until the script runs, the Danish pre-rendered page is hidden.
  const release = await holdScripts(page);
  await page.reload({ waitUntil: 'commit' });
  await expect(page.locator('#root')).toBeHidden();
  await expect(page.getByRole('heading', { level: 1, name: 'Find tilbud' })).toBeHidden();
  release();
  await expect(page.getByRole('heading', { level: 1, name: 'Find offers' })).toBeVisible();
  await expect(page.locator('.kp-offer-card').first()).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'catalogue in English after a reload');

  await page.getByRole('banner').getByRole('button', { name: /Dansk/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Find tilbud' })).toBeVisible();
});

test('the pre-rendered page before the script has no serious accessibility violations', async ({ page }) => {
  await holdScripts(page);
  await page.goto('/faa-vejledning', { waitUntil: 'commit' });
  await expect(page.getByRole('heading', { level: 1, name: 'Få vejledning' })).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'guidance form, pre-rendered, before the script');
});
