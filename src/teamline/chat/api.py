"""Routes: conversations, messages, markers, reactions, attachments (CHAT-1…8)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import FileResponse, JSONResponse

from teamline.chat.schemas import (
    AttachmentOut,
    ConversationOut,
    ConversationsOut,
    DirectIn,
    MarkerIn,
    MessageEditIn,
    MessageIn,
    MessageOut,
    MessagesOut,
    MuteIn,
)
from teamline.web.deps import App, Caller

router = APIRouter(prefix="/api/v1", tags=["chat"])

UPLOAD_DOC = {
    "requestBody": {
        "required": True,
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    }
}


@router.post(
    "/conversations",
    status_code=201,
    response_model=ConversationOut,
    responses={200: {"model": ConversationOut, "description": "The existing conversation"}},
)
async def open_direct(body: DirectIn, caller: Caller, app: App) -> JSONResponse:
    """The 1:1 conversation with a colleague: 201 when new, 200 when it existed."""
    out, created = await app.chat.open_direct(caller, body.user_id)
    return JSONResponse(out.model_dump(mode="json"), status_code=201 if created else 200)


@router.get("/conversations", response_model=ConversationsOut)
async def conversations(caller: Caller, app: App) -> ConversationsOut:
    """My conversations, most recent activity first, with the unread total (CHAT-3)."""
    return await app.chat.list_conversations(caller)


@router.get("/conversations/{conversation_id}", response_model=ConversationOut)
async def conversation(conversation_id: str, caller: Caller, app: App) -> ConversationOut:
    return await app.chat.get_conversation(caller, conversation_id)


@router.get("/conversations/{conversation_id}/messages", response_model=MessagesOut)
async def messages(
    conversation_id: str,
    caller: Caller,
    app: App,
    before: Annotated[str | None, Query(max_length=32)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> MessagesOut:
    """History, oldest first; ``before`` pages back from a message (CHAT-6)."""
    return await app.chat.messages(caller, conversation_id, before=before, limit=limit)


@router.post(
    "/conversations/{conversation_id}/messages",
    status_code=201,
    response_model=MessageOut,
    responses={200: {"model": MessageOut, "description": "A retry: the message sent before"}},
)
async def send(conversation_id: str, body: MessageIn, caller: Caller, app: App) -> JSONResponse:
    """Send; a retry with the same ``client_id`` answers 200 with the first message."""
    out, created = await app.chat.send(caller, conversation_id, body)
    return JSONResponse(out.model_dump(mode="json"), status_code=201 if created else 200)


@router.patch("/conversations/{conversation_id}/messages/{message_id}", response_model=MessageOut)
async def edit(
    conversation_id: str, message_id: str, body: MessageEditIn, caller: Caller, app: App
) -> MessageOut:
    """Change the text of my own message."""
    return await app.chat.edit(caller, conversation_id, message_id, body.text)


@router.delete("/conversations/{conversation_id}/messages/{message_id}", status_code=204)
async def delete(conversation_id: str, message_id: str, caller: Caller, app: App) -> Response:
    """Delete my own message; a placeholder stays in the history."""
    await app.attachments.delete_message(caller, conversation_id, message_id)
    return Response(status_code=204)


@router.put(
    "/conversations/{conversation_id}/messages/{message_id}/reactions/{emoji}", status_code=204
)
async def react(
    conversation_id: str, message_id: str, emoji: str, caller: Caller, app: App
) -> Response:
    await app.chat.react(caller, conversation_id, message_id, emoji, on=True)
    return Response(status_code=204)


@router.delete(
    "/conversations/{conversation_id}/messages/{message_id}/reactions/{emoji}", status_code=204
)
async def unreact(
    conversation_id: str, message_id: str, emoji: str, caller: Caller, app: App
) -> Response:
    await app.chat.react(caller, conversation_id, message_id, emoji, on=False)
    return Response(status_code=204)


@router.post("/conversations/{conversation_id}/read", status_code=204)
async def read(conversation_id: str, body: MarkerIn, caller: Caller, app: App) -> Response:
    """Read up to a message, on all my devices (CHAT-5)."""
    await app.chat.mark_read(caller, conversation_id, body.up_to)
    return Response(status_code=204)


@router.post("/conversations/{conversation_id}/delivered", status_code=204)
async def delivered(conversation_id: str, body: MarkerIn, caller: Caller, app: App) -> Response:
    """My device received messages up to this one (delivery receipt)."""
    await app.chat.mark_delivered(caller, conversation_id, body.up_to)
    return Response(status_code=204)


@router.put("/conversations/{conversation_id}/mute", status_code=204)
async def mute(conversation_id: str, body: MuteIn, caller: Caller, app: App) -> Response:
    await app.chat.set_muted(caller.user_id, conversation_id, body.muted)
    return Response(status_code=204)


@router.post(
    "/conversations/{conversation_id}/attachments",
    status_code=201,
    response_model=AttachmentOut,
    openapi_extra=UPLOAD_DOC,
)
async def upload(
    conversation_id: str,
    request: Request,
    caller: Caller,
    app: App,
    name: Annotated[str, Query(min_length=1, max_length=255)],
) -> AttachmentOut:
    """Upload a file (the raw body) to send with a message; the size limit is a setting."""
    return await app.attachments.upload(
        caller,
        conversation_id,
        name=name,
        content_type=request.headers.get("content-type", ""),
        declared_size=request.headers.get("content-length"),
        body=request.stream(),
    )


@router.get("/attachments/{attachment_id}", response_class=FileResponse)
async def download(attachment_id: str, caller: Caller, app: App) -> FileResponse:
    """The file, for members of its conversation only."""
    found = await app.attachments.file(caller, attachment_id)
    disposition = "inline" if found.inline else "attachment"
    return FileResponse(
        found.path,
        media_type=found.content_type,
        headers={
            "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(found.name)}",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "sandbox; default-src 'none'",
            "Cache-Control": "private, max-age=86400",
        },
    )


@router.get("/attachments/{attachment_id}/preview", response_class=FileResponse)
async def preview(attachment_id: str, caller: Caller, app: App) -> FileResponse:
    """A PNG preview of an image attachment, at most 480 pixels wide and high."""
    path = await app.attachments.preview(caller, attachment_id)
    return FileResponse(
        path, media_type="image/png", headers={"Cache-Control": "private, max-age=86400"}
    )
