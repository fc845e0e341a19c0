"""WhatsApp through the sidecar [whatsapp-sidecar]: `client.py` speaks the sidecar's HTTP API (the only module
importing httpx for it), `source.py` is the `whatsapp` pull source's adapter (contacts now, messages by
webhook), `events.py` turns webhook events into records."""
