"""Django admin messages that our Dutch words differently.

Django's own Dutch puts "De" before every model's name ("De netwerkmoment ‘…’ is met succes
toegevoegd"), wrong for the many names that take "het" (netwerkmoment, gesprek, onderwerp,
voorstel, blok). Our translation (read before Django's) says it without an article. The
strings are listed here so that ``makemessages`` keeps them in our catalogue.
"""

from django.utils.translation import gettext_noop

ADMIN_MESSAGES = (
    gettext_noop("The {name} “{obj}” was added successfully."),
    gettext_noop("You may edit it again below."),
    gettext_noop("The {name} “{obj}” was added successfully. You may add another {name} below."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may edit it again below."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may add another {name} below."),
    gettext_noop("The {name} “{obj}” was changed successfully."),
    gettext_noop("The %(name)s “%(obj)s” was deleted successfully."),
)
