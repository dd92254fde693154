from modeltranslation.translator import TranslationOptions, register

from .models import Edition, Series


@register(Series)
class SeriesTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Edition)
class EditionTranslation(TranslationOptions):
    fields = ("title", "theme", "description")
