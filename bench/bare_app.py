"""The floor for the webhook benchmark: a bare ASGI app that reads the request and answers empty TwiML.

``bench/load.py`` serves it under the same uvicorn settings as ``puente serve`` (see ``main``):
whatever it reaches is the most this machine, uvicorn and the load generator allow.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

EMPTY_TWIML = b'<?xml version="1.0" encoding="UTF-8"?><Response />'
HEADERS = [(b"content-type", b"text/xml; charset=utf-8"), (b"content-length", str(len(EMPTY_TWIML)).encode())]


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    more = True
    while more:  # read the whole body, as a real endpoint must
        more = (await receive()).get("more_body", False)
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": EMPTY_TWIML})


def main() -> None:
    """``python bench/bare_app.py PORT WORKERS``: uvicorn with the arguments ``puente serve`` uses."""
    import uvicorn

    port, workers = int(sys.argv[1]), int(sys.argv[2])
    uvicorn.run(
        "bare_app:app",
        host="127.0.0.1",
        port=port,
        workers=workers,
        log_level="info",
        access_log=False,
        app_dir=str(Path(__file__).resolve().parent),
    )


if __name__ == "__main__":
    main()
