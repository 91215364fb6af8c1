"""Date and number formats per language, where Django's own do not suit (settings.FORMAT_MODULE_PATH)."""
