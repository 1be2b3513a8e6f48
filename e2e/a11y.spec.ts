import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './axe.ts';
import { authFile, demoUsers, search } from './helpers.ts';

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

  test('404 page when signed out', async ({ page }) => {
    await page.goto('/findes-ikke');
    await expect(page.getByRole('heading', { level: 1, name: 'Siden findes ikke' })).toBeVisible();
    await expect(page).toHaveTitle(/Siden findes ikke/);
    await expectNoSeriousA11yViolations(page, '404 (signed out)');
  });

  test('public case library and a case page (signed out)', async ({ page }) => {
    await page.goto('/historier?region=nordjylland');
    await expect(page.getByRole('heading', { level: 1, name: 'Gode historier' })).toBeVisible();
    await expect(page.locator('.kp-case-card').first()).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'case library (filtered)');
    await page.locator('.kp-case-card').first().getByRole('link').click();
    await expect(page.getByRole('heading', { level: 2, name: 'Fakta' })).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'case page');
  });

  test.describe('as admin', () => {
    test.use({ storageState: authFile('admin') });

    test('search with results', async ({ page }) => {
      await page.goto('/');
      await expect(page.locator('table.kp-results tbody tr').first()).toBeVisible();
      await expectNoSeriousA11yViolations(page, 'search (browse)');

      await search(page, 'asure welth');
      await expect(page.getByRole('link', { name: 'ASSURE WEALTH A/S' })).toBeVisible();
      await expectNoSeriousA11yViolations(page, 'search with results');
    });

    test('company page', async ({ page }) => {
      await page.goto('/virksomheder/35682872');
      await expect(page.getByRole('heading', { level: 1, name: 'ASSURE WEALTH A/S' })).toBeVisible();
      await expect(page.locator('table.kp-units')).toBeVisible();
      await expectNoSeriousA11yViolations(page, 'company page');

      await page.goto('/virksomheder/12345674');
      await expect(page.getByRole('heading', { level: 1, name: 'Virksomheden findes ikke' })).toBeVisible();
      await expectNoSeriousA11yViolations(page, 'company not found');
    });

    test('users admin', async ({ page }) => {
      await page.goto('/admin/brugere');
      await expect(page.getByRole('heading', { level: 1, name: 'Brugere' })).toBeVisible();
      await expect(page.locator('table.kp-users tbody tr').first()).toBeVisible();
      await expectNoSeriousA11yViolations(page, 'users admin');
    });

    test('404 page when signed in', async ({ page }) => {
      await page.goto('/findes-ikke');
      await expect(page.getByRole('heading', { level: 1, name: 'Siden findes ikke' })).toBeVisible();
      await expectNoSeriousA11yViolations(page, '404');
    });

    test('search in English', async ({ page }) => {
      await page.goto('/');
      await page.getByRole('banner').getByRole('button', { name: /English/ }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Find company' })).toBeVisible();
      await expect(page.locator('table.kp-results tbody tr').first()).toBeVisible();
      await expectNoSeriousA11yViolations(page, 'search (English)');
    });
  });

  test.describe('as adviser', () => {
    test.use({ storageState: authFile('adviser') });

    test('prospects page with the create form', async ({ page }) => {
      await page.goto('/ivaerksaettere');
      await expect(page.getByLabel('Personens navn')).toBeVisible();
      await expect(page.locator('.spinner-status')).toHaveCount(0);
      await expectNoSeriousA11yViolations(page, 'prospects (adviser)');
    });
  });

  test.describe('as manager', () => {
    test.use({ storageState: authFile('manager') });

    test('notification settings: chosen, saved with focus on the confirmation, and back to the default', async ({ page }) => {
      await page.goto('/indstillinger');
      await expect(page.getByRole('heading', { level: 1, name: 'Indstillinger' })).toBeVisible();
      const leads = page.getByRole('checkbox', { name: 'Nye henvendelser' });
      // A manager is not mailed about new requests unless they choose it.
      await expect(leads).not.toBeChecked();
      await expect(page.locator('#notify-leads-hint')).toContainText('Uden dit eget valg får du ikke mailen.');
      await expectNoSeriousA11yViolations(page, 'settings');

      await leads.check();
      await page.getByRole('button', { name: 'Gem indstillinger' }).click();
      await expect(page.locator('.alert-success')).toBeFocused();
      await expect(page.locator('.alert-success')).toContainText('Dine indstillinger er gemt.');
      await page.reload();
      await expect(page.getByRole('checkbox', { name: 'Nye henvendelser' })).toBeChecked();

      await page.getByRole('button', { name: 'Brug standard' }).click();
      await expect(page.locator('.alert-success')).toContainText('Dine indstillinger følger nu standarden.');
      await expect(page.getByRole('checkbox', { name: 'Nye henvendelser' })).not.toBeChecked();
      await expectNoSeriousA11yViolations(page, 'settings after reset');
    });
  });

  test.describe('as reader', () => {
    test.use({ storageState: authFile('reader') });

    test('prospects page without the create form', async ({ page }) => {
      await page.goto('/ivaerksaettere');
      await expect(page.getByRole('heading', { level: 1, name: 'Potentielle iværksættere' })).toBeVisible();
      await expect(page.locator('.spinner-status')).toHaveCount(0);
      await expectNoSeriousA11yViolations(page, 'prospects (reader)');
    });
  });
});
