"""The JSON API, ``/api/v1`` (docs/portal.md): the same documents as the CLI's
``--format json``. Each route checks nothing itself: the services say who may."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from patentpool.core.access import Principal
from patentpool.portal.auth import Caller, checked_caller, config, principal
from patentpool.portal.encoding import json_response
from patentpool.services import portal

router = APIRouter(prefix="/api/v1", tags=["api"])

Who = Annotated[Principal, Depends(principal)]
Checked = Annotated[Caller, Depends(checked_caller)]


class DistributionRequest(BaseModel):
    """``POST /api/v1/programs/{program}/distributions``."""

    period: str = Field(examples=["2026Q1"])
    policy: str | None = Field(default=None, examples=["proportional"])
    params: dict[str, str] = Field(default_factory=dict)


@router.get("/me")
def me(who: Who) -> dict[str, Any]:
    """The signed-in user: name, role and the member or licensee it is bound to."""
    return portal.me(who)


@router.get("/patents", response_model=dict[str, Any])
def patents(
    request: Request,
    who: Who,
    standard: str | None = None,
    version: str | None = None,
    in_force_on: dt.date | None = None,
    member: str | None = None,
    country: str | None = None,
) -> Response:
    """The public patent list (any role), as ``patents list --format json``."""
    query = portal.patent_query(
        who,
        standard=standard,
        version=version,
        in_force_on=in_force_on,
        member=member,
        country=country,
    )
    return json_response(request, portal.patents_json(config(request).store, who, query))


@router.get("/members/{member}/statement", response_model=dict[str, Any])
def member_statement(
    request: Request, who: Who, member: str, program: str | None = None, period: str | None = None
) -> Response:
    """A member's statement (that member, or staff): ``report member --format json``."""
    store = config(request).store
    found = portal.member_statement_json(store, who, member, program, period)
    return json_response(request, found)


@router.get("/licensees/{licensee}/royalties", response_model=dict[str, Any])
def licensee_royalties(
    request: Request,
    who: Who,
    licensee: str,
    program: Annotated[str, Query()],
    period: Annotated[str, Query()],
) -> Response:
    """What a licensee owes for a quarter (that licensee, or staff)."""
    store = config(request).store
    found = portal.licensee_royalties_json(store, who, licensee, program, period)
    return json_response(request, found)


@router.get("/licensees/{licensee}/license")
def licence_summary(
    request: Request, who: Who, licensee: str, program: Annotated[str, Query()]
) -> Any:
    """A licensee's licence summary and licensed patent schedule (that licensee, counsel,
    staff), as ``report license --format json``."""
    text = portal.licence_summary(config(request).store, who, licensee, program, "json")
    return JSONResponse(json.loads(text))


@router.post("/licensees/{licensee}/sales-reports", status_code=201)
async def sales_report(
    request: Request, who: Checked, licensee: str, file: Annotated[UploadFile, File()]
) -> dict[str, Any]:
    """A sales report (multipart field ``file``) imported for the licensee (that licensee,
    or staff): 201 with the import's summary, or 422 with every problem and nothing stored."""
    settings = config(request)
    data = await file.read(settings.limits.max_bytes + 1)
    return await run_in_threadpool(
        portal.upload_sales,
        settings.store,
        who.principal,
        licensee,
        file.filename,
        data,
        settings.limits,
    )


@router.get("/programs/{program}/royalties", response_model=dict[str, Any])
def program_royalties(
    request: Request, who: Who, program: str, period: Annotated[str, Query()]
) -> Response:
    """Every licensee's dues of a quarter (staff)."""
    found = portal.program_royalties(config(request).store, who, program, period)
    return json_response(request, found)


@router.post("/programs/{program}/distributions", status_code=201)
def distribution(
    request: Request, who: Checked, program: str, body: DistributionRequest
) -> dict[str, Any]:
    """Run a distribution (staff): the JSON of ``distribute --format json``."""
    return portal.distribute(
        config(request).store, who.principal, program, body.period, body.policy, body.params
    )
