#!/usr/bin/env python3
"""A Lectern content agent in Python: content requests in, generated content out.

It shows the contract a worker in any language keeps (docs/asyncapi.yaml):

- it signs in over HTTP as an account with the `agent` role (POST /v1/auth/token);
- it binds (or creates) its own durable JetStream pull consumer, filtered to
  `<prefix>.content.*.ContentRequested`; every process started with the same consumer name
  shares the messages like a work queue;
- for each request it records one step per part (POST /v1/content-requests/{id}/steps,
  started then completed), makes a simple result for each requested part from the event
  alone, attaches it to the lesson (POST /v1/lessons/{lesson_id}/generated-content) and
  marks the request generated (POST /v1/content-requests/{id}/generated);
- every request carries an Idempotency-Key derived from the triggering event's id (the
  `Nats-Msg-Id` header) and the action, and every body is derived from the event only, so
  a redelivered message repeats the same requests and the API replays its first answers
  instead of recording anything twice;
- it acks after success, naks with a delay on a transient failure (HTTP 5xx/408/409/429,
  network errors), acks when there is nothing left to do (the request was cancelled or is
  finished, or another worker has started it), and terminates a message that can never
  succeed.

Standard library plus nats-py only. Run `agent.py --help` for the settings.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

import nats
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

log = logging.getLogger("python-agent")

# The agent that makes each part (domain::AgentName::making).
AGENT_OF_PART = {
    "lesson_content": "content",
    "quiz": "quiz",
    "terrain": "terrain",
    "script": "script",
}
PROVIDER = "python-example"
MODEL = "template-v1"
# Rules that say a request needs nothing more from us.
NOTHING_LEFT_TO_DO = {"content-request-already-cancelled", "content-request-finished"}


class Transient(Exception):
    """Worth trying again later: the message is nak'ed with a delay."""


class Permanent(Exception):
    """Will never succeed: the message is terminated."""


class NothingLeftToDo(Exception):
    """The request was cancelled or finished meanwhile: the message is acked."""


@dataclass
class Answer:
    status: int
    body: Any
    headers: dict[str, str]

    @property
    def rule(self) -> str | None:
        return self.body.get("rule") if isinstance(self.body, dict) else None

    @property
    def problem_type(self) -> str:
        return self.body.get("type", "") if isinstance(self.body, dict) else ""


class Api:
    """Lectern's HTTP API, signed in as the agent account."""

    def __init__(self, base_url: str, username: str, password: str, timeout: float = 30.0):
        self.base_url = base_url.rstrip("/")
        self.username = username
        self.password = password
        self.timeout = timeout
        self.token: str | None = None

    def sign_in(self) -> None:
        answer = self._send(
            "POST", "/v1/auth/token", {"username": self.username, "password": self.password}
        )
        if answer.status != 200:
            raise Permanent(f"signing in as {self.username!r} answered {answer.status}: {answer.body}")
        self.token = answer.body["access_token"]
        log.info("signed in as %s", self.username)

    def post(self, path: str, body: dict, key: str | None) -> Answer:
        """POST `body` with Idempotency-Key `key`; signs in again once on a 401."""
        headers = {"Idempotency-Key": key} if key else {}
        answer = self._send("POST", path, body, headers)
        if answer.status == 401:
            self.sign_in()
            answer = self._send("POST", path, body, headers)
        return answer

    def _send(self, method: str, path: str, body: dict, headers: dict | None = None) -> Answer:
        request = urllib.request.Request(
            self.base_url + path,
            data=json.dumps(body).encode(),
            method=method,
            headers={"Content-Type": "application/json", "Accept": "application/json", **(headers or {})},
        )
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return Answer(response.status, _json(response.read()), dict(response.headers))
        except urllib.error.HTTPError as error:
            return Answer(error.code, _json(error.read()), dict(error.headers))
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            raise Transient(f"{method} {path}: {error}") from error


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return raw.decode(errors="replace")


