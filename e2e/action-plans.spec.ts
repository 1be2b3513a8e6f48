import { readFile } from 'node:fs/promises';
import JSZip from 'jszip';
import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './axe.ts';
import { authFile, noHorizontalScrollAt360 } from './helpers.ts';

test.describe('action plans (handleplaner)', () => {
  test.setTimeout(120_000);

  test.describe('an adviser of Sønderborg', () => {
    test.use({ storageState: authFile('kommune') });

    test('creates a plan with an initiative, sees it and downloads it as Word', async ({ page }) => {
      const title = `Handleplan for grøn omstilling ${Date.now()}`;

      // The list, from the menu; the demo plan from seed 000 is there.
      await page.goto('/mit-arbejde');
      await page.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Handleplaner' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Handleplaner' })).toBeVisible();
      await expect(page.getByRole('link', { name: 'Handleplan for internationalisering' })).toBeVisible();
      await expectNoSeriousA11yViolations(page, 'action plans (list)');
      await noHorizontalScrollAt360(page);

      // A new plan: submitted empty first, the errors are summed up in a focused summary.
      await page.getByRole('link', { name: 'Ny handleplan' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Ny handleplan' })).toBeVisible();
      await page.getByRole('button', { name: 'Opret handleplan' }).click();
      const summary = page.locator('.kp-error-summary');
      await expect(summary).toBeFocused();
      await expect(summary).toContainText('Skriv en titel.');
      await expectNoSeriousA11yViolations(page, 'new action plan with errors');
      await page.getByLabel('Titel').fill(title);
      await page.getByLabel('Periodens start').fill('01.01.2027');
      await page.getByLabel('Periodens slutning').fill('31.12.2026');
      await page.getByLabel('Fokusområder').fill('Energi\nBygge og anlæg');
      await page.getByLabel('Formål').fill('At hjælpe SMV’er i gang med den grønne omstilling.');
      await page.getByRole('button', { name: 'Opret handleplan' }).click();
      // The server refuses an end before the start, at the field.
      await expect(summary).toBeFocused();
      await expect(summary).toContainText('Slutdatoen kan ikke ligge før startdatoen.');
      await page.getByLabel('Periodens slutning').fill('31.12.2028');
      await page.getByRole('button', { name: 'Opret handleplan' }).click();

      await expect(page).toHaveURL(/\/handleplaner\/[0-9a-f-]{36}$/);
      const heading = page.getByRole('heading', { level: 1, name: title });
      await expect(heading).toBeFocused();
      await expect(page.getByText('Handleplanen har ingen indsatser endnu.')).toBeVisible();

      // An initiative with an outside actor responsible and the hub as a partner.
      const add = page.getByRole('region', { name: 'Tilføj indsats' });
      await add.getByLabel('Indsats', { exact: true }).fill('Energitjek for SMV’er');
      await add.getByLabel('Fokusområde').selectOption('Energi');
      await add.getByLabel('Indhold/beskrivelse').fill('Virksomhederne tilbydes et gratis energitjek.');
      await add.getByLabel('Målsætning(er)').fill('50 virksomheder får et energitjek.\nHalvdelen sætter et tiltag i gang.');
      await add.getByLabel('En ekstern aktør').check();
      await add.getByLabel('Den eksterne aktørs navn').fill('Sønderborg Vækstråd');
      await add.getByLabel('Samarbejdspartnere i Knudepunkt').selectOption({ label: 'Erhvervshus Sydjylland' });
      await add.getByLabel('Status').selectOption('running');
      await add.getByRole('button', { name: 'Tilføj indsatsen' }).click();
      const added = page.locator('.kp-success');
      await expect(added).toBeFocused();
      await expect(added).toContainText('Indsatsen "Energitjek for SMV’er" er tilføjet.');
      const card = page.getByRole('article', { name: 'Energitjek for SMV’er' });
      await expect(card).toContainText('Sønderborg Vækstråd i samarbejde med Erhvervshus Sydjylland');
      await expect(card).toContainText('I gang');
      await expect(card.getByRole('table', { name: 'Fremdrift' })).toContainText('Virksomheder nået');
      await expectNoSeriousA11yViolations(page, 'action plan with an initiative');

      // The assessment with a comment.
      await card.getByRole('button', { name: 'Vurdér indsatsen' }).click();
      await card.getByLabel('Vurdering', { exact: true }).selectOption('on_track');
      await card.getByLabel('Kommentar').fill('De første ti energitjek er gennemført.');
      await card.getByRole('button', { name: 'Gem vurderingen' }).click();
      await expect(added).toBeFocused();
      await expect(card).toContainText('På rette spor');

      // Word, in the layout of the plan's table.
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Hent som Word' }).click()]);
      expect(download.suggestedFilename()).toMatch(/\.docx$/);
      const file = await readFile((await download.path())!);
      expect(file.subarray(0, 2).toString()).toBe('PK');
      const xml = await (await JSZip.loadAsync(file)).file('word/document.xml')!.async('string');
      expect(xml).toContain(title);
      expect(xml).toContain('Energitjek for SMV’er');
      expect(xml).toContain('Målsætning(er)');
      await noHorizontalScrollAt360(page);
    });

    test("opens Sønderborg's plan for internationalisation", async ({ page }) => {
      await page.goto('/handleplaner');
      await page.getByRole('link', { name: 'Handleplan for internationalisering' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Handleplan for internationalisering' })).toBeVisible();
      await expect(page.getByRole('heading', { level: 3, name: 'Tyskland' })).toBeVisible();
      await expect(page.getByRole('heading', { level: 3, name: 'Kina' })).toBeVisible();
      await expect(page.getByRole('article', { name: 'Kina-netværk' })).toContainText('Politik, Analyse og Kommunikation');
      await expectNoSeriousA11yViolations(page, 'the demo action plan');
    });
  });

  test.describe('an adviser of the hub, a partner on the plan', () => {
    test.use({ storageState: authFile('adviser') });

    test('edits an initiative but may only choose organisations already on the plan', async ({ page }) => {
      await page.goto('/handleplaner');
      await page.getByRole('link', { name: 'Handleplan for internationalisering' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Handleplan for internationalisering' })).toBeVisible();
      await expect(page.getByRole('button', { name: 'Slet handleplanen' })).toHaveCount(0);
      const card = page.getByRole('article', { name: 'Kortlægning af virksomhedernes muligheder for udvikling i Tyskland' });
      await card.getByRole('button', { name: 'Redigér indsatsen' }).click();
      // Only the owner gives other organisations edit rights (the server answers 403 otherwise).
      const partners = card.getByLabel('Samarbejdspartnere i Knudepunkt');
      await expect(partners.locator('option')).toHaveText(['Erhvervshus Sydjylland', 'Erhvervsservice Sønderborg Kommune']);
      await expect(card).toContainText('Kun planens ejer kan give andre organisationer adgang');
      await expectNoSeriousA11yViolations(page, 'an initiative edited by a partner');
      await card.getByRole('button', { name: 'Annullér' }).click();
    });
  });

  test.describe('a KKR reader', () => {
    test.use({ storageState: authFile('reader') });

    test('reads the plan but is offered no changes', async ({ page }) => {
      await page.goto('/handleplaner');
      await expect(page.getByRole('link', { name: 'Ny handleplan' })).toHaveCount(0);
      await page.getByRole('link', { name: 'Handleplan for internationalisering' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Handleplan for internationalisering' })).toBeVisible();
      await expect(page.getByRole('link', { name: 'Hent som PDF' })).toBeVisible();
      await expect(page.getByRole('button', { name: 'Redigér indsatsen' })).toHaveCount(0);
      await expect(page.getByRole('region', { name: 'Tilføj indsats' })).toHaveCount(0);
      await expectNoSeriousA11yViolations(page, 'the demo action plan (reader)');
    });
  });
});
