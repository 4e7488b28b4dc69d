from .exhibitions import (
    Booth,
    BuyerRegistration,
    Exhibition,
    ExhibitorApplication,
    Hall,
    Representative,
)
from .meetings import (
    Meeting,
    MeetingBreak,
    MeetingEvent,
    MeetingHours,
    MeetingOutcome,
    MeetingTable,
    Slot,
)

__all__ = [
    "Booth",
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
