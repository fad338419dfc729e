"""Unit tests of agent.py's decisions, without a server: which requests it sends with which
Idempotency-Keys, and what it does with each kind of answer. The end-to-end test against a
live Lectern is the `test` script next to this file (which also runs these).

    python -m unittest discover -s examples/python-agent
"""

from __future__ import annotations

import json
import unittest

import agent
from agent import Answer, Permanent, Transient

EVENT_ID = "01a2032b-7a51-7c1e-9a64-3f2b7f0c1d2e"
REQUEST_ID = "01a2032b-7a4f-7d10-8a0c-5b9e2f6d7c11"
LESSON_ID = "01a2032a-0c3e-7b9a-8f41-6d2c1e0b9a87"


def event(parts=("quiz", "lesson_content")) -> dict:
    return {
        "event_id": EVENT_ID,
        "event_type": "ContentRequested",
        "payload": {
            "request_id": REQUEST_ID,
            "lesson_id": LESSON_ID,
            "title": "Photosynthesis",
            "subject": "Science",
            "grade_level": 7,
            "objectives": ["Explain how light drives photosynthesis", 'Say "why"'],
            "duration_minutes": 40,
            "parts": list(parts),
            "theme": None,
            "requested_by": "01a20329-ff10-7a2b-bc3d-4e5f6a7b8c9d",
        },
    }


def ok(position=7, replayed=False) -> Answer:
    headers = {"Idempotent-Replayed": "true"} if replayed else {}
    return Answer(200, {"position": position, "version": 1}, headers)


def refused(status: int, rule: str | None = None, slug: str = "rule-violated") -> Answer:
    body = {"type": f"https://lectern.dev/problems/{rule or slug}", "status": status, "detail": "no"}
    if rule:
        body["rule"] = rule
    return Answer(status, body, {})


class FakeApi:
    """Answers by a function of (path, key); records every request."""

    def __init__(self, answer=lambda path, key, body: ok()):
        self.answer = answer
        self.sent: list[tuple[str, str | None, dict]] = []

    def post(self, path, body, key):
        self.sent.append((path, key, body))
        return self.answer(path, key, body)


class HandleTest(unittest.TestCase):
    def test_a_request_is_stepped_attached_and_marked_generated_with_keys_of_the_event(self):
        api = FakeApi()

        outcome = agent.handle(api, EVENT_ID, event())

        self.assertEqual(outcome.status, "generated")
        self.assertEqual(
            [(path.rsplit("/", 1)[-1], key) for path, key, _ in api.sent],
            [
                ("steps", f"{EVENT_ID}:quiz:1:started"),
                ("steps", f"{EVENT_ID}:quiz:1:completed"),
                ("steps", f"{EVENT_ID}:content:1:started"),
                ("steps", f"{EVENT_ID}:content:1:completed"),
                ("generated-content", f"{EVENT_ID}:attach"),
                ("generated", f"{EVENT_ID}:generated"),
            ],
        )
        attach_path, _, attach = api.sent[4]
        self.assertEqual(attach_path, f"/v1/lessons/{LESSON_ID}/generated-content")
        self.assertEqual(attach["content_request_id"], REQUEST_ID)
        self.assertEqual(sorted(attach["content"]), ["lesson_content", "quiz"])
        self.assertEqual(api.sent[5][2], {"outputs": attach["content"]})
        completed = api.sent[1][2]
        self.assertEqual(completed["status"], "completed")
        self.assertEqual(completed["output"], attach["content"]["quiz"])
        self.assertEqual((completed["provider"], completed["model"]), (agent.PROVIDER, agent.MODEL))

    def test_the_same_event_gives_the_same_bodies(self):
        first, second = FakeApi(), FakeApi()
        agent.handle(first, EVENT_ID, event())
        agent.handle(second, EVENT_ID, event())
        strip = lambda sent: [(p, k, {f: v for f, v in b.items() if f != "duration_ms"}) for p, k, b in sent]  # noqa: E731
        self.assertEqual(strip(first.sent), strip(second.sent))

    def test_a_completion_recorded_by_an_earlier_delivery_is_not_recorded_again(self):
        def answer(path, key, body):
            if body.get("status") == "completed":
                # Another duration under the same key, then the domain's own refusal.
                return refused(422, slug="idempotency-key-reused") if key else refused(422, "agent-step-not-running")
            return ok(replayed=True)

        api = FakeApi(answer)
        outcome = agent.handle(api, EVENT_ID, event(parts=["quiz"]))

        self.assertEqual(outcome.status, "generated")
        self.assertTrue(outcome.replayed)
        completions = [key for _, key, body in api.sent if body.get("status") == "completed"]
        self.assertEqual(completions, [f"{EVENT_ID}:quiz:1:completed", None])

    def test_a_cancelled_request_is_skipped_without_more_requests(self):
        api = FakeApi(lambda path, key, body: refused(422, "content-request-already-cancelled"))

        outcome = agent.handle(api, EVENT_ID, event())

        self.assertEqual(outcome.status, "skipped")
        self.assertEqual(len(api.sent), 1)

    def test_a_request_another_worker_started_is_left_to_it(self):
        api = FakeApi(lambda path, key, body: refused(422, "agent-step-already-started"))

        outcome = agent.handle(api, EVENT_ID, event())

        self.assertEqual(outcome.status, "skipped")
        self.assertIn("another worker", outcome.detail)
        self.assertEqual(len(api.sent), 1)

    def test_a_lesson_that_moved_on_fails_the_request_with_the_reason(self):
        def answer(path, key, body):
            return refused(422, "lesson-not-editable") if path.endswith("/generated-content") else ok()

        api = FakeApi(answer)
        outcome = agent.handle(api, EVENT_ID, event(parts=["quiz"]))

        self.assertEqual(outcome.status, "failed")
        path, key, body = api.sent[-1]
        self.assertEqual((path, key), (f"/v1/content-requests/{REQUEST_ID}/failed", f"{EVENT_ID}:failed"))
        self.assertIn(LESSON_ID, body["reason"])
        self.assertNotIn("generated", [p.rsplit("/", 1)[-1] for p, _, _ in api.sent])

    def test_unavailable_and_contended_answers_are_transient_and_a_bad_request_permanent(self):
        for status in (500, 503, 409, 429):
            with self.subTest(status=status), self.assertRaises(Transient):
                agent.handle(FakeApi(lambda p, k, b, s=status: refused(s)), EVENT_ID, event())
        for status in (400, 403, 404):
            with self.subTest(status=status), self.assertRaises(Permanent):
                agent.handle(FakeApi(lambda p, k, b, s=status: refused(s)), EVENT_ID, event())


class PartsTest(unittest.TestCase):
    def test_every_part_is_made_and_is_json(self):
        request = event()["payload"]
        for part in agent.AGENT_OF_PART:
            made = agent.make_part(part, request)
            self.assertIsInstance(made, dict)
            self.assertEqual(json.loads(json.dumps(made)), made)

    def test_the_script_quotes_the_objectives(self):
        script = agent.make_part("script", event()["payload"])["source"]
        self.assertIn('print("Station 2: Say \\"why\\"")', script)


if __name__ == "__main__":
    unittest.main()
