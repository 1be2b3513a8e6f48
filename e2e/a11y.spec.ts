import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './axe.ts';
import { demoUsers, search, signIn } from './helpers.ts';

test.describe('accessibility (axe, WCAG 2.1 A/AA): no serious or critical violations', () => {
  test('login page', async ({ page }) => {
    await page.goto('/login');
    await expect(page.getByRole('heading', { level: 1, name: 'Log ind' })).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'login');
  });

  test('login page with an error', async ({ page }) => {
    await page.goto('/login');
    await page.getByLabel('E-mail').fill(demoUsers.admin);
    await page.getByLabel('Adgangskode').fill('wrong-password');
    await page.getByRole('button', { name: 'Log ind' }).click();
    await expect(page.locator('.alert-error')).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'login with error');
  });

  test('search, company page, users admin and 404 (admin)', async ({ page }) => {
    await signIn(page, demoUsers.admin);
    await expect(page.locator('table.kp-results tbody tr').first()).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'search (browse)');

    await search(page, 'asure welth');
    await expect(page.getByRole('link', { name: 'ASSURE WEALTH A/S' })).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'search with results');

    await page.getByRole('link', { name: 'ASSURE WEALTH A/S' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'ASSURE WEALTH A/S' })).toBeVisible();
    await expect(page.locator('table.kp-units')).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'company page');

    await page.goto('/virksomheder/12345674');
    await expect(page.getByRole('heading', { level: 1, name: 'Virksomheden findes ikke' })).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'company not found');

    await page.goto('/admin/brugere');
    await expect(page.getByRole('heading', { level: 1, name: 'Brugere' })).toBeVisible();
    await expect(page.locator('table.kp-users tbody tr').first()).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'users admin');

    await page.goto('/ivaerksaettere');
    await expect(page.getByRole('heading', { level: 1, name: 'Potentielle iværksættere' })).toBeVisible();
    await expect(page.locator('.spinner-status')).toHaveCount(0);
    await expectNoSeriousA11yViolations(page, 'prospects (admin)');

    await page.goto('/findes-ikke');
    await expect(page.getByRole('heading', { level: 1, name: 'Siden findes ikke' })).toBeVisible();
    await expectNoSeriousA11yViolations(page, '404');

    // English mode too.
    await page.getByRole('banner').getByRole('button', { name: /English/ }).click();
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1, name: 'Find company' })).toBeVisible();
    await expect(page.locator('table.kp-results tbody tr').first()).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'search (English)');
  });

  test('prospects page with the create form (adviser)', async ({ page }) => {
    await signIn(page, demoUsers.adviser);
    await page.goto('/ivaerksaettere');
    await expect(page.getByLabel('Personens navn')).toBeVisible();
    await expect(page.locator('.spinner-status')).toHaveCount(0);
    await expectNoSeriousA11yViolations(page, 'prospects (adviser)');
  });

  test('404 page when signed out', async ({ page }) => {
    await page.goto('/findes-ikke');
    await expect(page.getByRole('heading', { level: 1, name: 'Siden findes ikke' })).toBeVisible();
    await expect(page).toHaveTitle(/Siden findes ikke/);
    await expectNoSeriousA11yViolations(page, '404 (signed out)');
  });
});
