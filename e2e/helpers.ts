import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'knudepunkt-demo';

export const demoUsers = {
  admin: 'admin@demo.knudepunkt.dk',
  adviser: 'adviser@demo.knudepunkt.dk',
  manager: 'manager@demo.knudepunkt.dk',
  reader: 'reader@demo.knudepunkt.dk',
  kommune: 'kommune@demo.knudepunkt.dk',
  /** An adviser of another municipality's business service (Aabenraa, 580), also under Erhvervshus Sydjylland. */
  aabenraa: 'aabenraa@demo.knudepunkt.dk',
  ew: 'ew@demo.knudepunkt.dk',
} as const;

export type DemoRole = keyof typeof demoUsers;

const authDir = fileURLToPath(new URL('../test-results/.auth/', import.meta.url));

/** Where auth.setup.ts saves the signed-in browser state of a demo user. */
export function authFile(role: DemoRole): string {
  return path.join(authDir, `${role}.json`);
}

/**
 * Signs in through the login form and waits for the landing page: "Mit arbejde" for advisers and
 * managers of hubs and local business services, the search page for everyone else.
 */
export async function signIn(page: Page, email: string = demoUsers.admin, password: string = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Adgangskode').fill(password);
  await page.getByRole('button', { name: 'Log ind' }).click();
  await expect(page).toHaveURL(/\/(mit-arbejde)?$/);
  await expect(page.getByRole('heading', { level: 1, name: /^(Find virksomhed|Mit arbejde)$/ })).toBeVisible();
}

/** Runs a company search through the form on the search page. */
export async function search(page: Page, query: string): Promise<void> {
  await page.getByLabel('Søg på CVR-nummer, P-nummer eller navn').fill(query);
  await page.getByRole('button', { name: 'Søg', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`[?&]q=${encodeURIComponent(query).replace(/%20/g, '(\\+|%20)')}`));
}
