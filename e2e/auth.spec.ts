import { expect, test } from '@playwright/test';
import { authFile, DEMO_PASSWORD, demoUsers, signIn } from './helpers.ts';

test.describe('sign in and out', () => {
  test('unauthenticated visitors are sent to the login page', async ({ page }) => {
    await page.goto('/');
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Log ind' })).toBeVisible();
    await expect(page).toHaveTitle(/Log ind/);
  });

  test('a wrong password shows an error', async ({ page }) => {
    await page.goto('/login');
    await page.getByLabel('E-mail').fill(demoUsers.admin);
    await page.getByLabel('Adgangskode').fill('not-the-password');
    await page.getByRole('button', { name: 'Log ind' }).click();
    const alert = page.locator('.alert-error');
    await expect(alert).toBeVisible();
    await expect(alert.locator('.alert-text')).not.toBeEmpty();
    await expect(page).toHaveURL(/\/login$/);
  });

  test('the right password lands on the search page, and signing out returns to login', async ({ page }) => {
    await signIn(page, demoUsers.admin, DEMO_PASSWORD);
    await expect(page).toHaveTitle(/Find virksomhed/);
    const header = page.getByRole('banner');
    await expect(header.getByRole('navigation', { name: 'Hovedmenu' })).toBeVisible();
    await expect(header.getByRole('link', { name: 'Brugere', exact: true })).toBeVisible();
    await expect(header).toContainText('Knudepunkt drift');

    await header.getByRole('button', { name: 'Log ud' }).click();
    await expect(page).toHaveURL(/\/login$/);
    // The session is gone: protected pages redirect to login again.
    await page.goto('/ivaerksaettere');
    await expect(page).toHaveURL(/\/login$/);
  });

  test('an adviser lands on "Mit arbejde" after signing in', async ({ page }) => {
    await signIn(page, demoUsers.adviser, DEMO_PASSWORD);
    await expect(page).toHaveURL(/\/mit-arbejde$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Mit arbejde' })).toBeVisible();
    const nav = page.getByRole('navigation', { name: 'Hovedmenu' });
    await expect(nav.locator('.kp-nav-name').first()).toHaveText('Mit arbejde');
    // Signing in moves focus to the landing page's heading.
    await expect(page.getByRole('heading', { level: 1, name: 'Mit arbejde' })).toBeFocused();
    await expect(nav.getByRole('link', { name: 'Find virksomhed' })).toBeVisible();
    await expect(nav.getByRole('link', { name: /^Henvisninger\b/ })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Log' })).toHaveCount(0);
  });

  test.describe('as an adviser', () => {
    test.use({ storageState: authFile('adviser') });

    test('advisers do not see the users admin in the navigation', async ({ page }) => {
      await page.goto('/');
      const nav = page.getByRole('navigation', { name: 'Hovedmenu' });
      await expect(nav.getByRole('link', { name: 'Iværksættere' })).toBeVisible();
      await expect(nav.getByRole('link', { name: 'Brugere', exact: true })).toHaveCount(0);
      await expect(page.getByRole('banner')).toContainText('Erhvervshus Sydjylland');
    });
  });
});

test.describe('the menu shows what the server allows', () => {
  test.use({ storageState: authFile('reader') });

  test('a KKR reader sees the aggregate sections only, and every item opens', async ({ page }) => {
    await page.goto('/evaluering');
    const nav = page.getByRole('navigation', { name: 'Hovedmenu' });
    await expect(nav.getByRole('link', { name: 'Kontrakter' })).toBeVisible();
    for (const hidden of ['Iværksættere', 'Mit arbejde', 'Henvisninger', 'Henvendelser', 'Vores tilbud', 'Brugere']) {
      await expect(nav.getByRole('link', { name: hidden, exact: true })).toHaveCount(0);
    }
    const session = await (await page.request.get('/api/v1/auth/session')).json();
    expect(session.abilities.sections).toMatchObject({ prospects: false, myWork: false, evaluation: true, contracts: true });
  });
});

