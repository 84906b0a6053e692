"""WTForms classes (Flask-WTF adds the CSRF token to each)."""
