"""Who may do what, declared once and used by views, templates and tests.

The house rule: an anonymous person is sent to log in; a signed-in person who may not see
or do something gets 404, so nothing about non-public objects leaks.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404


def is_organiser(user):
    """Cooperative staff and admins."""
    return bool(user.is_authenticated and user.is_organiser)


def is_admin(user):
    return bool(user.is_authenticated and user.is_superuser)


def is_member(user, company):
    return bool(user.is_authenticated and company is not None and user.company == company)


def is_owner(user, company):
    membership = user.membership if user.is_authenticated else None
    return bool(membership and membership.company_id == company.pk and membership.is_owner)


def can_edit_company(user, company):
    return is_owner(user, company) or is_organiser(user)


def can_view_company(user, company):
    return company.is_approved or is_member(user, company) or is_organiser(user)


def organiser_required(view):
    """Views for cooperative staff and admins only; others get 404."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not is_organiser(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def company_member_required(kind=None):
    """Views for people in a company (of `kind`, when given); the company is passed as `company`."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            company = request.user.company
            if company is None or (kind and company.kind != kind):
                raise Http404
            return view(request, *args, company=company, **kwargs)

        return wrapper

    return decorator


def can_create_company(user):
    """A signed-in person in no company; cooperative staff do not run companies."""
    return bool(user.is_authenticated and not user.is_organiser and user.membership is None)


def can_view_team(user, company):
    return is_member(user, company) or is_organiser(user)


def can_manage_team(user, company):
    """Invite, remove and promote people: the company's owners and organisers."""
    return can_edit_company(user, company)


def can_review_companies(user):
    return is_organiser(user)


def runs_exhibition(user, exhibition):
    """Staff of the cooperative that organises the exhibition, and admins."""
    if not user.is_authenticated:
        return False
    return bool(user.is_superuser or (user.cooperative_id and user.cooperative_id == exhibition.cooperative_id))


def manages_webhooks_of(user, cooperative_id):
    """A cooperative's webhooks: its staff, and admins."""
    if not user.is_authenticated:
        return False
    return bool(user.is_superuser or (user.cooperative_id and user.cooperative_id == cooperative_id))


def can_edit_availability(user, company):
    """A company's visit days, blocked times, parallel meetings and stand languages: its own
    people (staff change parallel meetings on the application review page)."""
    return is_member(user, company)


# Run the meeting scheduler of an exhibition and publish its schedule: the same people.
can_schedule = runs_exhibition


def can_join_conversation(user, *, exhibition, buyer_id, exhibitor_id):
    """Read and write the conversation of a buyer and an exhibitor at a show (a meeting's or
    their mutual wish's): any person of either company, and the show's organisers. Nobody
    else, not even other participants (404). Interpreters read along by their secret link."""
    if not user.is_authenticated:
        return False
    if runs_exhibition(user, exhibition):
        return True
    company = user.company
    return company is not None and company.pk in (buyer_id, exhibitor_id)
