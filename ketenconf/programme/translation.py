from modeltranslation.translator import TranslationOptions, register

from .models import Block, Host, Topic


@register(Block)
class BlockTranslation(TranslationOptions):
    fields = ("title",)


@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = ("title", "description", "theme")


@register(Host)
class HostTranslation(TranslationOptions):
    fields = ("role",)
