import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './axe.ts';
import { signIn } from './helpers.ts';

/** Demo users of the Vækst Via Viden 2.0 project (server/modules/demo/seed.ts). */
const projectLeader = 'nordjylland@demo.knudepunkt.dk';
const jobcentre = 'jobcenter@demo.knudepunkt.dk';

test.describe('match register (Vækst Via Viden 2.0)', () => {
  test('the project leader sees the split and progress, and sets a target by hand', async ({ page }) => {
    await signIn(page, projectLeader);
    await page.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Matchregister' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Matchregister' })).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'match register list');
    await page.getByRole('link', { name: 'Vækst Via Viden 2.0' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Vækst Via Viden 2.0' })).toBeVisible();
    // The demo's first year, by hand: Aalborg 465 × 1/3 = 155 matches, 33,3 % of its target.
    await expect(page.getByRole('table', { name: 'Kommunerne', exact: true }).getByRole('row', { name: 'Aalborg 155 465 33,3 %' })).toBeVisible();
    await expect(page.getByRole('img', { name: /match og måltal pr. kommune/ })).toBeVisible();
    // Each partner's matches by quarter, as the API gives them.
    const byQuarter = page.getByRole('table', { name: 'Alle partnere fordelt på kvartal' });
    await expect(byQuarter.getByRole('columnheader', { name: '2020-Q3' })).toBeVisible();
    await expect(byQuarter.getByRole('row', { name: /Jobcenter Aalborg/ })).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'match project progress');

    await page.getByRole('tab', { name: 'Målfordeling' }).click();
    const split = page.getByRole('table', { name: 'Kommunernes måltal' });
    await expect(split.getByRole('row', { name: /Læsø/ })).toContainText('Ikke med');
    await expect(split.locator('tfoot')).toContainText('1.400');
    await expectNoSeriousA11yViolations(page, 'match project split');
    await page.getByLabel('Manuelt måltal for Aalborg').fill('500');
    await page.getByRole('button', { name: 'Gem måltal' }).click();
    await expect(page.getByText('Måltallene er gemt.')).toBeVisible();
    await expect(split.getByRole('row', { name: /Aalborg/ })).toContainText('sat manuelt');
    await expect(split.locator('tfoot')).toContainText('1.400');
    // Back to the split by workplaces, for the next run on the same data.
    await page.getByLabel('Manuelt måltal for Aalborg').fill('');
    await page.getByRole('button', { name: 'Gem måltal' }).click();
    await expect(split.getByRole('row', { name: /Aalborg/ })).not.toContainText('sat manuelt');
  });

  test('the project leader creates a project; its split waits for the workplaces', async ({ page }) => {
    await signIn(page, projectLeader);
    await page.goto('/matchregister');
    await page.getByRole('link', { name: 'Nyt matchprojekt' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Nyt matchprojekt' })).toBeVisible();
    await page.getByRole('button', { name: 'Opret projekt' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Projektet kan ikke oprettes' })).toBeVisible();
    await page.getByLabel('Projektets navn').fill('Studiejob i Vendsyssel');
    await page.getByLabel('Periodens start').fill('01.01.2025');
    await page.getByLabel('Periodens slutning').fill('31.12.2026');
    await page.getByLabel('Samlet måltal (match)').fill('300');
    await page.getByLabel('Heraf til kommunerne').fill('200');
    await page.getByLabel('Region', { exact: true }).selectOption('Region Nordjylland');
    await page.getByRole('group', { name: 'Kommuner uden for fordelingen' }).getByLabel('Læsø').check();
    await page.getByRole('group', { name: 'Partnere' }).getByLabel('Jobcenter Hjørring').check();
    await page.getByRole('group', { name: 'Partnere' }).getByLabel('UCN – University College Nordjylland').check();
    await expectNoSeriousA11yViolations(page, 'new match project');
    await page.getByRole('button', { name: 'Opret projekt' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Studiejob i Vendsyssel' })).toBeVisible();
    await page.getByRole('tab', { name: 'Målfordeling' }).click();
    await expect(page.getByText('Fordelingen kan ikke laves, før antal arbejdspladser er importeret')).toBeVisible();
    // The StatBank export as saved (Windows-1252): the 200 split between the ten municipalities besides Læsø.
    await page.getByLabel('Fil fra Statistikbanken').setInputFiles(fileURLToPath(new URL('../fixtures/statbank/erhv2-nordjylland-2019-win1252.csv', import.meta.url)));
    await page.getByRole('button', { name: 'Importér' }).click();
    await expect(page.getByText('Arbejdspladserne er importeret.')).toBeVisible();
    const split = page.getByRole('table', { name: 'Kommunernes måltal' });
    await expect(split.getByRole('row', { name: /Brønderslev/ })).toContainText('2.174');
    await expect(split.locator('tfoot')).toContainText('200');
    await expectNoSeriousA11yViolations(page, 'match project split after import');
  });

  test('a jobcentre registers a match without person data, shared with the business service', async ({ page }) => {
    await signIn(page, jobcentre);
    await page.goto('/matchregister');
    await page.getByRole('link', { name: 'Vækst Via Viden 2.0' }).click();
    await page.getByRole('tab', { name: 'Registrér match' }).click();
    await expect(page.getByText('Registrér aldrig CPR-nummer eller navn.')).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'match registration form');
    await page.getByRole('button', { name: 'Registrér match' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Matchet kan ikke registreres' })).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'match registration with errors');

    await page.getByRole('tab', { name: 'Vores match' }).click();
    const cvr = (await page.getByRole('table', { name: 'Vores match' }).locator('tbody tr').first().locator('td').nth(1).textContent())!.match(/\((\d{8})\)/)![1]!;
    await page.getByRole('tab', { name: 'Registrér match' }).click();
    await page.getByLabel('Virksomhedens CVR-nummer').fill(cvr);
    await page.getByLabel('Matchtype').selectOption({ label: 'Studiejob' });
    await page.getByLabel('Dato for matchet').fill('01.03.2022');
    await page.getByLabel('Kandidatens uddannelsesniveau').selectOption({ label: 'Kandidat' });
    await page.getByLabel('Uddannelsessted').fill('AAU');
    await page.getByLabel('Erhvervsservice Aalborg Kommune').check();
    await page.getByRole('button', { name: 'Registrér match' }).click();
    await expect(page.getByText('Matchet er registreret.')).toBeVisible();

    await page.getByRole('tab', { name: 'Vores match' }).click();
    const row = page.getByRole('table', { name: 'Vores match' }).getByRole('row', { name: /01\.03\.2022/ });
    await expect(row).toContainText('Erhvervsservice Aalborg Kommune (0,5)');
    await expectNoSeriousA11yViolations(page, 'own matches');
    await row.getByRole('button', { name: /Slet matchet/ }).click();
    await expect(page.getByText('Matchet er slettet.')).toBeVisible();
  });
});
