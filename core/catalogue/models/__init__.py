"""The catalogue as SQLModel models (issue 13): what the setup screens list and edit and what
validates imported rows. The journal's hot paths stay set-based SQL (core/journal/queries)."""

from core.catalogue.models.calendar import AcademicYear, Bell, Holiday, Period, Setting
from core.catalogue.models.curricula import (
    Curriculum,
    CurriculumItem,
    Discipline,
    LessonType,
    Specialty,
    WorkKind,
)
from core.catalogue.models.people import (
    Account,
    Guardian,
    Person,
    PersonRole,
    Staff,
    Student,
    StudentMovement,
    StudyGroup,
    Subgroup,
)
from core.catalogue.models.teaching import KtpTopic, TeachingLoad, TimetableSlot

__all__ = [
    "AcademicYear", "Account", "Bell", "Curriculum", "CurriculumItem", "Discipline", "Guardian",
    "Holiday", "KtpTopic", "LessonType", "Period", "Person", "PersonRole", "Setting", "Specialty",
    "Staff", "Student", "StudentMovement", "StudyGroup", "Subgroup", "TeachingLoad", "TimetableSlot",
    "WorkKind",
]
