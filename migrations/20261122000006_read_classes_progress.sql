-- The core read models of issue 4: classes and their rosters, content requests, students'
-- progress, and parent links. Each table is owned by one module of `projections/src/`
-- (named in its table comment), which alone writes it; a rebuild replaces it as a whole.
-- Foreign keys are left out on purpose: every table is rebuilt on its own, from the log.

-- Classes (projections/src/classes/): one row per class, as its events left it.
CREATE TABLE read.classes (
    class_id       uuid        PRIMARY KEY,
    name           text        NOT NULL,
    subject        text        NOT NULL,
    grade_level    integer     NOT NULL,                -- 1–12
    max_students   integer     NOT NULL,                -- capacity, 1–500
    teacher_id     uuid        NOT NULL,
    status         text        NOT NULL,                -- active, archived
    student_count  integer     NOT NULL,                -- students enrolled now
    seats_left     integer     GENERATED ALWAYS AS (greatest(max_students - student_count, 0)) STORED,
    lesson_ids     uuid[]      NOT NULL DEFAULT '{}',   -- assigned lessons, in assignment order
    version        bigint      NOT NULL,                -- the class stream's version this row reflects
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);
COMMENT ON TABLE read.classes IS 'one row per class (projection classes, projections/src/classes/)';
COMMENT ON COLUMN read.classes.class_id IS 'the class (stream class-<uuid>); UUIDv7, so ordered by creation';
COMMENT ON COLUMN read.classes.name IS 'the class name, 1–120 characters';
COMMENT ON COLUMN read.classes.subject IS 'the subject taught, e.g. Science';
COMMENT ON COLUMN read.classes.grade_level IS 'grade level, 1–12';
COMMENT ON COLUMN read.classes.max_students IS 'capacity: the class never enrolls more students (1–500)';
COMMENT ON COLUMN read.classes.teacher_id IS 'the teacher who runs the class (read.users.user_id)';
COMMENT ON COLUMN read.classes.status IS 'active or archived (archived: frozen, no enrollment or assignment)';
COMMENT ON COLUMN read.classes.student_count IS 'students enrolled now (rows of read.class_members)';
COMMENT ON COLUMN read.classes.seats_left IS 'max_students - student_count, computed by PostgreSQL';
COMMENT ON COLUMN read.classes.lesson_ids IS 'lessons assigned now (read.lessons.lesson_id), in assignment order';
COMMENT ON COLUMN read.classes.version IS 'the class stream version this row reflects';
COMMENT ON COLUMN read.classes.created_at IS 'when the class was created';
COMMENT ON COLUMN read.classes.updated_at IS 'when the last event of the class was recorded';
-- A teacher's classes, and lists by subject and grade, each paged by class id.
CREATE INDEX classes_teacher ON read.classes (teacher_id, class_id);
CREATE INDEX classes_subject_grade ON read.classes (subject, grade_level, class_id);
CREATE INDEX classes_status ON read.classes (status, class_id);

-- Rosters (projections/src/classes/): one row per student enrolled in a class now; the row
-- is deleted when the student is unenrolled.
CREATE TABLE read.class_members (
    class_id     uuid        NOT NULL,
    student_id   uuid        NOT NULL,
    enrolled_at  timestamptz NOT NULL,
    PRIMARY KEY (class_id, student_id)
);
COMMENT ON TABLE read.class_members IS 'students enrolled in each class now (projection classes, projections/src/classes/)';
COMMENT ON COLUMN read.class_members.class_id IS 'the class (read.classes.class_id)';
COMMENT ON COLUMN read.class_members.student_id IS 'the enrolled student (read.users.user_id)';
COMMENT ON COLUMN read.class_members.enrolled_at IS 'when the student was (last) enrolled';
-- A student's classes (the primary key serves a class's roster, paged by student id).
CREATE INDEX class_members_student ON read.class_members (student_id, class_id);

