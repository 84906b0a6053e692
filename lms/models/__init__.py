"""All sop-lms models, imported here so Alembic and the app see one complete metadata."""

from lms.models.audit import Acknowledgement, AuditEvent
from lms.models.enrolment import Assignment, Attempt, Enrolment, Response
from lms.models.sop import ImmutableRevisionError, Sop, SopRevision, SopSection, SopStep
from lms.models.training import Lesson, Question, Quiz, TrainingModule
from lms.models.user import APP_ROLES, JobRole, User, user_job_roles

__all__ = [
    "APP_ROLES",
    "Acknowledgement",
    "Assignment",
    "Attempt",
    "AuditEvent",
    "Enrolment",
    "ImmutableRevisionError",
    "JobRole",
    "Lesson",
    "Question",
    "Quiz",
    "Response",
    "Sop",
    "SopRevision",
    "SopSection",
    "SopStep",
    "TrainingModule",
    "User",
    "user_job_roles",
]
