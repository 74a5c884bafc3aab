"""How the project sets up the apps it installs: the admin site it uses, and
names in the reader's language for the apps that have none of their own.

Django's admin and the app list read an app's `verbose_name` from its
AppConfig; django-tasks-db and django-axes give an untranslated one (or none),
so the Arabic admin showed "TASKS DATABASE BACKEND" and "AXES". These
subclasses only name them: everything else is the library's own config.
"""

from axes.apps import AppConfig as AxesAppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class NewsAdminConfig(AdminConfig):
    """Django's admin, with the project's site (its name, the entity search's labels)."""

    default_site = "newsreader.admin_site.NewsAdminSite"


class TasksConfig(TasksAppConfig):
    verbose_name = _("Background tasks")


class AxesConfig(AxesAppConfig):
    verbose_name = _("Login lockout")
