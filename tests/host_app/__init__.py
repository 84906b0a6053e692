"""An ordinary Flask application, written as a customer's would be, that mounts sop-lms: its own
Flask-SQLAlchemy instance and `Member` model, its own Flask-Login (login view and user loader), its own
Alembic history through Flask-Migrate. tests/web/test_host_app.py drives it."""
