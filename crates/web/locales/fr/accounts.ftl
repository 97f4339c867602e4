login-title = Connexion
login-email = Adresse électronique
login-password = Mot de passe
login-submit = Se connecter
