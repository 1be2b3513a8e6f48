import { expect, test } from '@playwright/test';
import { authFile } from './helpers.ts';

test.describe('as an adviser', () => {
  test.use({ storageState: authFile('adviser') });

  test('an adviser creates a prospect and links it to a CVR number', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Iværksættere' }).click();
    await expect(page).toHaveURL(/\/ivaerksaettere$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Potentielle iværksættere' })).toBeVisible();
    await expect(page).toHaveTitle(/Potentielle iværksættere/);

    const person = `Testperson ${Date.now()}`;
    await page.getByLabel('Personens navn').fill(person);
    await page.getByLabel(/Planlagt virksomhedsnavn/).fill('Testfirma ApS');
    await page.getByLabel(/Kommune/).selectOption({ label: 'Sønderborg' });
    await page.getByLabel(/Beskrivelse/).fill('Vil starte en virksomhed inden for grøn omstilling.');
    await page.getByRole('button', { name: 'Opret', exact: true }).click();
    await expect(page.locator('.alert-success')).toBeVisible();

    const row = page.locator('table.kp-prospects tbody tr', { hasText: person });
    await expect(row).toContainText('Sønderborg');
    await row.getByLabel(`CVR-nummer for ${person}`).fill('35682872');
    await row.getByRole('button', { name: 'Knyt til CVR' }).click();
    await expect(row.getByRole('link', { name: 'CVR 35682872' })).toBeVisible();
  });

  test('a prospect chosen in the global search is marked in the list and takes focus', async ({ page }) => {
    await page.goto('/ivaerksaettere');
    const person = `Søgeperson ${Date.now()}`;
    await page.getByLabel('Personens navn').fill(person);
    await page.getByRole('button', { name: 'Opret', exact: true }).click();
    await expect(page.locator('.alert-success')).toBeVisible();

    await page.goto('/mit-arbejde');
    const box = page.getByRole('search').getByRole('combobox', { name: 'Søg', exact: true });
    await box.fill(person);
    await page.getByRole('option', { name: person, exact: true }).click();
    await expect(page).toHaveURL(/\/ivaerksaettere\?id=[0-9a-f-]{36}$/);
    const row = page.locator('table.kp-prospects tbody tr', { hasText: person });
    await expect(row).toHaveAttribute('aria-current', 'true');
    await expect(row.locator('td').first()).toBeFocused();
    await expect(page.locator('table.kp-prospects tbody tr[aria-current]')).toHaveCount(1);
  });
});

test.describe('validation errors', () => {
  test.use({ storageState: authFile('adviser') });

  test('field messages from the API are shown next to their inputs', async ({ page }) => {
    await page.goto('/ivaerksaettere');
    await page.getByRole('button', { name: 'Opret', exact: true }).click();
    await expect(page.locator('.alert-error')).toBeVisible();
    const input = page.getByLabel('Personens navn');
    await expect(input).toHaveAttribute('aria-invalid', 'true');
    await expect(page.locator('#prospect-person-error')).not.toBeEmpty();
  });

  test('an invalid industry code in the search shows the field message', async ({ page }) => {
    await page.goto('/?industry=abc');
    await expect(page.locator('.alert-error')).toBeVisible();
    await expect(page.locator('#search-industry-error')).not.toBeEmpty();
  });
});

test.describe('as a reader', () => {
  test.use({ storageState: authFile('reader') });

  test('readers see prospects without the create form', async ({ page }) => {
    await page.goto('/ivaerksaettere');
    await expect(page.getByRole('heading', { level: 1, name: 'Potentielle iværksættere' })).toBeVisible();
    await expect(page.getByLabel('Personens navn')).toHaveCount(0);
  });
});
