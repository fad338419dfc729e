-- The analytics read models of issue 4: aggregates over many streams, each owned by one
-- module of `projections/src/analytics/` (named in its table comment), which alone writes
-- its tables; a rebuild replaces them as a whole. Each model keeps the facts it needs from
-- other streams (a lesson's subject and grade, a progress stream's lesson and class) in a
-- table of its own, never in another model's. Counters are incremented once per event:
-- the runner applies each event once per checkpoint, and a rebuild starts from empty tables.

-- Lesson funnel (projections/src/analytics/lesson_funnel.rs): one row per lesson.
CREATE TABLE read.lesson_funnel (
    lesson_id       uuid    PRIMARY KEY,
    subject         text    NOT NULL,
    grade_level     integer NOT NULL,           -- 1–12
    started         bigint  NOT NULL DEFAULT 0, -- progress streams started
    completed       bigint  NOT NULL DEFAULT 0, -- of those, completed
    completion_sum  bigint  NOT NULL DEFAULT 0, -- sum of their completion now (percent)
    xp_sum          bigint  NOT NULL DEFAULT 0  -- sum of their total XP now
);
COMMENT ON TABLE read.lesson_funnel IS 'per lesson: started, completed, completion and XP (projection lesson_funnel, projections/src/analytics/lesson_funnel.rs)';
COMMENT ON COLUMN read.lesson_funnel.lesson_id IS 'the lesson (read.lessons.lesson_id)';
COMMENT ON COLUMN read.lesson_funnel.subject IS 'the lesson subject now, e.g. Science';
COMMENT ON COLUMN read.lesson_funnel.grade_level IS 'the lesson grade level now, 1–12';
COMMENT ON COLUMN read.lesson_funnel.started IS 'how many students started the lesson';
COMMENT ON COLUMN read.lesson_funnel.completed IS 'how many of them completed it';
COMMENT ON COLUMN read.lesson_funnel.completion_sum IS 'sum of the current completion (percent) of every start: average completion = completion_sum / started';
COMMENT ON COLUMN read.lesson_funnel.xp_sum IS 'sum of the XP of every start: average XP = xp_sum / started';
CREATE INDEX lesson_funnel_subject_grade ON read.lesson_funnel (subject, grade_level);

-- The lesson funnel's own state per progress stream: what it last counted for it.
CREATE TABLE read.lesson_funnel_progress (
    progress_id  uuid    PRIMARY KEY,
    lesson_id    uuid    NOT NULL,
    completion   integer NOT NULL,   -- percent, as last counted
    total_xp     bigint  NOT NULL    -- as last counted
);
COMMENT ON TABLE read.lesson_funnel_progress IS 'state of the projection lesson_funnel: each progress stream and what it last counted';
COMMENT ON COLUMN read.lesson_funnel_progress.progress_id IS 'the progress (stream progress-<uuid>)';
COMMENT ON COLUMN read.lesson_funnel_progress.lesson_id IS 'the lesson the progress is in (read.lesson_funnel.lesson_id)';
COMMENT ON COLUMN read.lesson_funnel_progress.completion IS 'the completion (percent) counted in read.lesson_funnel.completion_sum';
COMMENT ON COLUMN read.lesson_funnel_progress.total_xp IS 'the XP counted in read.lesson_funnel.xp_sum';

-- Agent performance (projections/src/analytics/agent_performance.rs): one row per agent
-- step, so the query can take percentiles of any date range.
CREATE TABLE read.agent_performance_steps (
    event_id     uuid        PRIMARY KEY,
    request_id   uuid        NOT NULL,
    agent        text        NOT NULL,
    succeeded    boolean     NOT NULL,
    duration_ms  bigint,                  -- NULL when the event gave none
    recorded_at  timestamptz NOT NULL
);
COMMENT ON TABLE read.agent_performance_steps IS 'one row per agent step run for a content request (projection agent_performance, projections/src/analytics/agent_performance.rs)';
COMMENT ON COLUMN read.agent_performance_steps.event_id IS 'the AgentStepCompleted or AgentStepFailed event (es.events.event_id)';
COMMENT ON COLUMN read.agent_performance_steps.request_id IS 'the content request (read.content_requests.request_id)';
COMMENT ON COLUMN read.agent_performance_steps.agent IS 'the agent kind that ran the step';
COMMENT ON COLUMN read.agent_performance_steps.succeeded IS 'true: AgentStepCompleted; false: AgentStepFailed';
COMMENT ON COLUMN read.agent_performance_steps.duration_ms IS 'how long the step ran, in milliseconds; NULL when not reported';
COMMENT ON COLUMN read.agent_performance_steps.recorded_at IS 'when the step event was recorded';
CREATE INDEX agent_performance_steps_agent ON read.agent_performance_steps (agent, recorded_at);
CREATE INDEX agent_performance_steps_recorded ON read.agent_performance_steps (recorded_at);

