import { expect, test } from '@playwright/test';
import { authFile, search } from './helpers.ts';

const ASSURE = { cvr: '35682872', name: 'ASSURE WEALTH A/S', pNumber: '1019207540' };

test.describe('company search and company page', () => {
  test.use({ storageState: authFile('admin') });

  test.beforeEach(async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1, name: 'Find virksomhed' })).toBeVisible();
  });

  test('browsing without a query lists companies with a count and pagination', async ({ page }) => {
    const table = page.locator('table.kp-results');
    await expect(table).toBeVisible();
    await expect(table.locator('tbody tr')).toHaveCount(20);
    await expect(page.locator('.kp-count')).toContainText(/virksomheder/);
    await page.getByRole('navigation', { name: 'Sider' }).getByRole('link', { name: 'Næste' }).click();
    await expect(page).toHaveURL(/[?&]page=2/);
    await expect(page.getByRole('navigation', { name: 'Sider' })).toContainText('Side 2');
    await page.goBack();
    await expect(page).not.toHaveURL(/page=2/);
  });

  test('a misspelt name finds the company', async ({ page }) => {
    await search(page, 'asure welth');
    await expect(page.getByRole('link', { name: ASSURE.name })).toBeVisible();
    // The query survives a reload (it lives in the URL).
    await page.reload();
    await expect(page.getByLabel('Søg på CVR-nummer, P-nummer eller navn')).toHaveValue('asure welth');
    await expect(page.getByRole('link', { name: ASSURE.name })).toBeVisible();
  });

  test('a CVR number finds the company', async ({ page }) => {
    await search(page, ASSURE.cvr);
    const row = page.locator('table.kp-results tbody tr', { hasText: ASSURE.cvr });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText(ASSURE.name);
    await expect(row).toContainText('Fredensborg');
  });

  test('the company page shows master data, the P-unit and the advertising-protection badge', async ({ page }) => {
    await search(page, ASSURE.cvr);
    await page.getByRole('link', { name: ASSURE.name }).click();
    await expect(page).toHaveURL(new RegExp(`/virksomheder/${ASSURE.cvr}$`));
    await expect(page.getByRole('heading', { level: 1, name: ASSURE.name })).toBeVisible();
    await expect(page).toHaveTitle(new RegExp(ASSURE.name));
    await expect(page.locator('.badge', { hasText: 'Reklamebeskyttet' })).toBeVisible();
    await expect(page.locator('.kp-dl')).toContainText('Fredensborg');
    await expect(page.locator('.kp-dl')).toContainText('692000');
    const units = page.locator('table.kp-units');
    await expect(units.getByRole('cell', { name: ASSURE.pNumber, exact: true })).toBeVisible();
    // Dates are Danish (dd.mm.yyyy).
    await expect(units.locator('tbody tr').first().locator('td').nth(1)).toHaveText(/^(\d{2}\.\d{2}\.\d{4}|–)$/);
  });

  test('an unknown CVR shows "Virksomheden findes ikke"', async ({ page }) => {
    await page.goto('/virksomheder/12345674');
    await expect(page.getByRole('heading', { level: 1, name: 'Virksomheden findes ikke' })).toBeVisible();
  });
});
