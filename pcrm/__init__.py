"""pcrm: a local-first personal CRM. Keep this module light: the CLI imports it at start-up."""

__version__ = "0.1.0"
