import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ORGANISER, expectAccessible, login } from '../helpers';

// From the 2015 workshop's fourth production to the roadmap: the organiser makes a project of
// it, gives it a carrier, shapes it and proposes it; the validation meeting validates it under
// the committee's rule; the organiser publishes version 2 of the roadmap, whose PDF (read back
// by pdftotext) holds the project and its carrier; a visitor reads the roadmap and nothing else.

const W = '/workshops/sud-francilien-2015';
const TITLE = 'Maison des porteurs du sud francilien';

test.describe('ateliers et feuille de route', () => {
  test('production, projet, décision du comité, feuille de route publiée', async ({ page }) => {
    test.setTimeout(120_000);

    await test.step("l'organisatrice fait un projet d'une production d'équipe", async () => {
      await login(page, ORGANISER.email, ORGANISER.password);
      await page.goto('/workshops');
      await expectAccessible(page);
      await page.locator('#main a', { hasText: 'le cas du sud francilien' }).first().click();
      await expect(page.locator('h1')).toContainText('sud francilien');
      await expect(page.locator('#productions')).toContainText('Un manifeste et une stratégie mesurée');
      await expectAccessible(page);
      await page.getByRole('link', { name: 'Faire un projet de « Un manifeste et une stratégie mesurée »' }).click();
      await expect(page.locator('#f-project-production')).toHaveValue(/\d+/);
      await expectAccessible(page);
      await page.locator('#f-project-title').fill(TITLE);
      await page.locator('#f-project-budget_need').fill('2 000 €');
      await page.getByRole('button', { name: 'Créer le projet' }).click();
      await expect(page.locator('h1')).toContainText(TITLE);
      await expect(page.locator('.origin')).toContainText('Équipe 4, production « Un manifeste et une stratégie mesurée »');
      await expectAccessible(page);
    });

    await test.step('elle lui donne un porteur, le met en forme et le propose au comité', async () => {
      await page.locator('#f-carrier-kind').selectOption('elected');
      await page.locator('#f-carrier-person').selectOption({ label: 'Inès Carré' });
      await page.getByRole('button', { name: 'Ajouter le porteur' }).click();
      await expect(page.locator('#carriers')).toContainText('Inès Carré — Élu·e·s');
      await page.locator('#f-entry-entry').fill('/programmes/villes-pairs/referentiel/editions/1/entries/engagement-des-acteurs-economiques');
      await page.getByRole('button', { name: "Lier l'entrée" }).click();
      await expect(page.locator('#entries a')).toHaveText('Associer les entreprises et les opérateurs économiques');
      for (const stage of ['shaping', 'proposed']) {
        await page.locator('#f-move-to').selectOption(stage);
        await page.getByRole('button', { name: "Changer d'étape" }).click();
      }
      await expect(page.locator('#stage')).toContainText('Proposé au comité');
      await expectAccessible(page);
    });

    await test.step('le comité de validation le valide', async () => {
      await page.goto(`${W}/committee`);
      await expectAccessible(page);
      await page.locator('#meetings a', { hasText: 'Comité de validation' }).click();
      await page.locator('#f-agenda-project').selectOption({ label: `${TITLE} (Proposé au comité)` });
      await page.getByRole('button', { name: "Inscrire à l'ordre du jour" }).click();
      const item = page.locator('#agenda article', { hasText: TITLE });
      await item.getByLabel('Voix pour').fill('5');
      await item.getByRole('button', { name: 'Enregistrer la décision' }).click();
      await expect(page.locator('#agenda article', { hasText: TITLE })).toContainText('Valider');
      await expect(page.locator('#agenda article', { hasText: TITLE })).toContainText('Validé');
      await expectAccessible(page);
    });

    await test.step('elle publie la version 2 de la feuille de route', async () => {
      await page.goto(`${W}/roadmap`);
      await expect(page.locator('.preview')).toContainText(TITLE);
      await expectAccessible(page);
      await page.locator('#f-roadmap-title').fill('Feuille de route collective pour le sud francilien');
      await page.locator('#f-roadmap-note').fill('Ajout de la maison des porteurs.');
      await page.getByRole('button', { name: 'Publier', exact: true }).click();
      await expect(page).toHaveURL(/\/roadmap\/2$/);
      await expect(page.locator('#main')).toContainText(TITLE);
      await expect(page.locator('#main')).toContainText('Inès Carré');
      await expectAccessible(page);
      const href = await page.locator('#main a', { hasText: 'Télécharger la feuille de route' }).getAttribute('href');
      const pdf = await page.request.get(href as string);
      expect(pdf.status()).toBe(200);
      expect(pdf.headers()['content-type']).toContain('application/pdf');
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'fabrique-roadmap-')), 'feuille-de-route.pdf');
      writeFileSync(file, await pdf.body());
      const text = spawnSync('pdftotext', [file, '-'], { encoding: 'utf8' });
      expect(text.status, text.stderr).toBe(0);
      const flat = text.stdout.replace(/\s+/g, ' ');
      expect(flat).toContain(TITLE);
      expect(flat).toContain('Inès Carré');
    });

    await test.step('une contribution de journée montre le projet qui en est issu', async () => {
      await page.goto('/programmes/villes-pairs/referentiel/contributions');
      const link = page.locator('article.contribution a', { hasText: 'Une épicerie solidaire portée par les habitants' });
      await expect(link).toHaveCount(1);
      await link.click();
      await expect(page.locator('.origin')).toContainText('Contribution d');
    });

    await test.step('le calendrier signale les échéances extérieures', async () => {
      await page.goto(`${W}/plan`);
      await expect(page.locator('table.timeline')).toBeVisible();
      await expect(page.locator('#main')).toContainText('Échéance extérieure');
      await expectAccessible(page);
      await page.locator('header form button', { hasText: 'Se déconnecter' }).click();
    });

    await test.step('un visiteur lit la feuille de route publiée, et rien d’autre', async () => {
      await page.goto('/workshops');
      await page.locator('#main a', { hasText: 'version 2' }).first().click();
      await expect(page.locator('h1')).toContainText('Feuille de route collective');
      await expect(page.locator('#main')).toContainText(TITLE);
      await expectAccessible(page);
      await page.goto(`${W}/projects`);
      await expect(page).toHaveURL(/\/login/);
    });
  });
});
