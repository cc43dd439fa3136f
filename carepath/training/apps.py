from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "carepath.training"
    label = "training"
    verbose_name = "Champions network and training"
