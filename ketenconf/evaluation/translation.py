from modeltranslation.translator import TranslationOptions, register

from .models import Question, Survey


@register(Survey)
class SurveyTranslation(TranslationOptions):
    fields = ("introduction",)


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("text", "choices")
