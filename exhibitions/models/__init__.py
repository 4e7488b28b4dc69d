from .conversations import Conversation, ConversationRead, Message, MessageDigest, MessageDigestItem
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
from .reporting import ExchangeRate
from .scheduling import DraftMeeting, Interpreter, ScheduleRun, Unavailability, Wish
from .showfloor import CheckIn, Lead

__all__ = [
    "Conversation",
    "ConversationRead",
    "Message",
    "MessageDigest",
    "MessageDigestItem",
    "Booth",
    "CheckIn",
    "ExchangeRate",
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