def check(answer: Answer, what: str) -> Answer:
    """`answer` when it is a success; else the exception that says what to do."""
    if 200 <= answer.status < 300:
        return answer
    if answer.status == 422 and answer.rule in NOTHING_LEFT_TO_DO:
        raise NothingLeftToDo(f"{what}: {answer.body.get('detail')}")
    if answer.status >= 500 or answer.status in (401, 408, 409, 429):
        raise Transient(f"{what} answered {answer.status}: {answer.body}")
    raise Permanent(f"{what} answered {answer.status}: {answer.body}")


# --- the work: a simple result per part, from the event alone (deterministic) ----------


def make_part(part: str, request: dict) -> dict:
    """A small, deterministic result for `part` (a real agent calls a model here)."""
    title = request["title"]
    objectives = request["objectives"]
    theme = request.get("theme") or "a classroom"
    minutes = request["duration_minutes"]
    if part == "lesson_content":
        per_section = max(1, minutes // max(1, len(objectives)))
        return {
            "title": title,
            "sections": [
                {
                    "heading": objective,
                    "minutes": per_section,
                    "text": f"In {theme}, students work towards: {objective}.",
                }
                for objective in objectives
            ],
        }
    if part == "quiz":
        return {
            "questions": [
                {
                    "prompt": f"Which statement best shows that you can {objective[0].lower()}{objective[1:]}?",
                    "choices": ["A worked example", "A guess", "A definition only", "None of these"],
                    "answer": 0,
                }
                for objective in objectives
            ]
        }
    if part == "terrain":
        return {
            "environment": theme,
            "size": [128, 32, 128],
            "stations": [{"label": objective, "position": [16 * i, 0, 16]} for i, objective in enumerate(objectives)],
        }
    if part == "script":
        # JSON string literals are Luau string literals (for text without control characters).
        say = lambda text: f"print({json.dumps(text, ensure_ascii=False)})"  # noqa: E731
        lines = [say(f"Welcome to {title}")]
        lines += [say(f"Station {i + 1}: {objective}") for i, objective in enumerate(objectives)]
        return {"language": "luau", "source": "\n".join(lines)}
    raise Permanent(f"unknown part {part!r}")


@dataclass
class Outcome:
    status: str  # generated | failed | skipped
    position: int | None = None
    replayed: bool = False
    detail: str = ""


def handle(api: Api, event_id: str, event: dict) -> Outcome:
    """Do the work of one ContentRequested event; raises Transient or Permanent."""
    request = event["payload"]
    request_id = request["request_id"]
    lesson_id = request["lesson_id"]
    base = f"/v1/content-requests/{request_id}"

    def key(action: str) -> str:
        return f"{event_id}:{action}"

    try:
        outputs = {}
        for part in request["parts"]:
            agent = AGENT_OF_PART[part]
            step = {"agent": agent, "attempt": 1}
            started = api.post(f"{base}/steps", {**step, "status": "started"}, key(f"{agent}:1:started"))
            if started.status == 422 and started.rule == "agent-step-already-started":
                # Not by us: our own repeat would have been replayed. Another worker (e.g.
                # the Rust agents of `lectern dev` without --no-agents) has the request.
                raise NothingLeftToDo(f"another worker started the {agent} step")
            check(started, f"starting the {agent} step")
            began = time.monotonic()
            output = make_part(part, request)
            completion = {
                **step,
                "status": "completed",
                "output": output,
                "duration_ms": int((time.monotonic() - began) * 1000),
                "provider": PROVIDER,
                "model": MODEL,
            }
            complete_step(api, f"{base}/steps", completion, key(f"{agent}:1:completed"))
            outputs[part] = output

        attached = api.post(
            f"/v1/lessons/{lesson_id}/generated-content",
            {"content_request_id": request_id, "content": outputs},
            key("attach"),
        )
        if attached.status == 422 and attached.rule == "lesson-not-editable":
            reason = f"lesson {lesson_id} can no longer take generated content: {attached.body.get('detail')}"
            failed = check(api.post(f"{base}/failed", {"reason": reason}, key("failed")), "marking it failed")
            return Outcome("failed", failed.body["position"], _replayed(failed), reason)
        check(attached, "attaching the content to the lesson")
        generated = check(api.post(f"{base}/generated", {"outputs": outputs}, key("generated")), "marking it generated")
        return Outcome("generated", generated.body["position"], _replayed(generated) and _replayed(attached))
    except NothingLeftToDo as done:
        return Outcome("skipped", detail=str(done))


def complete_step(api: Api, path: str, completion: dict, key: str) -> None:
    """Record a step's completion once.

    Its body holds a measured duration, so a redelivery sends another body under the same
    key (422 idempotency-key-reused). The domain completes an attempt only once anyway, so
    then it is sent without the key: 422 agent-step-not-running means an earlier delivery
    recorded it.
    """
    answer = api.post(path, completion, key)
    if answer.status == 422 and answer.problem_type.endswith("/idempotency-key-reused"):
        answer = api.post(path, completion, None)
    if answer.status == 422 and answer.rule == "agent-step-not-running":
        log.info("the %s step was recorded by an earlier delivery", completion["agent"])
        return
    check(answer, f"completing the {completion['agent']} step")


def _replayed(answer: Answer) -> bool:
    return any(k.lower() == "idempotent-replayed" and v == "true" for k, v in answer.headers.items())


# --- the JetStream side ------------------------------------------------------------------


async def ensure_consumer(js, args) -> None:
    """Create the durable consumer, or check that the existing one has our filter."""
    wanted = f"{args.subject_prefix}.content.*.ContentRequested"
    try:
        info = await js.consumer_info(args.stream, args.consumer)
        if info.config.filter_subject != wanted:
            raise SystemExit(
                f"consumer {args.consumer!r} filters {info.config.filter_subject!r}, not {wanted!r}: choose another --consumer"
            )
        return
    except NotFoundError:
        pass
    await js.add_consumer(
        args.stream,
        ConsumerConfig(
            durable_name=args.consumer,
            description="Lectern python-agent: content requests",
            filter_subject=wanted,
            ack_policy=AckPolicy.EXPLICIT,
            deliver_policy=DeliverPolicy.NEW if args.deliver_policy == "new" else DeliverPolicy.ALL,
            ack_wait=args.ack_wait,
            max_deliver=args.max_deliver,
            max_ack_pending=100,
        ),
    )
    log.info("created the durable consumer %s on %s (filter %s)", args.consumer, args.stream, wanted)


async def keep_alive(msg, every: float) -> None:
    """In-progress acks while the work runs, so JetStream does not redeliver it meanwhile."""
    while True:
        await asyncio.sleep(every)
        await msg.in_progress()


async def process(api: Api, msg, args) -> Outcome | None:
    """Handle one message and settle it (ack, nak or term)."""
    delivered = msg.metadata.num_delivered
    try:
        event = json.loads(msg.data)
    except ValueError:
        log.error("not an event (seq %s): terminating it", msg.metadata.sequence.stream)
        await msg.term()
        return None
    event_id = (msg.headers or {}).get("Nats-Msg-Id") or event["event_id"]
    request_id = event["payload"].get("request_id")
    log.info("content request %s (event %s, delivery %d)", request_id, event_id, delivered)
    ticker = asyncio.create_task(keep_alive(msg, max(1.0, args.ack_wait / 3)))
    try:
        outcome = await asyncio.to_thread(handle, api, event_id, event)
    except Transient as error:
        if delivered >= args.max_deliver:
            log.error("giving up on %s after %d deliveries: %s", request_id, delivered, error)
            await give_up(api, event_id, request_id, str(error))
            await msg.term()
            return None
        delay = min(60.0, 2.0**delivered)
        log.warning("transient failure (retrying in %.0f s): %s", delay, error)
        await msg.nak(delay=delay)
        return None
    except Permanent as error:
        log.error("cannot handle %s, terminating the message: %s", request_id, error)
        await msg.term()
        return None
    except Exception:  # a bug here must not lose the request: it comes back later
        log.exception("unexpected failure on %s; retrying in 30 s", request_id)
        await msg.nak(delay=30)
        return None
    finally:
        ticker.cancel()
    await msg.ack_sync()
    log.info("content request %s: %s %s", request_id, outcome.status, outcome.detail)
    return outcome


async def give_up(api: Api, event_id: str, request_id: str, why: str) -> None:
    """Mark the request failed after the last delivery, so its requester knows."""
    reason = f"the python agent gave up: {why}"[:2000]
    try:
        answer = await asyncio.to_thread(
            api.post, f"/v1/content-requests/{request_id}/failed", {"reason": reason}, f"{event_id}:failed"
        )
        log.info("marked %s failed: %s", request_id, answer.status)
    except Transient as error:
        log.error("could not mark %s failed either: %s", request_id, error)


async def run(args) -> int:
    api = Api(args.api_url, args.username, args.password)
    await asyncio.to_thread(api.sign_in)
    nc = await nats.connect(args.nats_url, name="lectern-python-agent")
    try:
        js = nc.jetstream()
        await ensure_consumer(js, args)
        subscription = await js.pull_subscribe_bind(durable=args.consumer, stream=args.stream)
        log.info("waiting for content requests on consumer %s", args.consumer)
        deadline = time.monotonic() + args.timeout if args.once and args.timeout else None
        while True:
            if deadline and time.monotonic() > deadline:
                log.error("no content request arrived within %s s", args.timeout)
                return 2
            try:
                messages = await subscription.fetch(1, timeout=5)
            except NatsTimeoutError:
                continue
            for msg in messages:
                outcome = await process(api, msg, args)
                if args.once:
                    summary = {
                        "event_id": (msg.headers or {}).get("Nats-Msg-Id"),
                        "content_request_id": _request_id(msg),
                        "status": outcome.status if outcome else "not handled",
                        "position": outcome.position if outcome else None,
                        "replayed": outcome.replayed if outcome else False,
                    }
                    print(json.dumps(summary), flush=True)
                    return 0 if outcome else 1
    finally:
        await nc.drain()


def _request_id(msg) -> str | None:
    try:
        return json.loads(msg.data)["payload"]["request_id"]
    except (ValueError, KeyError, TypeError):
        return None


def parse_args(argv: list[str]) -> argparse.Namespace:
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--api-url", default=env("LECTERN_URL", "http://127.0.0.1:8080"),
                        help="Lectern's HTTP API [env LECTERN_URL, default %(default)s]")
    parser.add_argument("--nats-url", default=env("NATS_URL", "nats://127.0.0.1:42229"),
                        help="NATS with JetStream [env NATS_URL, default: scripts/services' %(default)s]")
    parser.add_argument("--username", default=env("LECTERN_AGENT_USERNAME"),
                        help="an account with the agent role [env LECTERN_AGENT_USERNAME]")
    parser.add_argument("--stream", default=env("LECTERN_STREAM", "LECTERN_EVENTS"),
                        help="the events stream [env LECTERN_STREAM, default %(default)s]")
    parser.add_argument("--subject-prefix", default=env("LECTERN_SUBJECT_PREFIX", "lectern.events"),
                        help="the events' subject prefix [env LECTERN_SUBJECT_PREFIX, default %(default)s]")
    parser.add_argument("--consumer", default=env("PYTHON_AGENT_CONSUMER", "python-agent"),
                        help="durable consumer name, shared by every process of this agent "
                             "[env PYTHON_AGENT_CONSUMER, default %(default)s]")
    parser.add_argument("--deliver-policy", choices=["all", "new"], default="all",
                        help="where a new consumer starts: the first request in the stream, or the next one")
    parser.add_argument("--ack-wait", type=float, default=30.0, help="seconds before an unacked message is redelivered")
    parser.add_argument("--max-deliver", type=int, default=5, help="deliveries before a request is given up")
    parser.add_argument("--once", action="store_true",
                        help="exit after one content request, printing a JSON summary line on stdout")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="with --once: seconds to wait for a request before exiting with status 2")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    # The password only from the environment: never on a command line others can read.
    args.password = env("LECTERN_AGENT_PASSWORD")
    if not args.username or not args.password:
        parser.error("set LECTERN_AGENT_USERNAME (or --username) and LECTERN_AGENT_PASSWORD")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        return asyncio.run(run(args))
    except KeyboardInterrupt:
        return 130
    except (Permanent, Transient) as error:
        log.error("%s", error)
        return 1


if __name__ == "__main__":
    sys.exit(main())
