"""At the show: badges (and, later, check-in and lead capture)."""
