from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "ketenconf.workspace"
    label = "workspace"
    verbose_name = "Organiser workspace"
