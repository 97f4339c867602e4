login-title = Sign in
login-email = E-mail address
login-password = Password
login-submit = Sign in
