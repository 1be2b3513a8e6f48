import { test as setup } from '@playwright/test';
import { authFile, signIn, demoUsers, type DemoRole } from './helpers.ts';

const roles: DemoRole[] = ['admin', 'adviser', 'manager', 'reader', 'kommune', 'ew', 'aabenraa'];

for (const role of roles) {
  setup(`sign in as ${role}`, async ({ page }) => {
    await signIn(page, demoUsers[role]);
    await page.context().storageState({ path: authFile(role) });
  });
}
