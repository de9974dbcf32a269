"""Early adopter programmes (Elite)."""
