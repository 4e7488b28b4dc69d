"""Reads that several views, tasks and the matcher need."""

from companies.models import Company

from .models import BuyerRegistration, ExhibitorApplication


def participating_exhibitors(exhibition):
    """Exhibitor companies with an approved application for the exhibition."""
    return Company.objects.filter(
        applications__exhibition=exhibition, applications__status=ExhibitorApplication.Status.APPROVED
    )


def participating_buyers(exhibition):
    """Buyer companies whose registration for the exhibition is approved."""
    return Company.objects.filter(
        buyer_registrations__exhibition=exhibition, buyer_registrations__status=BuyerRegistration.Status.APPROVED
    )
