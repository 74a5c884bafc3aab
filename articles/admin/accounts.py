"""The admins of accounts that other apps register (Django's users and groups,
django-axes' login attempts), with the bounded search every admin of the project has.

Their search boxes turned a thousand one-letter words into a query SQLite
refused ("Expression tree is too large"): a 500. Each is registered again as a
small subclass with BoundedSearchMixin, and is otherwise unchanged.
"""

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from .search import BoundedSearchMixin


class UserAdmin(BoundedSearchMixin, auth_admin.UserAdmin):
    pass


class GroupAdmin(BoundedSearchMixin, auth_admin.GroupAdmin):
    pass


class AccessAttemptAdmin(BoundedSearchMixin, axes_admin.AccessAttemptAdmin):
    pass


class AccessLogAdmin(BoundedSearchMixin, axes_admin.AccessLogAdmin):
    pass


class AccessFailureLogAdmin(BoundedSearchMixin, axes_admin.AccessFailureLogAdmin):
    pass


# Importing django.contrib.auth.admin and axes.admin (above) registered theirs;
# axes registers none when AXES_ENABLE_ADMIN is off.
for model, model_admin in (
    (get_user_model(), UserAdmin),
    (Group, GroupAdmin),
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
        admin.site.register(model, model_admin)
