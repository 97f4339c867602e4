import { defineConfig } from '@playwright/test';

// Tests de bout en bout de Fabrique.
//
// Aucun navigateur n'est téléchargé : Playwright pilote le Chromium du système
// (paquet Debian `chromium`, ou le binaire désigné par CHROMIUM_PATH).
// Le serveur est démarré par global-setup.ts sur un port libre ; son adresse
// arrive ici par FABRIQUE_BASE_URL (les workers sont lancés après le setup et
// relisent cette configuration).
//
// Lancement : scripts/test à la racine, ou, le binaire de debug une fois
// compilé (cargo build -p fabrique) : cd e2e && npx playwright test
export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  workers: 1,
  retries: 0,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  globalSetup: './global-setup.ts',
  globalTeardown: './global-teardown.ts',
  use: {
    baseURL: process.env.FABRIQUE_BASE_URL,
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
          args: [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
  ],
});
