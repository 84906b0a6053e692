from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectChoice, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional

from lms.models import APP_ROLES


class CreateUserForm(FlaskForm):
    name = StringField("Full name", validators=[DataRequired(), Length(max=200)])
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Initial password", validators=[DataRequired(), Length(min=10, max=1024)])
    app_role = SelectField(
        "App role", choices=[SelectChoice(value=r, label=r.title()) for r in APP_ROLES], default="learner"
    )
    job_roles = SelectMultipleField("Job roles", coerce=int, validators=[Optional()])


class JoinRoleForm(FlaskForm):
    job_role = SelectField("Add to job role", coerce=int)


class JobRoleForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    department = StringField("Department", validators=[Optional(), Length(max=120)])
    site = StringField("Site", validators=[Optional(), Length(max=120)])


class TimezoneForm(FlaskForm):
    timezone = SelectField(
        "Your time zone", description="Your signatures and times are shown in it, next to UTC."
    )
