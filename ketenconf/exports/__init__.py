"""The public programme of an edition in the formats other software reads: iCalendar for
calendars, the frab schedule XML and JSON for conference apps. One small class per format,
found through :mod:`ketenconf.exports.registry`."""
