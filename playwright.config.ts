import os from 'node:os';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';

const PORT = 3199;
const baseURL = `http://localhost:${PORT}`;
// A fresh, empty data directory per run: the server seeds demo data into it (--demo-if-empty).
// Only the main Playwright process starts the web server. The directory is exported through the
// environment, which the test workers inherit, so that tests can read what the server writes there
// (mails become .eml files in <dir>/mail when no SMTP server is configured).
const inWorker = process.env.TEST_WORKER_INDEX !== undefined;
const dataDir = inWorker && process.env.KP_E2E_DATA_DIR ? process.env.KP_E2E_DATA_DIR : path.join(os.tmpdir(), `kp-e2e-${Date.now()}`);
process.env.KP_E2E_DATA_DIR = dataDir;

const chromium = {
  ...devices['Desktop Chrome'],
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  },
};

export default defineConfig({
  testDir: './e2e',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: 'list',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    headless: true,
    locale: 'da-DK',
    timezoneId: 'Europe/Copenhagen',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    // Signs in once per demo role and saves the session (the login endpoint is rate-limited).
    { name: 'setup', testMatch: /auth\.setup\.ts$/, use: chromium },
    { name: 'chromium', testMatch: /\.spec\.ts$/, dependencies: ['setup'], use: chromium },
  ],
  webServer: {
    command: 'node bin/knudepunkt.js serve --demo-if-empty',
    url: `${baseURL}/api/health`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      PORT: String(PORT),
      KNUDEPUNKT_DATA_DIR: dataDir,
      DATABASE_URL: '',
      NODE_ENV: 'development',
    },
  },
});
