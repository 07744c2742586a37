"""An instance's Lambda functions and Lex bots: the associations that let its flows call them.

Connect keeps, per instance, the list of Lambda function ARNs its flows may invoke and the Lex bots
they may use: V1 bots by (name, region), V2 bots by alias ARN. Three generations of API reach them:
`*LambdaFunction(s)`, `*LexBot(s)` (V1 only) and `*Bot`/`ListBots` (V1 or V2, chosen by `LexVersion`);
the two for Lex share one list. The emulator holds no Lambda or Lex service: an association is
accepted for any well-formed ARN or name (see the domain README's assumptions).
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import (
    InvalidParameterException,
    InvalidRequestException,
    ResourceConflictException,
    ResourceNotFoundException,
    ServiceQuotaExceededException,
)
from . import quotas
from .registry import Ctx, operation
from .store import InstanceState, paginate

LAMBDA_ARN = re.compile(
    r"^arn:aws[a-z-]*:lambda:([a-z0-9-]+):(\d{12}):function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?$"
)
LEX_V2_ALIAS_ARN = re.compile(r"^arn:aws[a-z-]*:lex:([a-z0-9-]+):(\d{12}):bot-alias/[0-9A-Z]{10}/[0-9A-Z]{10}$")
PAGE_MAX = 25  # every List* here pages at most 25 (the model's MaxResults)


def _lists(inst: InstanceState) -> dict[str, list[Any]]:
    return inst.integrations


def _lambda_arn(inst: InstanceState, arn: str) -> str:
    found = LAMBDA_ARN.match(arn)
    if not found:
        raise InvalidParameterException(f"{arn!r} is not a Lambda function ARN.")
    if found.group(1) != inst.region:
        # Connect invokes functions of its own Region only.
        raise InvalidRequestException(f"The Lambda function {arn} is not in the instance's Region {inst.region}.")
    return arn


def _lex_v1(bot: dict[str, Any]) -> dict[str, str]:
    if not bot.get("Name") or not bot.get("LexRegion"):
        raise InvalidParameterException("A Lex bot needs its Name and its LexRegion.")
    return {"Name": bot["Name"], "LexRegion": bot["LexRegion"]}


def _lex_v2(bot: dict[str, Any]) -> str:
    arn = bot.get("AliasArn") or ""
    if not LEX_V2_ALIAS_ARN.match(arn):
        raise InvalidParameterException(f"{arn!r} is not a Lex V2 bot alias ARN.")
    return arn


def _add(inst: InstanceState, kind: str, quota: str, value: Any, what: str, token: str | None) -> dict[str, Any]:
    found = _lists(inst)[kind]
    done = inst.integration_tokens.get(token) if token else None
    if done == [kind, value]:
        return {}  # the same request again (a retry with its ClientToken): done already, as Amazon answers it
    if value in found:
        raise ResourceConflictException(f"{what} is already associated with instance {inst.id}.")
    quotas.check(inst.quota_overrides, quota, len(found), error=ServiceQuotaExceededException)
    found.append(value)
    if token:
        inst.integration_tokens[token] = [kind, value]
    return {}


def _remove(inst: InstanceState, kind: str, value: Any, what: str) -> dict[str, Any]:
    found = _lists(inst)[kind]
    if value not in found:
        raise ResourceNotFoundException(f"{what} is not associated with instance {inst.id}.")
    found.remove(value)
    return {}


def _page(values: list[Any], p: dict[str, Any], op: str) -> tuple[list[Any], str | None]:
    return paginate(values, p, op, PAGE_MAX, default=PAGE_MAX)


# --- Lambda functions -----------------------------------------------------------------------------
@operation("AssociateLambdaFunction")
def associate_lambda_function(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    arn = _lambda_arn(inst, p["FunctionArn"])
    return _add(inst, "lambda", "lambda_functions", arn, f"Lambda function {arn}", p.get("ClientToken"))


@operation("DisassociateLambdaFunction")
def disassociate_lambda_function(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    return _remove(inst, "lambda", p["FunctionArn"], f"Lambda function {p['FunctionArn']}")


@operation("ListLambdaFunctions")
def list_lambda_functions(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    page, token = _page(_lists(ctx.instance(p))["lambda"], p, "ListLambdaFunctions")
    return {"LambdaFunctions": page, **({"NextToken": token} if token else {})}


# --- Lex V1 bots, by the V1-only API ----------------------------------------------------------------
@operation("AssociateLexBot")
def associate_lex_bot(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    bot = _lex_v1(p["LexBot"])
    words = f"Lex bot {bot['Name']} ({bot['LexRegion']})"
    return _add(inst, "lex_v1", "lex_bots", bot, words, p.get("ClientToken"))


@operation("DisassociateLexBot")
def disassociate_lex_bot(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    bot = {"Name": p["BotName"], "LexRegion": p["LexRegion"]}
    return _remove(inst, "lex_v1", bot, f"Lex bot {bot['Name']} ({bot['LexRegion']})")


@operation("ListLexBots")
def list_lex_bots(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    page, token = _page(_lists(ctx.instance(p))["lex_v1"], p, "ListLexBots")
    return {"LexBots": [dict(b) for b in page], **({"NextToken": token} if token else {})}


# --- Lex V1 or V2 bots, by the newer API ----------------------------------------------------------
def _one_bot(p: dict[str, Any]) -> tuple[str, Any, str]:
    """(list, value, words) for the one bot a request names: exactly one of LexBot and LexV2Bot."""
    v1, v2 = p.get("LexBot"), p.get("LexV2Bot")
    if bool(v1) == bool(v2):
        raise InvalidRequestException("Name exactly one bot: LexBot (Lex V1) or LexV2Bot (Lex V2).")
    if v1:
        bot = _lex_v1(v1)
        return "lex_v1", bot, f"Lex bot {bot['Name']} ({bot['LexRegion']})"
    arn = _lex_v2(v2 or {})
    return "lex_v2", arn, f"Lex V2 bot alias {arn}"


@operation("AssociateBot")
def associate_bot(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    kind, value, words = _one_bot(p)
    quota = "lex_bots" if kind == "lex_v1" else "lex_v2_bot_aliases"
    return _add(inst, kind, quota, value, words, p.get("ClientToken"))


@operation("DisassociateBot")
def disassociate_bot(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    kind, value, words = _one_bot(p)
    return _remove(inst, kind, value, words)


@operation("ListBots")
def list_bots(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    if p["LexVersion"] == "V1":
        rows = [{"LexBot": dict(b)} for b in _lists(inst)["lex_v1"]]
    else:
        rows = [{"LexV2Bot": {"AliasArn": arn}} for arn in _lists(inst)["lex_v2"]]
    page, token = _page(rows, p, "ListBots")
    return {"LexBots": page, **({"NextToken": token} if token else {})}
