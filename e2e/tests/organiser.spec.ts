import { test } from '@playwright/test';
import { ORGANISER, login } from '../helpers';

// Parcours d'une organisatrice — à écrire quand les pages correspondantes existeront :
//  1. se connecter avec le compte créé par global-setup.ts (login(page, ORGANISER.email, ORGANISER.password)) ;
//  2. créer un territoire par /territories/new : nom « Commune nouvelle d'exemple »,
//     type commune, code officiel 62523 ; vérifier expectAccessible sur le formulaire ;
//  3. voir la page du territoire créé (nom, type, code) ;
//  4. ouvrir la page de délégation de la session de démonstration pour un territoire
//     et y ajouter une personne dans une catégorie ; la voir listée ;
//  5. sur la page du territoire, la section #history liste la création du territoire.

test.describe('organisatrice', () => {
  test.fixme();

  test('crée un territoire, délègue une personne, consulte l’historique', async ({ page }) => {
    await login(page, ORGANISER.email, ORGANISER.password);
  });
});
