-- Read models live in schema `read`; each is owned by one module of the `projections` crate.
CREATE SCHEMA IF NOT EXISTS read;

-- The lesson catalog (projections/src/lessons.rs).
CREATE TABLE read.lessons (
    lesson_id      uuid        PRIMARY KEY,
    title          text        NOT NULL,
    description    text        NOT NULL,
    subject        text        NOT NULL,
    grade_level    integer     NOT NULL,
    status         text        NOT NULL,      -- draft, in_review, approved, published, archived
    author_id      uuid        NOT NULL,
    content        jsonb       NOT NULL,
    version        bigint      NOT NULL,      -- the lesson stream's version this row reflects
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    published_at   timestamptz
);
CREATE INDEX lessons_subject_grade ON read.lessons (subject, grade_level);
CREATE INDEX lessons_status ON read.lessons (status);
