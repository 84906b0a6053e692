from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

SOP_EXTENSIONS = ["md", "markdown", "txt", "text"]


class UploadSopForm(FlaskForm):
    document = FileField(
        "SOP document",
        validators=[
            FileRequired("Choose a file to upload."),
            FileAllowed(SOP_EXTENSIONS, "Upload a Markdown (.md) or plain text (.txt) file."),
        ],
        description="Markdown or plain text. Word, PDF and HTML are coming.",
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
