import { expect, test, type Page } from '@playwright/test';
import { authFile, type DemoRole } from './helpers.ts';

/**
 * Each page shows what the user may do, as the server decides it (the session's and each record's
 * abilities; the web makes no role checks of its own): a KKR reader, a hub adviser and the hub's
 * director (manager) see their own sections and buttons, and nothing they could not use.
 */
const CONTRACT_TITLE = /^Resultatkontrakt \d{4} mellem KKR Syddanmark og Erhvervshus Sydjylland \(efter 2020-kontrakten\)$/;
/** A Sønderborg company of the demo data. */
const COMPANY = '35682872';

async function menu(page: Page): Promise<string[]> {
  await page.goto('/kontrakter');
  await expect(page.getByRole('heading', { level: 1, name: 'Resultatkontrakter' })).toBeVisible();
  // The section names, without the counts of new and overdue items some carry.
  return page.getByRole('navigation', { name: 'Hovedmenu' }).locator('.kp-nav-name').allTextContents();
}

async function openContract(page: Page): Promise<void> {
  await page.goto('/kontrakter');
  await page.getByRole('link', { name: CONTRACT_TITLE }).click();
  await expect(page.getByRole('heading', { level: 1, name: CONTRACT_TITLE })).toBeVisible();
}

interface Expected {
  menu: string[];
  importContracts: boolean;
  editGoals: boolean;
  writeReports: boolean;
  createEngagement: boolean;
  evaluationSettings: boolean;
}

const PEOPLE: Record<'reader' | 'adviser' | 'manager', Expected> = {
  reader: {
    menu: ['Find virksomhed', 'Brugerevaluering', 'Resultatkontrakter', 'Handleplaner', 'Undersøgelser', 'Find tilbud', 'Arrangementer'],
    importContracts: false,
    editGoals: false,
    writeReports: false,
    createEngagement: false,
    evaluationSettings: false,
  },
  adviser: {
    menu: ['Mit arbejde', 'Find virksomhed', 'Henvendelser', 'Henvisninger', 'Brugerevaluering', 'Resultatkontrakter', 'Handleplaner', 'Undersøgelser', 'Iværksættere', 'Matchmaking', 'Matchregister', 'Find tilbud', 'Vores tilbud', 'Vores historier', 'Arrangementer'],
    importContracts: false,
    editGoals: false,
    writeReports: false,
    createEngagement: true,
    evaluationSettings: false,
  },
  manager: {
    menu: ['Mit arbejde', 'Find virksomhed', 'Henvendelser', 'Henvisninger', 'Brugerevaluering', 'Resultatkontrakter', 'Handleplaner', 'Undersøgelser', 'Iværksættere', 'Matchmaking', 'Matchregister', 'Find tilbud', 'Vores tilbud', 'Vores historier', 'Arrangementer'],
    importContracts: true,
    editGoals: true,
    writeReports: true,
    createEngagement: true,
    evaluationSettings: true,
  },
};

const shown = (yes: boolean) => (yes ? 1 : 0);

for (const [role, expected] of Object.entries(PEOPLE) as [DemoRole, Expected][]) {
  test.describe(`as the ${role}`, () => {
    test.use({ storageState: authFile(role) });

    test('the menu holds exactly the sections the user may open', async ({ page }) => {
      expect(await menu(page)).toEqual(expected.menu);
    });

    test('the contract pages show only the actions the user may take', async ({ page }) => {
      await page.goto('/kontrakter');
      await expect(page.getByRole('link', { name: CONTRACT_TITLE })).toBeVisible();
      await expect(page.getByRole('heading', { name: 'Importér kontrakt' })).toHaveCount(shown(expected.importContracts));
      await openContract(page);
      await expect(page.getByText('Redigér leverancer og opfyldelse').first()).toHaveCount(shown(expected.editGoals));
      await page.getByRole('tab', { name: 'Statusrapporter' }).click();
      await expect(page.getByRole('tabpanel')).toBeVisible();
      await expect(page.getByRole('heading', { name: 'Ny statusrapport' })).toHaveCount(shown(expected.writeReports));
    });

    test("the company page offers 'Opret forløb' only to those who may create one", async ({ page }) => {
      await page.goto(`/virksomheder/${COMPANY}?fane=forloeb`);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      // Loaded: the engagements tab, or the note that this user sees aggregates only.
      await expect(page.getByRole('tabpanel').or(page.getByText('Du ser kun aggregerede tal.')).first()).toBeVisible();
      await expect(page.getByRole('link', { name: 'Opret forløb' })).toHaveCount(shown(expected.createEngagement));
    });

    test('the evaluation settings are offered to those who may change them', async ({ page }) => {
      await page.goto('/evaluering');
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expect(page.locator('#eval-overall')).toBeVisible();
      await expect(page.getByText('Indstillinger for brugerevaluering')).toHaveCount(shown(expected.evaluationSettings));
    });
  });
}
