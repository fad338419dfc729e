//! Inserted rows: forged rows after the head, a row without a hash in the chain.

use eventstore::audit::BreakKind;

use super::{exec, expect_break, filled};

#[tokio::test]
async fn a_forged_row_after_the_head_is_inserted() -> anyhow::Result<()> {
    let forge = |hash: &str, head: bool| {
        format!(
            "INSERT INTO es.events (position, event_id, stream_id, stream_version, event_type,
                                    payload, hash)
             VALUES (21, gen_random_uuid(), 'lesson-' || gen_random_uuid(), 1,
                     'LessonPublished', '{{\"title\": \"forged\"}}', {hash});
             {}",
            if head {
                "UPDATE es.log_head SET position = 21"
            } else {
                ""
            }
        )
    };
    for hash in ["NULL", "sha256('made up'::bytea)"] {
        for head in [false, true] {
            let db = filled(20).await?;
            exec(&db, &forge(hash, head)).await?;
            expect_break(&db, 21, BreakKind::Inserted).await?;
        }
    }

    // A row without a hash in the middle of the chain (rewritten by hand).
    let db = filled(20).await?;
    exec(&db, "UPDATE es.events SET hash = NULL WHERE position = 9").await?;
    expect_break(&db, 9, BreakKind::Inserted).await?;
    Ok(())
}