-- Content requests (projections/src/content_requests/): one row per request for generated
-- content, with what was asked for and how it ended.
CREATE TABLE read.content_requests (
    request_id        uuid        PRIMARY KEY,
    lesson_id         uuid        NOT NULL,
    title             text        NOT NULL,
    subject           text        NOT NULL,
    grade_level       integer     NOT NULL,
    objectives        jsonb       NOT NULL,   -- JSON array of strings
    duration_minutes  integer     NOT NULL,   -- 5–180
    parts             text[]      NOT NULL,   -- lesson_content, quiz, terrain, script
    theme             text,
    requested_by      uuid        NOT NULL,
    status            text        NOT NULL,   -- requested, in_progress, generated, failed, cancelled
    reason            text,
    requested_at      timestamptz NOT NULL,
    finished_at       timestamptz,
    duration_ms       bigint,                 -- finished_at - requested_at
    version           bigint      NOT NULL    -- the request stream's version this row reflects
);
COMMENT ON TABLE read.content_requests IS 'one row per content request (projection content_requests, projections/src/content_requests/)';
COMMENT ON COLUMN read.content_requests.request_id IS 'the request (stream content-<uuid>); UUIDv7, so ordered by creation';
COMMENT ON COLUMN read.content_requests.lesson_id IS 'the lesson the content is for (read.lessons.lesson_id)';
COMMENT ON COLUMN read.content_requests.title IS 'the lesson title when the request was made';
COMMENT ON COLUMN read.content_requests.subject IS 'the lesson subject when the request was made';
COMMENT ON COLUMN read.content_requests.grade_level IS 'the lesson grade level (1–12) when the request was made';
COMMENT ON COLUMN read.content_requests.objectives IS 'learning objectives: a JSON array of 1–10 strings';
COMMENT ON COLUMN read.content_requests.duration_minutes IS 'how long the generated lesson should take in class, 5–180 minutes';
COMMENT ON COLUMN read.content_requests.parts IS 'parts wanted: lesson_content, quiz, terrain, script';
COMMENT ON COLUMN read.content_requests.theme IS 'the theme asked for; NULL: the agents choose';
COMMENT ON COLUMN read.content_requests.requested_by IS 'who asked (read.users.user_id)';
COMMENT ON COLUMN read.content_requests.status IS 'requested, in_progress, generated, failed or cancelled (the last three are final)';
COMMENT ON COLUMN read.content_requests.reason IS 'why it failed or was cancelled (a cancellation may give none)';
COMMENT ON COLUMN read.content_requests.requested_at IS 'when the request was made';
COMMENT ON COLUMN read.content_requests.finished_at IS 'when it was generated, failed or cancelled; NULL while unfinished';
COMMENT ON COLUMN read.content_requests.duration_ms IS 'finished_at - requested_at in milliseconds; NULL while unfinished';
COMMENT ON COLUMN read.content_requests.version IS 'the content request stream version this row reflects';
-- Lists by lesson, by status and by requester, each paged by request id.
CREATE INDEX content_requests_lesson ON read.content_requests (lesson_id, request_id);
CREATE INDEX content_requests_status ON read.content_requests (status, request_id);
CREATE INDEX content_requests_requested_by ON read.content_requests (requested_by, request_id);

-- Students' progress (projections/src/student_progress/): one row per student and lesson
-- started, as its events left it.
CREATE TABLE read.student_progress (
    progress_id       uuid        PRIMARY KEY,
    student_id        uuid        NOT NULL,
    lesson_id         uuid        NOT NULL,
    class_id          uuid        NOT NULL,
    completion        integer     NOT NULL,   -- percent, 0–100, never decreases
    total_xp          bigint      NOT NULL,
    status            text        NOT NULL,   -- in_progress, completed
    started_at        timestamptz NOT NULL,
    completed_at      timestamptz,
    last_activity_at  timestamptz NOT NULL,
    version           bigint      NOT NULL    -- the progress stream's version this row reflects
);
COMMENT ON TABLE read.student_progress IS 'one row per student and lesson started (projection student_progress, projections/src/student_progress/)';
COMMENT ON COLUMN read.student_progress.progress_id IS 'the progress (stream progress-<uuid>): a UUIDv5 of the student and the lesson';
COMMENT ON COLUMN read.student_progress.student_id IS 'the student (read.users.user_id)';
COMMENT ON COLUMN read.student_progress.lesson_id IS 'the lesson (read.lessons.lesson_id)';
COMMENT ON COLUMN read.student_progress.class_id IS 'the class the lesson was started from (read.classes.class_id)';
COMMENT ON COLUMN read.student_progress.completion IS 'how much of the lesson is done, in percent (0–100, never decreasing; 100 once completed)';
COMMENT ON COLUMN read.student_progress.total_xp IS 'every XP earned and awarded in this lesson';
COMMENT ON COLUMN read.student_progress.status IS 'in_progress or completed';
COMMENT ON COLUMN read.student_progress.started_at IS 'when the student started the lesson';
COMMENT ON COLUMN read.student_progress.completed_at IS 'when the student completed the lesson; NULL until then';
COMMENT ON COLUMN read.student_progress.last_activity_at IS 'when the last progress event was recorded';
COMMENT ON COLUMN read.student_progress.version IS 'the progress stream version this row reflects';
-- A student's progress and a class's progress, each paged by progress id.
CREATE INDEX student_progress_student ON read.student_progress (student_id, progress_id);
CREATE INDEX student_progress_class ON read.student_progress (class_id, progress_id);

-- Parent links (projections/src/parent_links/): one row per parent and linked student.
-- Links are never removed (there is no unlink); whether either account is still active is
-- read.users'.
CREATE TABLE read.parent_links (
    parent_id   uuid        NOT NULL,
    student_id  uuid        NOT NULL,
    linked_at   timestamptz NOT NULL,
    PRIMARY KEY (parent_id, student_id)
);
COMMENT ON TABLE read.parent_links IS 'parents and their linked children (projection parent_links, projections/src/parent_links/)';
COMMENT ON COLUMN read.parent_links.parent_id IS 'the parent (read.users.user_id)';
COMMENT ON COLUMN read.parent_links.student_id IS 'the linked child, a student (read.users.user_id)';
COMMENT ON COLUMN read.parent_links.linked_at IS 'when the parent was linked';
-- A student's parents (the primary key serves a parent's children).
CREATE INDEX parent_links_student ON read.parent_links (student_id, parent_id);
