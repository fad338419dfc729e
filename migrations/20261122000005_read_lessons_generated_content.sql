-- The lesson catalog keeps the latest generated content attached to a lesson (issue 4).
ALTER TABLE read.lessons
    ADD COLUMN generated_content    jsonb,   -- the latest content an agent pipeline produced
    ADD COLUMN content_request_id   uuid;    -- the content request that produced it
COMMENT ON COLUMN read.lessons.generated_content IS 'latest generated content attached to the lesson';
COMMENT ON COLUMN read.lessons.content_request_id IS 'content request that produced generated_content';
