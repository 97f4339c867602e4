import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { DELEGATE, ORGANISER, expectAccessible, login } from '../helpers';

// The référentiel grows from a workshop day: a delegate contributes on the day of 19 June
// 2019, the organiser turns the contribution into a new entry, accepts it and publishes
// edition 2; a visitor compares editions 1 and 2, searches, and downloads the PDF, whose text
// (read back by pdftotext) holds the new entry.

const R = '/programmes/villes-pairs/referentiel';
const TEXT = 'Notre régie de quartier anime un atelier de réparation de vélos ouvert à toutes et à tous.';
const TITLE = "L'atelier vélo de quartier";

test.describe('référentiel', () => {
  test('contribution, modification, édition 2, comparaison, recherche, PDF', async ({ page }) => {
    test.setTimeout(120_000);

    await test.step('une personne déléguée contribue sur la journée de juin', async () => {
      await login(page, DELEGATE.email, DELEGATE.password);
      await page.goto(R);
      await expect(page.locator('h1')).toContainText('Référentiel — Édition 1');
      await expectAccessible(page);
      await page.locator('#main nav a', { hasText: 'Contributions' }).click();
      await expect(page.locator('h1')).toContainText('Contributions des journées');
      await expectAccessible(page);
      await page.locator('#f-day').selectOption({ label: '19 juin 2019 — Seconde session' });
      await page.locator('#f-kind').selectOption('practice');
      await page.locator('#f-text').fill(TEXT);
      await page.getByRole('button', { name: 'Enregistrer la contribution' }).click();
      await expect(page.locator('article.contribution').first()).toContainText(TEXT);
      await expect(page.locator('article.contribution').first()).toContainText('Loos-en-Gohelle');
      await expectAccessible(page);
      await page.locator('header form button', { hasText: 'Se déconnecter' }).click();
    });

    await test.step("l'organisatrice en tire une nouvelle entrée, l'accepte et publie", async () => {
      await login(page, ORGANISER.email, ORGANISER.password);
      await page.goto(`${R}/contributions`);
      const mine = page.locator('article.contribution', { hasText: TEXT });
      await mine.getByRole('link', { name: 'En tirer une modification' }).click();
      await expect(page.locator('h1')).toContainText("Préparer l'édition 2");
      await expect(page.locator('#f-body')).toHaveValue(TEXT);
      await expectAccessible(page);
      await page.locator('#f-action').selectOption('new');
      await page.locator('#f-section').selectOption({ index: 5 });
      await page.locator('#f-kind').selectOption('device');
      await page.locator('#f-title').fill(TITLE);
      await page.locator('#f-summary').fill('Réparer ensemble pour se déplacer autrement.');
      await page.getByRole('button', { name: 'Proposer', exact: true }).click();
      const change = page.locator('article.change', { hasText: TITLE });
      await expect(change).toContainText('À relire');
      await expectAccessible(page);
      await change.getByRole('button', { name: 'Enregistrer la décision' }).click();
      await expect(page.locator('article.change', { hasText: TITLE })).toContainText('Acceptée');
      await page.locator('#f-note').fill('Les apports des journées de 2019.');
      await page.getByRole('button', { name: 'Publier', exact: true }).click();
      await expect(page.locator('h1')).toContainText('Référentiel — Édition 2');
      await expect(page.locator('#main')).toContainText(TITLE);
      await page.locator('header form button', { hasText: 'Se déconnecter' }).click();
    });

    await test.step('un visiteur compare les éditions 1 et 2', async () => {
      await page.goto(`${R}/compare`);
      await expect(page.locator('#added-title + ul')).toContainText(TITLE);
      await expectAccessible(page);
    });

    await test.step('il cherche, sans accents', async () => {
      await page.goto(R);
      await page.locator('#f-q').fill('atelier velo reparation');
      await page.locator('#main form[role=search] button').click();
      await expect(page.locator('ol.results li').first()).toContainText(TITLE);
      await expect(page.locator('ol.results mark').first()).toBeVisible();
      await expectAccessible(page);
      await page.locator('ol.results a').first().click();
      await expect(page.locator('h1')).toContainText(TITLE);
      await expect(page.locator('#main')).toContainText("d'après une contribution de Loos-en-Gohelle");
      await expectAccessible(page);
    });

    await test.step('il télécharge le PDF, dont le texte contient la nouvelle entrée', async () => {
      await page.goto(`${R}/editions/2`);
      const href = await page.locator('#main a', { hasText: 'Télécharger en PDF' }).getAttribute('href');
      const pdf = await page.request.get(href as string);
      expect(pdf.status()).toBe(200);
      expect(pdf.headers()['content-type']).toContain('application/pdf');
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'fabrique-ref-')), 'edition-2.pdf');
      writeFileSync(file, await pdf.body());
      const text = spawnSync('pdftotext', [file, '-'], { encoding: 'utf8' });
      expect(text.status, text.stderr).toBe(0);
      expect(text.stdout.replace(/\s+/g, ' ')).toContain('atelier vélo de quartier');
    });
  });
});
