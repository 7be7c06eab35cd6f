"""Automatic date fields that record the moment a service acts at.

A service acts at its institution's current time (monev.institutions.clock: a demo institution
lives on its story's day), and the rows it writes should say that moment, not the real time:
`StampField` is Django's DateTimeField with auto_now / auto_now_add, except that it takes the
moment `stamp` gave the instance, or (on creation) a value set explicitly. Without either it
records the real time, as Django's does. Its column and migrations are a DateTimeField's.
"""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.utils import timezone

_STAMP = "_stamped_at"


def stamp(instance: models.Model, moment: datetime):
    """Have the instance's automatic date fields record `moment` when it is saved next."""
    instance.__dict__[_STAMP] = moment
    return instance


class StampField(models.DateTimeField):
    def pre_save(self, model_instance, add):
        if not (self.auto_now or (self.auto_now_add and add)):
            return super().pre_save(model_instance, add)
        value = model_instance.__dict__.get(_STAMP)
        if value is None and add:
            value = getattr(model_instance, self.attname)  # given at creation
        if value is None:
            value = timezone.now()
        setattr(model_instance, self.attname, value)
        return value

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateTimeField", args, kwargs
