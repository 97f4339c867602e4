import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ORGANISER, expectAccessible, login } from '../helpers';

// An organiser reads the 2015 synthesis budget (12,000 € on both sides, 7,000 € confirmed),
// builds a project's budget, marks a line confirmed, sees the what-if change, and exports the
// XLSX, read back by Python's zipfile as a spreadsheet application would open it.

/** The text of every cell of the first sheet of an XLSX file (shared strings and numbers). */
function xlsxCells(file: string): string {
  const script = [
    'import re, sys, zipfile',
    'z = zipfile.ZipFile(sys.argv[1])',
    "names = z.namelist()",
    "strings = re.findall(r'<t[^>]*>([^<]*)</t>', z.read('xl/sharedStrings.xml').decode()) if 'xl/sharedStrings.xml' in names else []",
    "sheet = z.read('xl/worksheets/sheet1.xml').decode()",
    "out = []",
    "for attrs, value in re.findall(r'<c ([^>]*)>\\s*<v>([^<]*)</v>', sheet):",
    "    out.append(strings[int(value)] if 't=\"s\"' in attrs else value)",
    "print('\\n'.join(out))",
  ].join('\n');
  const run = spawnSync('python3', ['-c', script, file], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout;
}

test.describe('budgets', () => {
  test('synthèse 2015, budget de projet, ligne confirmée, et si…, export XLSX', async ({ page }) => {
    test.setTimeout(90_000);

    await test.step('le budget de la synthèse 2015 tel qu’écrit', async () => {
      await login(page, ORGANISER.email, ORGANISER.password);
      await page.goto('/workshops/sud-francilien-2015');
      await page.getByRole('link', { name: 'Budget de la synthèse' }).click();
      await expect(page.locator('h1')).toContainText('Budget');
      const totals = page.locator('#totals');
      await expect(totals).toContainText('Financements attendus');
      await expect(totals.locator('dd').nth(1)).toHaveText('12\u202f000\u00a0€');
      await expect(totals.locator('dd').nth(2)).toHaveText('12\u202f000\u00a0€');
      await expect(page.locator('#what-if')).toContainText('7\u202f000\u00a0€ pour 12\u202f000\u00a0€');
      await expect(page.locator('.warning')).toBeVisible();
      await expectAccessible(page);
    });

    await test.step('une organisatrice construit le budget d’un projet', async () => {
      await page.goto('/workshops/sud-francilien-2015/projects');
      await page.locator('.stage-cards a', { hasText: 'Assemblée des porteurs' }).click();
      await page.getByRole('link', { name: 'Budget du projet' }).click();
      await expectAccessible(page);
      await page.locator('#f-funding-funder').selectOption({ label: 'Veolia' });
      await page.locator('#f-funding-amount').fill('1 500');
      await page.locator('#f-funding-status').selectOption('to_confirm');
      await page.getByRole('button', { name: 'Ajouter un financement' }).click();
      await page.locator('#f-expense-category').fill('Mise en forme');
      await page.locator('#f-expense-label').fill('Un participant');
      await page.locator('#f-expense-quantity').fill('1');
      await page.locator('#f-expense-unit_cost').fill('2 000,00 €');
      await page.getByRole('button', { name: 'Ajouter une dépense' }).click();
      await expect(page.locator('#what-if')).toContainText('−2\u202f000\u00a0€');
      await expect(page.locator('#uncovered')).toContainText('Un participant — 2\u202f000\u00a0€ non couverts');
      await expectAccessible(page);
    });

    await test.step('elle marque la ligne confirmée : le et si… change', async () => {
      await page.getByLabel('Statut de la ligne Veolia').selectOption('confirmed');
      await page.locator('#funding form.search button').first().click();
      await expect(page.locator('#what-if')).toContainText('−500\u00a0€');
      await expect(page.locator('#uncovered')).toContainText('500\u00a0€ non couverts');
    });

    await test.step('elle exporte le budget en XLSX, relu comme un tableur', async () => {
      const href = await page.locator('#totals a', { hasText: 'XLSX' }).getAttribute('href');
      const response = await page.request.get(href as string);
      expect(response.status()).toBe(200);
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'fabrique-budget-')), 'budget.xlsx');
      writeFileSync(file, await response.body());
      const cells = xlsxCells(file);
      expect(cells).toContain('Veolia');
      expect(cells).toContain('Un participant');
      expect(cells).toContain('1500');
      expect(cells).toContain('Financements confirmés');
    });
  });
});
