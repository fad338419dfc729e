"""Example data for scripts/fuzz, so generated requests reach past "no such resource".

    python3 scripts/fuzz_seed.py BASE_URL ADMIN_TOKEN TEACHER_TOKEN RUN_ID > ids.json

Creates, through the API: three accounts of its own (a student, a parent, a teacher:
the fuzzing may deactivate them or change their roles, so the accounts whose tokens the
fuzzing runs with are never among them), a draft lesson with a content request (left
pending: the server runs without agents), a published lesson, and a class with the
published lesson assigned and the student enrolled. Prints the ids as JSON: {"lesson": [...], "class": [...], "user": [...],
"student": [...], "content": [...], "stream": [...]}. scripts/fuzz_hooks.py draws path
parameters and body ids from them.
"""

import json
import sys
import urllib.error
import urllib.request


def call(base, method, path, token, body=None):
    headers = {"Authorization": f"Bearer {token}"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(
        base + path,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers=headers,
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        sys.exit(f"fuzz_seed: {method} {path} answered {error.code}: {error.read().decode()}")


def uuid_of(accepted):
    """The uuid part of a command's `stream_id` (`<category>-<uuid>`)."""
    return accepted["stream_id"].split("-", 1)[1]


def main():
    base, admin, teacher, run = sys.argv[1:5]
    users = {}
    for role in ("student", "parent", "teacher"):
        name = f"seed_{role}_{run}"
        users[role] = uuid_of(
            call(base, "POST", "/v1/users", admin, {
                "username": name,
                "email": f"{name}@example.org",
                "display_name": f"Seed {role}",
                "password": f"seed-password-{run}",
                "role": role,
            })
        )
    draft, lesson = (
        uuid_of(call(base, "POST", "/v1/lessons", teacher, {
            "title": title,
            "description": "How plants turn light into food",
            "subject": "Science",
            "grade_level": 7,
            "content": {"sections": ["Light", "Chlorophyll", "Sugar"]},
        }))
        for title in ("Photosynthesis (draft)", "Photosynthesis")
    )
    call(base, "POST", f"/v1/lessons/{lesson}/submit", teacher)
    call(base, "POST", f"/v1/lessons/{lesson}/approve", admin)
    call(base, "POST", f"/v1/lessons/{lesson}/publish", admin)
    content = uuid_of(call(base, "POST", f"/v1/lessons/{draft}/content-requests", teacher, {
        "objectives": ["Explain how light drives photosynthesis"],
        "duration_minutes": 45,
        "parts": ["lesson_content", "quiz"],
        "theme": "rainforest",
    }))
    klass = uuid_of(call(base, "POST", "/v1/classes", teacher, {
        "name": "7B Science", "subject": "Science", "grade_level": 7, "max_students": 30,
    }))
    call(base, "POST", f"/v1/classes/{klass}/lessons", teacher, {"lesson_id": lesson})
    call(base, "POST", f"/v1/classes/{klass}/enrollments", teacher, {"student_id": users["student"]})
    json.dump({
        "lesson": [draft, lesson],
        "class": [klass],
        "user": list(users.values()),
        "student": [users["student"]],
        "parent": [users["parent"]],
        "content": [content],
        "stream": [
            f"lesson-{draft}", f"lesson-{lesson}", f"class-{klass}", f"content-{content}",
            *(f"user-{u}" for u in users.values()),
        ],
    }, sys.stdout)


if __name__ == "__main__":
    main()
