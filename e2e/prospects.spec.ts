import { expect, test } from '@playwright/test';
import { demoUsers, signIn } from './helpers.ts';

test('an adviser creates a prospect and links it to a CVR number', async ({ page }) => {
  await signIn(page, demoUsers.adviser);
  await page.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Iværksættere' }).click();
  await expect(page).toHaveURL(/\/ivaerksaettere$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Potentielle iværksættere' })).toBeVisible();

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

test('readers see prospects without the create form', async ({ page }) => {
  await signIn(page, demoUsers.reader);
  await page.goto('/ivaerksaettere');
  await expect(page.getByRole('heading', { level: 1, name: 'Potentielle iværksættere' })).toBeVisible();
  await expect(page.getByLabel('Personens navn')).toHaveCount(0);
});
