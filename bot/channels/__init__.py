"""Messaging channels: WhatsApp and SMS through Twilio, Telegram, and the outbox sender.

    base.py             the Channel contract and the send-error tree
    twilio_whatsapp.py  WhatsApp + SMS: signed webhooks, status callbacks, REST sending
    telegram.py         Telegram: webhook with secret token, polling, inline keyboards
    outbox.py           claiming outbox rows across processes, recording outcomes
    delivery.py         the sender loop: retries with backoff, the 24-hour window, pacing
    ratelimit.py        a provider's global rate per process
    splitting.py        long replies cut under a provider's size limit
    webhook.py          bounded webhook bodies and 4xx refusals
    redaction.py        provider error text scrubbed of tokens and numbers
    hub.py              the configured channels of one process, joined to inbox and sender

Submodules are imported by name (``bot.channels.hub``); importing this package loads no SDK.
"""
