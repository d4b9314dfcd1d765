"""The Teamline Python SDK: an async client for the REST API and the event socket.

async with Client("http://127.0.0.1:8080") as tl:
    await tl.sign_in("max", "secret")
    async with tl.events() as stream:
        await tl.set_presence("dnd", "In a meeting")
        event = await stream.wait_for("presence.changed")
"""

from teamline.client.api import ApiError, Client, code_from_url
from teamline.client.events import EventStream, SocketClosed

__all__ = ["ApiError", "Client", "EventStream", "SocketClosed", "code_from_url"]
