import { expect, test } from '@playwright/test';
import { authFile } from './helpers.ts';

test.use({ storageState: authFile('admin') });

test('switching to English changes labels and html[lang], and the choice persists', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'da');

  await page.getByRole('banner').getByRole('button', { name: /English/ }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1, name: 'Find company' })).toBeVisible();
  await expect(page.getByLabel('Search by CVR number, P-number or name')).toBeVisible();
  await expect(page.getByRole('banner').getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(page).toHaveTitle(/Find company/);
  expect(await page.evaluate(() => localStorage.getItem('kp-lang'))).toBe('en');

  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1, name: 'Find company' })).toBeVisible();

  await page.getByRole('banner').getByRole('button', { name: /Dansk/ }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'da');
  await expect(page.getByRole('heading', { level: 1, name: 'Find virksomhed' })).toBeVisible();
});

test('API requests carry the chosen language in Accept-Language', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('banner').getByRole('button', { name: /English/ }).click();
  const req = page.waitForRequest((r) => r.url().includes('/api/v1/companies'));
  await page.getByLabel('Search by CVR number, P-number or name').fill('assure');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  expect((await req).headers()['accept-language']).toBe('en');
});
