from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from quizzes.answers import authored_types
from sops.readers import READERS

SOP_EXTENSIONS = [extension.lstrip(".") for extension in READERS]  # every format a reader exists for


class UploadSopForm(FlaskForm):
    document = FileField(
        "SOP document",
        validators=[
            FileRequired("Choose a file to upload."),
            FileAllowed(
                SOP_EXTENSIONS,
                "Upload a Word (.docx), PDF, HTML, Markdown (.md), reStructuredText (.rst) or text (.txt) "
                "file.",
            ),
        ],
        description="Word (.docx), PDF with a text layer, HTML, Markdown, reStructuredText or plain text.",
    )


class QuestionEditForm(FlaskForm):
    stem = TextAreaField("Question", validators=[DataRequired(), Length(max=4000)])
    options = TextAreaField("Options, one per line", validators=[Length(max=8000)])
    answer = StringField("Correct answer", validators=[InputRequired(), Length(max=2000)])


class AssignForm(FlaskForm):
    job_role = SelectField("Job role", coerce=int, validators=[InputRequired()])
    due_days = IntegerField(
        "Due within (days)", default=14, validators=[InputRequired(), NumberRange(min=1, max=3650)]
    )
    recurrence_days = IntegerField(
        "Refresher every (days)",
        validators=[Optional(), NumberRange(min=30, max=3650)],
        description="Empty: no refresher. 365 asks for an annual refresher after each completion.",
    )


class PublishForm(FlaskForm):
    retraining = SelectField(
        "Retraining for people trained on the previous revision", validators=[Optional()]
    )


class QuizSettingsForm(FlaskForm):
    pass_mark = IntegerField("Pass mark (%)", validators=[InputRequired(), NumberRange(min=1, max=100)])
    questions_per_attempt = IntegerField(
        "Questions per attempt",
        validators=[Optional(), NumberRange(min=1, max=500)],
        description="Empty: every approved question. Fewer than the pool: retakes draw other questions.",
    )
    max_attempts = IntegerField(
        "Attempts allowed",
        validators=[Optional(), NumberRange(min=1, max=100)],
        description="Empty: unlimited.",
    )
    partial_credit = BooleanField(
        "Partial credit",
        description="Multiple-response, ordering and matching items earn part of the mark if partly right.",
    )
    time_limit_minutes = IntegerField(
        "Time limit (minutes)",
        validators=[Optional(), NumberRange(min=1, max=600)],
        description="Empty: no timer.",
    )


class NewQuestionForm(QuestionEditForm):
    type = SelectField(
        "Question type",
        choices=[SelectChoice(value=t.name, label=t.label) for t in authored_types()],
    )
    step = SelectField("SOP step it tests", coerce=int, validators=[Optional()])


class AssignPeopleForm(FlaskForm):
    people = SelectMultipleField("People", coerce=int, validators=[Optional()])
    department = SelectField("Or everyone in a department", validators=[Optional()])
    due_on = DateField("Due on", validators=[InputRequired()])


class BulkAssignForm(FlaskForm):
    document = FileField(
        "CSV file",
        validators=[FileRequired("Choose a CSV file."), FileAllowed(["csv", "txt"], "Upload a .csv file.")],
        description="Columns: email, sop_code, due_date (YYYY-MM-DD). One row per person and SOP.",
    )


class BulkConfirmForm(FlaskForm):
    content = TextAreaField(validators=[DataRequired()])
