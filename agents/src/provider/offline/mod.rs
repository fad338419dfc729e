//! The offline template provider (placeholder until filled in).

use futures::future::BoxFuture;

use super::{Completion, Provider, ProviderError};
use crate::task::Task;

/// Deterministic template generation: no network, no model.
#[derive(Debug, Clone, Default)]
pub struct Offline;

impl Offline {
    pub fn new() -> Self {
        Self
    }
}

impl Provider for Offline {
    fn name(&self) -> &str {
        "offline"
    }

    fn model(&self) -> &str {
        "templates-v1"
    }

    fn complete<'a>(&'a self, task: &'a Task) -> BoxFuture<'a, Result<Completion, ProviderError>> {
        Box::pin(async move {
            Err(ProviderError::Refused {
                provider: "offline".into(),
                status: 501,
                message: format!("no template for {} yet", task.agent),
            })
        })
    }
}