-- Class dashboard (projections/src/analytics/class_dashboard.rs): one row per class.
CREATE TABLE read.class_dashboard (
    class_id          uuid        PRIMARY KEY,
    subject           text        NOT NULL,
    grade_level       integer     NOT NULL,
    teacher_id        uuid        NOT NULL,
    students          integer     NOT NULL DEFAULT 0,
    started           bigint      NOT NULL DEFAULT 0,
    completion_sum    bigint      NOT NULL DEFAULT 0,
    total_xp          bigint      NOT NULL DEFAULT 0,
    last_activity_at  timestamptz
);
COMMENT ON TABLE read.class_dashboard IS 'per class: students, completion, XP, last activity (projection class_dashboard, projections/src/analytics/class_dashboard.rs)';
COMMENT ON COLUMN read.class_dashboard.class_id IS 'the class (read.classes.class_id)';
COMMENT ON COLUMN read.class_dashboard.subject IS 'the subject taught';
COMMENT ON COLUMN read.class_dashboard.grade_level IS 'grade level, 1–12';
COMMENT ON COLUMN read.class_dashboard.teacher_id IS 'the teacher who runs the class (read.users.user_id)';
COMMENT ON COLUMN read.class_dashboard.students IS 'students enrolled now';
COMMENT ON COLUMN read.class_dashboard.started IS 'lessons started from the class (one per student and lesson)';
COMMENT ON COLUMN read.class_dashboard.completion_sum IS 'sum of the current completion (percent) of those starts: average completion = completion_sum / started';
COMMENT ON COLUMN read.class_dashboard.total_xp IS 'every XP earned and awarded in lessons started from the class';
COMMENT ON COLUMN read.class_dashboard.last_activity_at IS 'when the last progress event of the class was recorded; NULL before any';
CREATE INDEX class_dashboard_teacher ON read.class_dashboard (teacher_id, class_id);
CREATE INDEX class_dashboard_subject_grade ON read.class_dashboard (subject, grade_level, class_id);

-- The class dashboard's own state per progress stream: what it last counted for it.
CREATE TABLE read.class_dashboard_progress (
    progress_id  uuid    PRIMARY KEY,
    class_id     uuid    NOT NULL,
    completion   integer NOT NULL,
    total_xp     bigint  NOT NULL
);
COMMENT ON TABLE read.class_dashboard_progress IS 'state of the projection class_dashboard: each progress stream and what it last counted';
COMMENT ON COLUMN read.class_dashboard_progress.progress_id IS 'the progress (stream progress-<uuid>)';
COMMENT ON COLUMN read.class_dashboard_progress.class_id IS 'the class the lesson was started from (read.class_dashboard.class_id)';
COMMENT ON COLUMN read.class_dashboard_progress.completion IS 'the completion (percent) counted in read.class_dashboard.completion_sum';
COMMENT ON COLUMN read.class_dashboard_progress.total_xp IS 'the XP counted in read.class_dashboard.total_xp';

-- Daily activity (projections/src/analytics/daily_activity.rs): events per UTC day, event
-- type, subject and grade.
CREATE TABLE read.daily_activity (
    day          date    NOT NULL,
    event_type   text    NOT NULL,
    subject      text    NOT NULL,   -- '' when unknown
    grade_level  integer NOT NULL,   -- 0 when unknown
    events       bigint  NOT NULL,
    PRIMARY KEY (day, event_type, subject, grade_level)
);
COMMENT ON TABLE read.daily_activity IS 'events per day, event type, subject and grade (projection daily_activity, projections/src/analytics/daily_activity.rs)';
COMMENT ON COLUMN read.daily_activity.day IS 'the UTC date the events were recorded';
COMMENT ON COLUMN read.daily_activity.event_type IS 'the event type, e.g. LessonCompleted';
COMMENT ON COLUMN read.daily_activity.subject IS 'the subject of the lesson, class or request the event is about; empty when unknown';
COMMENT ON COLUMN read.daily_activity.grade_level IS 'its grade level, 1–12; 0 when unknown';
COMMENT ON COLUMN read.daily_activity.events IS 'how many such events were recorded that day';
CREATE INDEX daily_activity_subject_grade ON read.daily_activity (subject, grade_level, day);

-- The daily activity's own state: the subject and grade of each stream it has seen.
CREATE TABLE read.daily_activity_streams (
    stream_id    text    PRIMARY KEY,
    subject      text    NOT NULL,
    grade_level  integer NOT NULL
);
COMMENT ON TABLE read.daily_activity_streams IS 'state of the projection daily_activity: the subject and grade of each lesson, class, content request and progress stream';
COMMENT ON COLUMN read.daily_activity_streams.stream_id IS 'the stream, e.g. lesson-<uuid> (es.events.stream_id)';
COMMENT ON COLUMN read.daily_activity_streams.subject IS 'its subject (for progress: the lesson''s when started)';
COMMENT ON COLUMN read.daily_activity_streams.grade_level IS 'its grade level (for progress: the lesson''s when started)';
