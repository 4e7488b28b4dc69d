from .exhibitions import (
    Booth,
    BuyerRegistration,
    Exhibition,
    ExhibitorApplication,
    Hall,
    Representative,
)
from .mailings import Mailing
from .meetings import (
    Meeting,
    MeetingBreak,
    MeetingEvent,
    MeetingHours,
    MeetingOutcome,
    MeetingTable,
    Slot,
)
from .scheduling import DraftMeeting, Interpreter, ScheduleRun, Unavailability, Wish
from .showfloor import CheckIn, Lead

__all__ = [
    "Booth",
    "CheckIn",
    "Lead",
    "Mailing",
    "DraftMeeting",
    "Interpreter",
    "ScheduleRun",
    "Unavailability",
    "Wish",
    "BuyerRegistration",
    "Exhibition",
    "ExhibitorApplication",
    "Hall",
    "Meeting",
    "MeetingBreak",
    "MeetingEvent",
    "MeetingHours",
    "MeetingOutcome",
    "MeetingTable",
    "Representative",
    "Slot",
]
