//! The review step: the review agent's checks over the newest output of every part, run
//! here (they are rules, not a model), recorded like any other step.

use std::time::Instant;

use domain::{AgentName, ContentRequest, ContentRequestCommand};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::next::{FindingRecord, ReviewRecord, latest_output};
use super::step::{self, elapsed_ms};
use super::{Keys, SuperviseError, Supervisor};
use crate::outputs::{LessonPlan, Quiz, Script, Terrain};
use crate::review::{self, Drafts};
use crate::task::Brief;

/// Who the review step says made its output.
pub const PROVIDER: &str = "lectern";
/// The rule set the review step runs.
pub const MODEL: &str = "review-rules-v1";

pub(super) async fn run(
    supervisor: &Supervisor,
    id: Uuid,
    request: &ContentRequest,
    attempt: u32,
    keys: &Keys,
) -> Result<(), SuperviseError> {
    let Some(details) = request.details() else {
        return Ok(());
    };
    let key = |what: &str| format!("review/{attempt}/{what}");
    let start = ContentRequestCommand::StartStep {
        agent: AgentName::Review,
        attempt,
    };
    supervisor
        .submit(id, &start, keys.context(&supervisor.actor, &key("start")))
        .await?;
    let began = Instant::now();
    let brief = Brief::from_details(details);
    let record = match latest::<LessonPlan>(request, AgentName::Content) {
        Some(lesson) => {
            let quiz = latest::<Quiz>(request, AgentName::Quiz);
            let terrain = latest::<Terrain>(request, AgentName::Terrain);
            let script = latest::<Script>(request, AgentName::Script);
            let drafts = Drafts {
                lesson: &lesson,
                quiz: quiz.as_ref(),
                terrain: terrain.as_ref(),
                script: script.as_ref(),
            };
            let review = review::review(&brief, &drafts);
            ReviewRecord {
                passed: review.passed(),
                findings: review
                    .findings
                    .iter()
                    .map(|f| FindingRecord {
                        agent: f.agent,
                        check: f.check.to_string(),
                        message: f.message.clone(),
                    })
                    .collect(),
            }
        }
        None => ReviewRecord {
            passed: false,
            findings: vec![FindingRecord {
                agent: AgentName::Content,
                check: "plan-readable".to_owned(),
                message: "the lesson plan is missing or not in the plan's shape".to_owned(),
            }],
        },
    };
    step::record(AgentName::Review, PROVIDER, "completed", began);
    let complete = ContentRequestCommand::CompleteStep {
        agent: AgentName::Review,
        attempt,
        output: serde_json::to_value(&record).unwrap_or_default(),
        duration_ms: elapsed_ms(began),
        provider: PROVIDER.to_owned(),
        model: MODEL.to_owned(),
        usage: None,
    };
    supervisor
        .submit(
            id,
            &complete,
            keys.context(&supervisor.actor, &key("complete")),
        )
        .await
}

/// The newest output of `agent`, in its shape.
fn latest<T: DeserializeOwned>(request: &ContentRequest, agent: AgentName) -> Option<T> {
    latest_output(request, agent).and_then(|output| serde_json::from_value(output.clone()).ok())
}
