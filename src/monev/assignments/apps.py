from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The session key saying the signed-in user is an external assessor somewhere: the nav shows
# "My assessment queue" from it without a query on every page.
ASSESSOR_SESSION_KEY = "monev_assessor"


def remember_assessor(sender, request, user, **kwargs):
    from monev.assignments.selectors import is_assessor

    if request is not None and hasattr(request, "session"):
        request.session[ASSESSOR_SESSION_KEY] = is_assessor(user)


class AssignmentsConfig(AppConfig):
    name = "monev.assignments"
    label = "assignments"
    verbose_name = _("Assessor assignments")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from monev.assignments import selectors
        from monev.evaluations import hooks

        user_logged_in.connect(remember_assessor, dispatch_uid="monev.assignments.assessor")
        # Who judges which answers: the evaluation's services ask through this.
        hooks.assessor_scope.register(selectors)
