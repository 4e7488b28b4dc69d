def roles(request):
    """What the navigation needs to know about the person: organiser, company, role."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"my_company": None, "is_organiser": False}
    return {"my_company": user.company, "is_organiser": user.is_organiser}
