"""All sop-lms models, imported here so Alembic and the app see one complete metadata."""

from lms.models.audit import AuditEvent, Signature
from lms.models.enrolment import Assignment, Attempt, Enrolment, Response
from lms.models.progress import AttemptDeadline, LessonProgress
from lms.models.report import SavedReport
from lms.models.sop import ImmutableRevisionError, Sop, SopRevision, SopRule, SopSection, SopStep
from lms.models.tally import QuestionTally, StepRoleTally
from lms.models.training import Lesson, Question, Quiz, TrainingModule
from lms.models.user import APP_ROLES, JobRole, User, user_job_roles

__all__ = [
    "APP_ROLES",
    "Assignment",
    "Attempt",
    "AttemptDeadline",
    "AuditEvent",
    "Enrolment",
    "ImmutableRevisionError",
    "JobRole",
    "Lesson",
    "LessonProgress",
    "Question",
    "QuestionTally",
    "Quiz",
    "Response",
    "SavedReport",
    "Signature",
    "Sop",
    "SopRevision",
    "SopRule",
    "SopSection",
    "SopStep",
    "StepRoleTally",
    "TrainingModule",
    "User",
    "user_job_roles",
]
